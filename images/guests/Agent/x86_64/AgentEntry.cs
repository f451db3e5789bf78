// The dom0 agent's x86_64 entry (pvh.S calls guest_main in long mode): the
// runtime, Xen through CPUID and the hypercall page, then the agent with the
// command line of its hvm_start_info.
using System.Runtime;

namespace XenLite.Guest
{
    public static unsafe class AgentEntry
    {
        [RuntimeExport("guest_main")]
        static void Main(uint startInfo)
        {
            byte* heap = Asm.HeapStart();
            XenLite.Runtime.ModuleStartup.Run(heap, (nuint)(Asm.HeapEnd() - heap));
            Scratch.Init();
            if (!XenCpuid.Detect())
            {
                Out.Line("no Xen found");
                Guest.Finish(false);
            }
            XenCpuid.InstallHypercallPage();
            Out.ViaXen = true;
            byte* si = (byte*)(ulong)startInfo;
            Agent.Run(startInfo, si != null && *(uint*)si == 0x336EC578 ? (byte*)*(ulong*)(si + 24) : null);   // cmdline_paddr
        }
    }
}

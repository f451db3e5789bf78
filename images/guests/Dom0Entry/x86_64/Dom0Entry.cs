// The x86_64 entry of our dom0 programs (the agent, the policy agent, the kexec dom0): pvh.S
// calls guest_main in long mode; the runtime, Xen through CPUID and the hypercall page, then the
// program's Dom0Program.Run with its hvm_start_info and the command line in it.
using System.Runtime;

namespace XenLite.Guest
{
    public static unsafe class Dom0Entry
    {
        const uint HvmStartMagic = 0x336EC578;

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
            Dom0Program.Run(startInfo, si != null && *(uint*)si == HvmStartMagic ? (byte*)*(ulong*)(si + 24) : null);   // cmdline_paddr
        }
    }
}

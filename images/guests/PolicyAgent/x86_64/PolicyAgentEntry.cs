// The policy agent's x86_64 entry (pvh.S calls guest_main in long mode): the
// runtime, Xen through CPUID and the hypercall page, then the agent.
using System.Runtime;

namespace XenLite.Guest
{
    public static unsafe class PolicyAgentEntry
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
            PolicyAgent.Run();
        }
    }
}

// The kexec dom0's x86_64 entry (pvh.S calls guest_main in long mode).
using System.Runtime;

namespace XenLite.Guest
{
    public static unsafe class KexecDom0Entry
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
            KexecDom0.Run(startInfo);
        }
    }
}

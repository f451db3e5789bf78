// The x86_64 test guest's entry (called by pvh.S in long mode): start the
// runtime, check the PVH start info, find Xen through CPUID, install the
// hypercall page, then the shared main. Without Xen it says so on port 0xe9 and
// leaves through QEMU's isa-debug-exit.
using System.Runtime;

namespace XenLite.Guest
{
    public static unsafe class Entry
    {
        [RuntimeExport("guest_main")]
        static void Main(uint startInfo)
        {
            byte* heap = Asm.HeapStart();
            XenLite.Runtime.ModuleStartup.Run(heap, (nuint)(Asm.HeapEnd() - heap));
            Scratch.Init();

            Out.Line("XenLite test guest (x86_64 PVH)");
            if (*(uint*)(nuint)startInfo != 0x336EC578)
                Out.Line("warning: EBX does not point at hvm_start_info (magic 0x336ec578)");
            if (!XenCpuid.Detect())
            {
                Out.Line("no Xen found");
                Guest.Finish(false);
            }
            XenCpuid.InstallHypercallPage();
            Guest.Run();
        }
    }
}

// The arm64 entry of our dom0 programs (the agent, the policy agent): head.S calls guest_main
// with the MMU on and x0 = the device tree the hypervisor wrote; the runtime, Xen through the
// tree's /hypervisor node, then the program's Dom0Program.Run with the tree's /chosen bootargs
// as its command line (what the hypervisor was given as xen,dom0-bootargs). It stands in for the
// test guest's Entry (ArmTests, compiled in, reads Entry.DeviceTree; the policy agent finds its
// PCI bridge in it).
using System.Runtime;

namespace XenLite.Guest
{
    public static unsafe class Entry
    {
        public static byte* DeviceTree;

        [RuntimeExport("guest_main")]
        static void Main(ulong dtb)
        {
            byte* heap = Asm.HeapStart();
            XenLite.Runtime.ModuleStartup.Run(heap, (nuint)(Asm.HeapEnd() - heap));
            Scratch.Init();
            DeviceTree = (byte*)dtb;
            if (!Dt.Valid(DeviceTree) || !Dt.FindCompatible(DeviceTree, "xen,xen-"u8, out _, out _))
            {
                Out.Line("no Xen found (no /hypervisor node in the device tree)");
                Guest.Finish(false);
            }
            Xen.Present = true;
            Out.ViaXen = true;
            Dom0Program.Run(0, Dt.Bootargs(DeviceTree));   // no hvm_start_info on arm
        }
    }
}

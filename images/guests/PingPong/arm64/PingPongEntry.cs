// The ping-pong domU's arm64 entry (head.S calls guest_main with x0 = the device
// tree dom0's agent wrote): its /chosen bootargs are the command line. It stands
// in for the test guest's Entry (ArmTests, compiled in, reads Entry.DeviceTree).
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
            Xen.Present = true;   // started by a toolstack: Xen is there
            PingPong.Run(Dt.Bootargs(DeviceTree));
        }
    }
}

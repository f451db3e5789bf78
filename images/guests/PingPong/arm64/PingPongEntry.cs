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
            PingPong.Run(Dt.Valid(DeviceTree) ? Bootargs(DeviceTree) : null);
        }

        /// <summary>The first "bootargs" property's value (NUL-terminated), or null.</summary>
        static byte* Bootargs(byte* t)
        {
            uint structAt = Be(t + 8), stringsAt = Be(t + 12), structSize = Be(t + 36);
            uint at = structAt, end = structAt + structSize;
            while (at + 4 <= end)
            {
                uint token = Be(t + at);
                at += 4;
                if (token == 1)   // BEGIN_NODE: a NUL-terminated name, padded to 4
                {
                    while (t[at] != 0) at++;
                    at = (at + 4) & ~3u;
                }
                else if (token == 3)   // PROP: length, name offset, value padded to 4
                {
                    uint length = Be(t + at), name = Be(t + at + 4);
                    byte* value = t + at + 8;
                    if (Text.Is(t + stringsAt + name, "bootargs"u8)) return value;
                    at = (at + 8 + length + 3) & ~3u;
                }
                else if (token == 9) break;
            }
            return null;
        }

        static uint Be(byte* p) => (uint)(p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3]);
    }
}

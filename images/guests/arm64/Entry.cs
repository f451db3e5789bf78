// The arm64 test guest's entry (called by head.S with the MMU on): start the
// runtime, find Xen through the device tree the hypervisor gave us (x0): the
// /hypervisor node is compatible "xen,xen-<major>.<minor>", "xen,xen"
// (Documentation/devicetree/bindings/arm/xen.txt), then the shared main.
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

            Out.Line("XenLite test guest (arm64 Image)");
            if (!Dt.Valid(DeviceTree))
            {
                Out.Line("x0 does not point at a device tree");
                Guest.Finish(false);
            }
            if (!Dt.FindCompatible(DeviceTree, "xen,xen-"u8, out byte* version, out int length) || !ParseVersion(version, length))
            {
                Out.Line("no Xen found (no /hypervisor node compatible \"xen,xen-X.Y\")");
                Guest.Finish(false);
            }
            Xen.Present = true;
            Guest.Run();
        }

        // "4.22" → 4 << 16 | 22.
        static bool ParseVersion(byte* s, int n)
        {
            uint major = 0, minor = 0;
            int i = 0;
            while (i < n && s[i] >= '0' && s[i] <= '9') major = major * 10 + (uint)(s[i++] - '0');
            if (i == 0 || i >= n || s[i++] != '.') return false;
            int start = i;
            while (i < n && s[i] >= '0' && s[i] <= '9') minor = minor * 10 + (uint)(s[i++] - '0');
            if (i == start) return false;
            Xen.Version = major << 16 | minor;
            return true;
        }
    }
}

// Reaching Xen, once the arch entry has found it (x86_64: CPUID leaves and the
// hypercall page; arm64: the device tree's /hypervisor node and HVC #0xEA1).
// Version is what that discovery reported (major << 16 | minor).
namespace XenLite.Guest
{
    public static unsafe class Xen
    {
        public static bool Present;
        public static uint Version;

        public static long Call(ulong nr, ulong a1 = 0, ulong a2 = 0, ulong a3 = 0, ulong a4 = 0, ulong a5 = 0)
            => Asm.Hypercall(nr, a1, a2, a3, a4, a5);
    }
}

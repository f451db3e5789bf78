// Finding Xen on x86. Xen's CPUID leaves start at 0x40000000, or 0x100 higher
// when it also presents another interface (Viridian) at the base: leaf base+0 =
// max leaf and "XenVMMXenVMM", base+1 = version (major << 16 | minor), base+2 =
// hypercall pages (eax) and the MSR that installs them (ebx). Writing a page's
// guest-physical address to that MSR makes Xen fill the page with one 32-byte
// stub per hypercall number.
using XenLite.Boot;

namespace XenLite.Guest
{
    public static unsafe class XenCpuid
    {
        public static uint Base;
        public static uint MaxLeaf;
        public static uint HypercallMsr;

        // "XenVMMXenVMM" in ebx, ecx, edx.
        const uint SigEbx = 0x566E6558, SigEcx = 0x65584D4D, SigEdx = 0x4D4D566E;

        public static bool Detect()
        {
            uint* r = stackalloc uint[4];
            for (uint leaf = 0x40000000; leaf < 0x40010000; leaf += 0x100)
            {
                Cpu.CpuId(leaf, 0, r);
                if (r[1] != SigEbx || r[2] != SigEcx || r[3] != SigEdx) continue;
                if (r[0] < leaf + 2) continue;   // no hypercall-page leaf
                Base = leaf;
                MaxLeaf = r[0];
                Cpu.CpuId(leaf + 1, 0, r);
                Xen.Version = r[0];
                Cpu.CpuId(leaf + 2, 0, r);
                HypercallMsr = r[1];
                Xen.Present = true;
                return true;
            }
            return false;
        }

        // Page index 0 in the low 12 bits; the page must be 4 KiB aligned.
        public static void InstallHypercallPage() => Cpu.WriteMsr(HypercallMsr, (ulong)AsmX86.HypercallPage());

        public static long Call32(ulong nr, ulong a1 = 0, ulong a2 = 0, ulong a3 = 0, ulong a4 = 0, ulong a5 = 0)
            => AsmX86.Hypercall32(nr, a1, a2, a3, a4, a5);
    }
}

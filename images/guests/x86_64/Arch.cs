// What the shared suite needs to know about x86_64 (facts from Xen's sources:
// xen/common/kernel.c, xen/arch/x86/setup.c arch_get_xen_caps,
// xen/include/hypercall-defs.c), and the x86-only pieces: the hvm32 suite, the
// debug port, the isa-debug-exit fallback.
using XenLite.Boot;

namespace XenLite.Guest
{
    public static unsafe class Arch
    {
        // A 64-bit HVM guest is running, so Xen lists the 64-bit HVM ABI.
        public static System.ReadOnlySpan<byte> Capability => "hvm-3.0-x86_64"u8;

        // Submap 0 for any translated (HVM) x86 guest has these four bits.
        public const uint RequiredFeatures = (1u << XenFeat.WritablePageTables) | (1u << XenFeat.AutoTranslatedPhysmap)
            | (1u << XenFeat.HvmCallbackVector) | (1u << XenFeat.HvmSafePvclock);

        // set_timer_op is "compat do" for HVM in hypercall-defs.c.
        public const bool HasSetTimerOp = true;

        public static void DescribeDiscovery()
        {
            Out.Add("CPUID ");
            Out.AddHex(XenCpuid.Base);
            Out.Add(", hypercall page at ");
            Out.AddHex((ulong)AsmX86.HypercallPage());
            Out.Add(" via MSR ");
            Out.AddHex(XenCpuid.HypercallMsr);
        }

        public static void RunOwnSuites()
        {
            Suite.Run(Hvm32Tests.All);
            NumberTests.Run(Hvm32Tests.Numbers, &Hvm32Tests.Number32);
        }

        public static void DebugWrite(byte* line, int length)
        {
            for (int i = 0; i < length; i++) Cpu.OutB(0xE9, line[i]);
        }

        public static void Exit(bool success) => Power.Exit(success ? (ExitCode)0 : ExitCode.TestFailure);
    }
}

// What the shared suite needs to know about arm64 (facts from Xen's sources:
// xen/common/kernel.c get_features, xen/arch/arm/setup.c arch_get_xen_caps,
// xen/include/hypercall-defs.c), and the arm-only pieces: the arm suite, the
// vpl011 fallback output, PSCI SYSTEM_OFF to end.
namespace XenLite.Guest
{
    public static unsafe class Arch
    {
        public static System.ReadOnlySpan<byte> Capability => "xen-3.0-aarch64"u8;

        // Every arm domain is translated and gets XENFEAT_ARM_SMCCC_supported.
        public const uint RequiredFeatures = (1u << XenFeat.WritablePageTables) | (1u << XenFeat.AutoTranslatedPhysmap)
            | (1u << XenFeat.ArmSmcccSupported);

        // set_timer_op's arm column in hypercall-defs.c is "-".
        public const bool HasSetTimerOp = false;

        // GUEST_PL011_BASE (arch-arm.h): data register at 0, flags at 0x18 (TXFF = bit 5).
        const ulong Pl011 = 0x22000000;

        public static void DescribeDiscovery() => Out.Add("/hypervisor node in the device tree, hvc #0xEA1");

        public static void RunOwnSuites() => Suite.Run(ArmTests.All);

        public static void DebugWrite(byte* line, int length)
        {
            for (int i = 0; i < length; i++)
            {
                for (int spin = 0; spin < 100000 && (AsmArm.Read32(Pl011 + 0x18) & (1u << 5)) != 0; spin++) { }
                AsmArm.Write32(Pl011, line[i]);
            }
        }

        // PSCI SYSTEM_OFF; under a hypervisor that ignores it, wait forever.
        public static void Exit(bool success)
        {
            AsmArm.SmcccHvc(0x84000008, 0, 0, 0);
            while (true) AsmArm.Wfi();
        }
    }
}

namespace XenLite.Hv.Arch.Arm64;

/// <summary>Xen's guest physical memory map and interrupt numbers (xen/include/public/arch-arm.h).</summary>
public static class GuestLayout
{
    public const ulong GicdBase = 0x0300_1000, GicdSize = 0x1000;           // GICv2 distributor
    public const ulong GiccBase = 0x0300_2000, GiccSize = 0x2000;           // GICv2 CPU interface
    public const ulong Gicv3GicdSize = 0x0001_0000;                         // GICv3 distributor (same base)
    public const ulong Gicv3GicrBase = 0x0302_0000, Gicv3GicrSize = 0x0100_0000;
    public const ulong GicrStride = 0x2_0000;                               // RD_base + SGI_base frames per vCPU
    public const ulong PciEcamBase = 0x1000_0000, PciEcamSize = 0x1000_0000;  // GUEST_VPCI_ECAM_BASE/SIZE
    public const ulong Pl011Base = 0x2200_0000, Pl011Size = 0x1000;
    public const ulong GnttabBase = 0x3800_0000, GnttabSize = 0x0100_0000;
    public const ulong MagicBase = 0x3900_0000, MagicSize = 0x0100_0000;
    public const ulong RamBase = 0x4000_0000, RamMaxSize = 0xC000_0000;     // bank 0: 3 GiB at 1 GiB
    public const ulong RamBaseGfn = RamBase >> 12;

    public const uint TimerVirtPpi = 27, TimerPhysSecurePpi = 29, TimerPhysPpi = 30, TimerHypPpi = 26;
    public const uint EvtchnPpi = 31, Vpl011Spi = 32;
    public const int MaxVcpus = 128;

    /// <summary>GUEST_PHANDLE_GIC in Xen's domain builder.</summary>
    public const uint GicPhandle = 65000;
}

using XenLite.Hv.Common.Memory;

namespace XenLite.Hv.Arch.Arm64;

/// <summary>
/// The host's PCI Express bridge with a generic ECAM ("pci-host-ecam-generic", as on QEMU virt).
/// The hardware domain owns it, as dom0 does under Xen on arm without vPCI: it enumerates and
/// programs the devices itself (the policy agent finds its host channel, a PCI 16550, this way).
/// </summary>
public struct HostPci
{
    /// <summary>Machine address of the first bus's configuration space; 0 = no bridge.</summary>
    public ulong EcamBase;
    /// <summary>Machine address and size of the window through which the CPU reaches PCI I/O space from I/O address 0.</summary>
    public ulong IoBase, IoSize;

    public readonly bool Present => EcamBase != 0;
}

/// <summary>
/// Hands <see cref="HostPci"/> to the hardware domain: bus 0's configuration space at Xen's
/// GUEST_VPCI_ECAM_BASE (QEMU puts ECAM above our 32-bit IPA space) and the I/O window 1:1, as
/// Xen maps dom0's device regions; both Device-nGnRE, described in its device tree by
/// <see cref="GuestDeviceTree"/>. Memory BAR windows and INTx routing are not handed over yet.
/// </summary>
public static class HardwareDomainPci
{
    /// <summary>One bus: 32 devices × 8 functions × 4 KiB.</summary>
    public const ulong BusConfigSize = 1UL << 20;

    /// <summary>Why the bridge cannot be handed over as described, or null.</summary>
    public static string Check(in HostPci pci)
    {
        if ((pci.EcamBase & (BusConfigSize - 1)) != 0) return "the PCI host bridge's ECAM is not 1 MiB aligned";
        if (pci.IoSize == 0 || ((pci.IoBase | pci.IoSize) & (Page.Size - 1)) != 0) return "the PCI I/O window is empty or not page aligned";
        ulong end = pci.IoBase + pci.IoSize;
        if (end < pci.IoBase || end > 1UL << Stage2.IpaBits) return "the PCI I/O window lies beyond the 4 GiB guest address space";
        if (Overlaps(pci.IoBase, end)) return "the PCI I/O window overlaps Xen's guest memory map";
        return null;
    }

    public static bool Map(MachineMemory mem, Mfn stage2Root, in HostPci pci) =>
        Stage2.MapDevice(mem, stage2Root, GuestLayout.PciEcamBase, pci.EcamBase, BusConfigSize)
        && Stage2.MapDevice(mem, stage2Root, pci.IoBase, pci.IoBase, pci.IoSize);

    static bool Overlaps(ulong start, ulong end) =>
        Hits(start, end, GuestLayout.GicdBase, GuestLayout.Gicv3GicrBase + GuestLayout.Gicv3GicrSize)
        || Hits(start, end, GuestLayout.PciEcamBase, GuestLayout.PciEcamBase + BusConfigSize)
        || Hits(start, end, GuestLayout.Pl011Base, GuestLayout.Pl011Base + GuestLayout.Pl011Size)
        || Hits(start, end, GuestLayout.GnttabBase, GuestLayout.MagicBase + GuestLayout.MagicSize)
        || Hits(start, end, GuestLayout.RamBase, GuestLayout.RamBase + GuestLayout.RamMaxSize);

    static bool Hits(ulong start, ulong end, ulong regionStart, ulong regionEnd) => start < regionEnd && regionStart < end;
}

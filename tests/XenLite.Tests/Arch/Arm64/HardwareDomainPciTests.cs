using NUnit.Framework;
using XenLite.Hv.Arch.Arm64;
using XenLite.Hv.Common;

namespace XenLite.Tests.Arch.Arm64;

/// <summary>The host PCI bridge handed to the hardware domain: stage-2 mappings, and refusals for anyone else or a bad window.</summary>
[Category("fdt")]
public class HardwareDomainPciTests
{
    const ulong Ecam = 0x40_1000_0000, Io = 0x3eff_0000, IoSize = 0x1_0000;
    static readonly HostPci QemuVirt = new() { EcamBase = Ecam, IoBase = Io, IoSize = IoSize };

    static Domain Build(Arm64Bed bed, HostPci pci, uint id, bool privileged)
    {
        var spec = bed.Spec("pci-owner", Arm64Bed.Image());
        spec.Pci = pci;
        return Arm64Builder.Build(bed.Host, spec, id, privileged, 0);
    }

    static ulong Leaf(Arm64Bed bed, Domain d, ulong ipa) => Stage2.Lookup(bed.Hv.Memory, d.Arm64.Stage2Root, ipa >> 12);

    [Test]
    public void TheHardwareDomainGetsBusZerosConfigSpaceAndTheIoWindowAsDeviceMemory()
    {
        using var bed = new Arm64Bed();
        Domain d = Build(bed, QemuVirt, 0, true);
        Assert.That(d, Is.Not.Null, bed.M.Platform.ConsoleText);
        Assert.That(Leaf(bed, d, GuestLayout.PciEcamBase), Is.EqualTo(Ecam | Stage2.DeviceRw));
        Assert.That(Leaf(bed, d, GuestLayout.PciEcamBase + 0xF_F000), Is.EqualTo((Ecam + 0xF_F000) | Stage2.DeviceRw), "the last function of device 31");
        Assert.That(Leaf(bed, d, GuestLayout.PciEcamBase + 0x10_0000), Is.Zero, "bus 1 and beyond stay unmapped");
        Assert.That(Leaf(bed, d, Io), Is.EqualTo(Io | Stage2.DeviceRw), "the I/O window 1:1");
        Assert.That(Leaf(bed, d, Io + IoSize - 0x1000), Is.EqualTo((Io + IoSize - 0x1000) | Stage2.DeviceRw));
        Assert.That(Leaf(bed, d, Io + IoSize), Is.Zero);
        Assert.That(bed.M.Platform.ConsoleText, Does.Contain("PCI bridge (ECAM 0x4010000000)"));
    }

    [Test]
    public void WithoutABridgeNothingIsMapped()
    {
        using var bed = new Arm64Bed();
        Domain d = Build(bed, default, 0, true);
        Assert.That(d, Is.Not.Null, bed.M.Platform.ConsoleText);
        Assert.That(Leaf(bed, d, GuestLayout.PciEcamBase), Is.Zero);
        Assert.That(Leaf(bed, d, Io), Is.Zero);
    }

    [Test]
    public void AnUnprivilegedDomainMayNotOwnTheBridge()
    {
        using var bed = new Arm64Bed();
        Assert.That(Build(bed, QemuVirt, 1, false), Is.Null);
        Assert.That(bed.M.Platform.ConsoleText, Does.Contain("refusing 'pci-owner': only the hardware domain may own the host PCI bridge"));
        Assert.That(bed.Hv.Lookup(1), Is.Null, "nothing left behind");
    }

    [TestCase(Ecam + 0x1000, Io, IoSize, "the PCI host bridge's ECAM is not 1 MiB aligned")]
    [TestCase(Ecam, Io, 0UL, "the PCI I/O window is empty or not page aligned")]
    [TestCase(Ecam, Io + 0x10, IoSize, "the PCI I/O window is empty or not page aligned")]
    [TestCase(Ecam, 0xFFFF_F000UL, 0x2000UL, "the PCI I/O window lies beyond the 4 GiB guest address space")]
    [TestCase(Ecam, 0xFFFF_FFFF_FFFF_F000UL, 0x2000UL, "the PCI I/O window lies beyond the 4 GiB guest address space")]
    [TestCase(Ecam, 0x4000_0000UL, IoSize, "the PCI I/O window overlaps Xen's guest memory map")]
    [TestCase(Ecam, 0x1000_0000UL, IoSize, "the PCI I/O window overlaps Xen's guest memory map")]
    [TestCase(Ecam, 0x3800_8000UL, IoSize, "the PCI I/O window overlaps Xen's guest memory map")]
    [TestCase(Ecam, 0x0300_0000UL, IoSize, "the PCI I/O window overlaps Xen's guest memory map")]
    public void ABridgeThatCannotBeMappedSafelyIsRefused(ulong ecam, ulong io, ulong size, string why)
    {
        using var bed = new Arm64Bed();
        Assert.That(Build(bed, new HostPci { EcamBase = ecam, IoBase = io, IoSize = size }, 0, true), Is.Null);
        Assert.That(bed.M.Platform.ConsoleText, Does.Contain("refusing 'pci-owner': " + why));
    }
}

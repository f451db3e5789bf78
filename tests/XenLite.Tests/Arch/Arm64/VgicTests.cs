using NUnit.Framework;
using XenLite.Hv.Arch.Arm64;
using XenLite.Hv.Common;

namespace XenLite.Tests.Arch.Arm64;

/// <summary>Virtual interrupts through list registers, the emulated distributor and redistributors, SGIs.</summary>
[Category("vgic")]
public unsafe class VgicTests
{
    static void Mmio(Arm64Bed bed, Vcpu v, ulong ipa, uint value)
    {
        v.Regs[1] = value;
        bed.Exit(v, Arm64Bed.DataAbort(rt: 1, write: true), ipa: ipa);
    }

    static ulong Read(Arm64Bed bed, Vcpu v, ulong ipa, int sizeLog2 = 2)
    {
        bed.Exit(v, Arm64Bed.DataAbort(rt: 1, sizeLog2: sizeLog2, sf: sizeLog2 == 3), ipa: ipa);
        return v.Regs[1];
    }

    static void EnablePpiV3(Arm64Bed bed, Vcpu v, int intid)
    {
        Mmio(bed, v, GuestLayout.GicdBase, 0x12);
        Mmio(bed, v, GuestLayout.Gicv3GicrBase + 0x10100, 1u << intid);
    }

    [Test]
    public void AnEnabledPendingPpiGoesIntoAListRegisterOnEntry()
    {
        using var bed = new Arm64Bed(gic: 3);
        Vcpu v = bed.NewDomain().Vcpus[0];
        EnablePpiV3(bed, v, 27);
        Vgic.Raise(v, 27);
        bed.Exit(v, Arm64Bed.Wfe);
        Assert.That(bed.Cpu.LastEntryLr[0], Is.EqualTo((1UL << 62) | (1UL << 60) | (0xA0UL << 48) | 27), "pending, group 1, priority 0xa0");
        Assert.That(v.Arm64.Vgic.Pending, Is.Zero);
        Assert.That(Vgic.HasPending(v), Is.True, "still in a list register");
        bed.Exit(v, Arm64Bed.Wfe, guest: (r, c) => bed.Cpu.Lr[0] = 0);   // the guest acknowledged and ended it
        Assert.That(v.Arm64.Vgic.InLr, Is.Zero);
        Assert.That(Vgic.HasPending(v), Is.False);
    }

    [Test]
    public void GicV2ListRegistersUseItsEncoding()
    {
        using var bed = new Arm64Bed(gic: 2);
        Vcpu v = bed.NewDomain().Vcpus[0];
        Mmio(bed, v, GuestLayout.GicdBase, 1);
        Mmio(bed, v, GuestLayout.GicdBase + 0x100, 1u << 27);
        Assert.That(bed.M.Platform.PowerOffStatus, Is.Null);
        Vgic.Raise(v, 27);
        bed.Exit(v, Arm64Bed.Wfe);
        Assert.That(bed.Cpu.LastEntryLr[0], Is.EqualTo((1UL << 28) | ((0xA0UL >> 3) << 23) | 27));
    }

    [Test]
    public void NothingIsDeliveredWhileTheDistributorOrTheInterruptIsDisabled()
    {
        using var bed = new Arm64Bed();
        Vcpu v = bed.NewDomain().Vcpus[0];
        Mmio(bed, v, GuestLayout.Gicv3GicrBase + 0x10100, 1u << 27);
        Vgic.Raise(v, 27);
        bed.Exit(v, Arm64Bed.Wfe);
        Assert.That(bed.Cpu.LastEntryLr[0], Is.Zero, "GICD_CTLR is 0");
        Mmio(bed, v, GuestLayout.Gicv3GicrBase + 0x10180, 1u << 27);   // ICENABLER0
        Mmio(bed, v, GuestLayout.GicdBase, 0x12);
        bed.Exit(v, Arm64Bed.Wfe);
        Assert.That(bed.Cpu.LastEntryLr[0], Is.Zero, "disabled");
        Assert.That(v.Arm64.Vgic.Pending, Is.EqualTo(1u << 27), "kept pending");
    }

    [Test]
    public void WithEveryListRegisterBusyTheRestWait()
    {
        using var bed = new Arm64Bed(listRegisters: 2);
        Assert.That(bed.Host.ListRegisters, Is.EqualTo(2));
        Vcpu v = bed.NewDomain().Vcpus[0];
        Mmio(bed, v, GuestLayout.GicdBase, 0x12);
        Mmio(bed, v, GuestLayout.Gicv3GicrBase + 0x10100, 0xFFFF_FFFF);
        for (uint i = 16; i < 19; i++) Vgic.Raise(v, i);
        bed.Exit(v, Arm64Bed.Wfe);
        Assert.That(bed.Cpu.LastEntryLr[0] & 0x3FF, Is.EqualTo(16UL));
        Assert.That(bed.Cpu.LastEntryLr[1] & 0x3FF, Is.EqualTo(17UL));
        Assert.That(bed.Cpu.LastEntryLr[2], Is.Zero, "only two list registers");
        Assert.That(v.Arm64.Vgic.Pending, Is.EqualTo(1u << 18), "the third waits");
        bed.Exit(v, Arm64Bed.Wfe, guest: (r, c) => bed.Cpu.Lr[0] = 0);   // the guest ends INTID 16
        bed.Exit(v, Arm64Bed.Wfe);
        Assert.That(bed.Cpu.LastEntryLr[0] & 0x3FF, Is.EqualTo(18UL), "and takes the freed one");
    }

    [Test]
    public void TheEventChannelPpiIsAssertedWhileAnUpcallIsPending()
    {
        using var bed = new Arm64Bed();
        Domain d = bed.NewDomain();
        Vcpu v = d.Vcpus[0];
        EnablePpiV3(bed, v, 31);
        Assume.That(v.Events?.Info != null, "vcpu_info exists for vCPU 0");
        XenLite.Hv.Common.Events.Upcall.MarkEventsPending(v);
        bed.Exit(v, Arm64Bed.Wfe);
        Assert.That(bed.Cpu.LastEntryLr[0] & 0x3FF, Is.EqualTo(31UL));
    }

    [Test]
    public void SwitchingVcpusSavesAndRestoresListRegistersAndTheInterface()
    {
        using var bed = new Arm64Bed();
        Domain d = bed.NewDomain(cpus: 2);
        Vcpu v0 = d.Vcpus[0], v1 = d.Vcpus[1];
        v1.IsUp = true;
        EnablePpiV3(bed, v0, 27);
        Vgic.Raise(v0, 27);
        bed.Exit(v0, Arm64Bed.Wfe);
        bed.Cpu.Vmcr = 0xF000_0003;
        ulong lr = bed.Cpu.Lr[0];
        bed.Exit(v1, Arm64Bed.Wfe);
        Assert.That(bed.Cpu.LastEntryLr[0], Is.Zero, "vCPU 1 does not see vCPU 0's interrupt");
        Assert.That(v0.Arm64.Vgic.Vmcr, Is.EqualTo(0xF000_0003UL));
        bed.Exit(v0, Arm64Bed.Wfe);
        Assert.That(bed.Cpu.LastEntryLr[0], Is.EqualTo(lr));
        Assert.That(bed.Cpu.Vmcr, Is.EqualTo(0xF000_0003UL));
    }

    [Test]
    public void RedistributorsDescribeTheirVcpus()
    {
        using var bed = new Arm64Bed();
        Domain d = bed.NewDomain(cpus: 2);
        Vcpu v = d.Vcpus[0];
        ulong typer0 = Read(bed, v, GuestLayout.Gicv3GicrBase + 0x8, 3);
        ulong typer1 = Read(bed, v, GuestLayout.Gicv3GicrBase + GuestLayout.GicrStride + 0x8, 3);
        Assert.That(typer0 & (1UL << 4), Is.Zero);
        Assert.That(typer1, Is.EqualTo((1UL << 32) | (1UL << 8) | (1UL << 4)), "affinity 0.0.0.1, processor 1, Last");
        Assert.That(Read(bed, v, GuestLayout.Gicv3GicrBase + 2 * GuestLayout.GicrStride + 0x8), Is.Zero, "no third frame");
        Assert.That(Read(bed, v, GuestLayout.Gicv3GicrBase + 0x14), Is.EqualTo(6UL), "asleep until woken");
        Mmio(bed, v, GuestLayout.Gicv3GicrBase + 0x14, 0);
        Assert.That(Read(bed, v, GuestLayout.Gicv3GicrBase + 0x14), Is.Zero);
        Assert.That(Read(bed, v, GuestLayout.Gicv3GicrBase + 0xFFE8), Is.EqualTo(0x3BUL));
    }

    [Test]
    public void DistributorRegisters()
    {
        using var bed = new Arm64Bed(gic: 2);
        Domain d = bed.NewDomain(cpus: 2);
        Vcpu v = d.Vcpus[0];
        Assert.That(Read(bed, v, GuestLayout.GicdBase + 0x4), Is.EqualTo((1UL << 5) | 1), "two CPUs, 64 interrupts");
        Assert.That(Read(bed, v, GuestLayout.GicdBase + 0xFE8), Is.EqualTo(0x2BUL));
        Mmio(bed, v, GuestLayout.GicdBase + 0x420, 0x1122_3344);   // priorities of SPIs 32–35
        Assert.That(Read(bed, v, GuestLayout.GicdBase + 0x421, 0), Is.EqualTo(0x33UL), "byte access");
        Assert.That(Read(bed, v, GuestLayout.GicdBase + 0x800), Is.EqualTo(0x0101_0101UL), "ITARGETSR of banked INTIDs: this CPU");
        Mmio(bed, v, GuestLayout.GicdBase + 0x104, 0x3);
        Mmio(bed, v, GuestLayout.GicdBase + 0x184, 0x1);
        Assert.That(Read(bed, v, GuestLayout.GicdBase + 0x104), Is.EqualTo(2UL));
        Assert.That(Read(bed, v, GuestLayout.GicdBase + 0xE00), Is.Zero, "reserved: RAZ");
    }

    [Test]
    public void SgisReachTheirTargetsAndWakeThem()
    {
        using var bed = new Arm64Bed(gic: 3);
        Domain d = bed.NewDomain(cpus: 2);
        Vcpu v0 = d.Vcpus[0], v1 = d.Vcpus[1];
        v1.IsUp = true;
        v1.Blocked = true;
        v0.Regs[2] = (5UL << 24) | 0b10;   // SGI 5 to Aff0 = 1
        ulong pc = v0.Regs.Ip;
        bed.Exit(v0, Arm64Bed.Sysreg(3, 0, 12, 11, 5, 2, read: false));   // ICC_SGI1R_EL1
        Assert.That(v0.Regs.Ip, Is.EqualTo(pc + 4));
        Assert.That(v1.Arm64.Vgic.Pending, Is.EqualTo(1u << 5));
        Assert.That(v1.Blocked, Is.False);
        Assert.That(v0.Arm64.Vgic.Pending, Is.Zero);
        v0.Regs[2] = (6UL << 24) | (1UL << 40);   // IRM: everyone else
        bed.Exit(v0, Arm64Bed.Sysreg(3, 0, 12, 11, 5, 2, read: false));
        Assert.That(v1.Arm64.Vgic.Pending, Is.EqualTo((1u << 5) | (1u << 6)));
    }

    // Xen's vgic_inject_irq ends with vcpu_kick: whatever makes an interrupt pending wakes the vCPU it goes to.
    [Test]
    public void SettingAnInterruptPendingWakesTheVcpuItGoesTo()
    {
        using var bed = new Arm64Bed(gic: 3);
        Domain d = bed.NewDomain(cpus: 2);
        Vcpu v0 = d.Vcpus[0], v1 = d.Vcpus[1];
        v1.IsUp = true;
        v0.Blocked = true;
        Mmio(bed, v1, GuestLayout.GicdBase + 0x204, 1u << 3);   // GICD_ISPENDR1: SPI 35, delivered to vCPU 0
        Assert.That(d.Arm64.Dist.Pending, Is.EqualTo(1u << 3));
        Assert.That(v0.Blocked, Is.False, "vCPU 0 woken for the SPI");
        v1.Blocked = true;
        Mmio(bed, v0, GuestLayout.Gicv3GicrBase + GuestLayout.GicrStride + 0x10200, 1u << 20);   // vCPU 1's GICR_ISPENDR0
        Assert.That(v1.Arm64.Vgic.Pending, Is.EqualTo(1u << 20));
        Assert.That(v1.Blocked, Is.False, "vCPU 1 woken for its PPI");
    }

    [Test]
    public void GicV2SgirTargetFilters()
    {
        using var bed = new Arm64Bed(gic: 2);
        Domain d = bed.NewDomain(cpus: 2);
        Vcpu v0 = d.Vcpus[0], v1 = d.Vcpus[1];
        Mmio(bed, v0, GuestLayout.GicdBase + 0xF00, (0u << 24) | (2u << 16) | 3);   // list: CPU 1
        Mmio(bed, v0, GuestLayout.GicdBase + 0xF00, (2u << 24) | 4);                // self
        Assert.That(v1.Arm64.Vgic.Pending, Is.EqualTo(1u << 3));
        Assert.That(v0.Arm64.Vgic.Pending, Is.EqualTo(1u << 4));
    }
}

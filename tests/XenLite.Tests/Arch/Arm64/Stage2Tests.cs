using NUnit.Framework;
using XenLite.Hv.Arch.Arm64;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;

namespace XenLite.Tests.Arch.Arm64;

/// <summary>Per-domain stage-2 tables with VMIDs, built from the p2m and kept in step with it.</summary>
[Category("stage2")]
public class Stage2Tests
{
    [Test]
    public void RamIsMappedAtXensGuestRamBaseAsNormalMemory()
    {
        using var bed = new Arm64Bed();
        Domain d = bed.NewDomain();
        MachineMemory mem = bed.Hv.Memory;
        ulong gfn = GuestLayout.RamBaseGfn + 5;
        ulong leaf = Stage2.Lookup(mem, d.Arm64.Stage2Root, gfn);
        Assert.That(leaf & ~0x0000_FFFF_FFFF_F000UL, Is.EqualTo(Stage2.NormalRw));
        Assert.That(leaf >> 12 & 0xF_FFFF_FFFF, Is.EqualTo(d.P2m.Lookup(new Gfn(gfn)).Value));
        Assert.That(Stage2.Lookup(mem, d.Arm64.Stage2Root, 0), Is.Zero, "IPA 0 has nothing");
        Assert.That(Stage2.Lookup(mem, d.Arm64.Stage2Root, GuestLayout.RamBaseGfn + d.TotPages), Is.Zero, "nothing past the RAM");
        Assert.That(d.TotPages, Is.EqualTo(8192UL / 4));
        Assert.That(d.MaxPages, Is.EqualTo(d.TotPages));
    }

    [Test]
    public void VmidsAreUniqueAndReusedAfterDestroy()
    {
        using var bed = new Arm64Bed();
        Domain a = bed.NewDomain(1), b = bed.NewDomain(2);
        Assert.That(a.Arm64.Vmid, Is.Not.Zero);
        Assert.That(b.Arm64.Vmid, Is.Not.EqualTo(a.Arm64.Vmid));
        uint vmid = a.Arm64.Vmid;
        ulong vttbr = a.Arm64.Vttbr;
        Assert.That(vttbr >> 48, Is.EqualTo((ulong)vmid));
        Arm64Domain.Destroy(bed.Host, a);
        Assert.That(bed.Cpu.FlushedVttbrs, Does.Contain(vttbr), "a reused VMID must not find stale translations");
        Assert.That(bed.Host.AllocateVmid(), Is.EqualTo(vmid));
    }

    [Test]
    public void DestroyGivesBackEveryTableAndContextFrame()
    {
        using var bed = new Arm64Bed();
        Domain d = bed.NewDomain(1, cpus: 2);
        ulong before = bed.Hv.Memory.FreeFrames;
        ulong ram = d.TotPages;
        Arm64Domain.Destroy(bed.Host, d);
        bed.Hv.DestroyDomain(d);
        Assert.That(bed.Hv.Memory.FreeFrames, Is.GreaterThan(before + ram), "RAM, stage-2 tables and contexts");
        Assert.That(d.Arm64, Is.Null);
        Assert.That(d.Vcpus[0].Arm64, Is.Null);
    }

    [Test]
    public void GicV2MapsTheGuestCpuInterfaceToGicv()
    {
        using var bed = new Arm64Bed(gic: 2);
        Domain d = bed.NewDomain();
        ulong leaf = Stage2.Lookup(bed.Hv.Memory, d.Arm64.Stage2Root, GuestLayout.GiccBase >> 12);
        Assert.That(leaf & 0x0000_FFFF_FFFF_F000UL, Is.EqualTo(Arm64Bed.GicvBase));
        Assert.That(leaf & ~0x0000_FFFF_FFFF_F000UL, Is.EqualTo(Stage2.DeviceRw));
        Assert.That(Stage2.Lookup(bed.Hv.Memory, d.Arm64.Stage2Root, (GuestLayout.GiccBase >> 12) + 1), Is.Not.Zero, "8 KiB");
    }

    [Test]
    public void GicV3DoesNotMapAGicc()
    {
        using var bed = new Arm64Bed(gic: 3);
        Domain d = bed.NewDomain();
        Assert.That(Stage2.Lookup(bed.Hv.Memory, d.Arm64.Stage2Root, GuestLayout.GiccBase >> 12), Is.Zero);
    }

    [Test]
    public void P2mChangesReachStage2AndRemovalsFlushTheTlb()
    {
        using var bed = new Arm64Bed();
        Domain d = bed.NewDomain();
        MachineMemory mem = bed.Hv.Memory;
        var gfn = new Gfn(GuestLayout.RamBaseGfn + 3);
        Mfn mfn = d.P2m.Lookup(gfn);
        Physmap.Remove(d, gfn);
        Assert.That(Stage2.Lookup(mem, d.Arm64.Stage2Root, gfn.Value), Is.Zero);
        Assert.That(bed.Cpu.FlushedVttbrs, Does.Contain(d.Arm64.Vttbr));
        var shared = new Gfn(GuestLayout.MagicBase >> 12);
        Physmap.AddOwn(d, shared, mfn);
        Assert.That(Stage2.Lookup(mem, d.Arm64.Stage2Root, shared.Value) >> 12 & 0xF_FFFF_FFFF, Is.EqualTo(mfn.Value));
        Physmap.AddForeign(d, new Gfn(GuestLayout.MagicBase / 4096 + 1), mfn, P2mType.GrantMapRo);
        Assert.That(Stage2.Lookup(mem, d.Arm64.Stage2Root, GuestLayout.MagicBase / 4096 + 1) & 0xC0, Is.EqualTo(0x40UL), "read-only grant map: S2AP = 01");
    }

    [Test]
    public void NothingMapsAt4GiBOrAbove()
    {
        using var bed = new Arm64Bed();
        Domain d = bed.NewDomain();
        Assert.That(Stage2.Map(bed.Hv.Memory, d.Arm64.Stage2Root, 1UL << 20, d.P2m.Lookup(new Gfn(GuestLayout.RamBaseGfn)).Value, Stage2.NormalRw), Is.False);
    }

    [TestCase(0u, 0x8000_3560UL)]
    [TestCase(2u, 0x8002_3560UL)]
    [TestCase(6u, 0x8005_3560UL)]
    public void VtcrFollowsThePhysicalAddressRange(uint paRange, ulong vtcr) => Assert.That(Stage2.Vtcr(paRange), Is.EqualTo(vtcr));

    [Test]
    public void TheHostSetsVtcrAndEnablesItsTimerPpis()
    {
        using var bed = new Arm64Bed();
        Assert.That(bed.Cpu.Vtcr, Is.EqualTo(Stage2.Vtcr(bed.Cpu.PaRange)));
        Assert.That(bed.Cpu.Cnthctl, Is.EqualTo(Arm64Host.GuestCnthctl));
        Assert.That(bed.Cpu.EnabledPpis, Is.EquivalentTo(new[] { 26u, 27u }));
    }

    [Test]
    public void SwitchingLoadsTheVcpusWorld()
    {
        using var bed = new Arm64Bed();
        Domain d = bed.NewDomain(cpus: 2);
        bed.Exit(d.Vcpus[0], Arm64Bed.Wfe);
        Assert.That(bed.Cpu.World.Vttbr, Is.EqualTo(d.Arm64.Vttbr));
        Assert.That(bed.Cpu.World.Hcr, Is.EqualTo(Arm64Host.GuestHcr));
        Assert.That(bed.Cpu.World.Cntvoff, Is.EqualTo(d.Arm64.Cntvoff));
        Assert.That(bed.Cpu.World.Vmpidr, Is.EqualTo(0x8000_0000UL));
        Assert.That(Arm64Host.GuestHcr & 0x8000_0000UL, Is.Not.Zero, "EL1 is AArch64 (RW)");
        Assert.That(Arm64Host.GuestHcr & ((1UL << 13) | (1UL << 14) | (1UL << 19)), Is.EqualTo((1UL << 13) | (1UL << 14) | (1UL << 19)), "TWI, TWE, TSC");
    }
}

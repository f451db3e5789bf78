using System.Collections.Generic;
using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Arch.X86;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;

namespace XenLite.Tests.Arch.X86;

[Category("svm")]
public unsafe class NptTests
{
    const ulong Present = 1, Writable = 2, User = 4;

    /// <summary>An independent 4-level walk; records the table frames it passes through.</summary>
    static Mfn Walk(MachineMemory mem, Mfn root, ulong gfn, HashSet<ulong> tables = null)
    {
        ulong table = root.Value;
        for (int level = 4; level >= 1; level--)
        {
            tables?.Add(table);
            ulong e = ((ulong*)mem.Map(new Mfn(table)))[(gfn >> (9 * (level - 1))) & 511];
            if ((e & Present) == 0) return Mfn.Invalid;
            Assert.That(e & (Writable | User), Is.EqualTo(Writable | User), $"level {level} entry {e:x}");
            Assert.That(e & 0x80, Is.Zero, "no large pages");
            table = (e & 0x000F_FFFF_FFFF_F000) >> 12;
        }
        return new Mfn(table);
    }

    [Test]
    public void EveryP2mFrameTranslatesAndNothingElseDoes()
    {
        using var bed = new SvmBed();
        var d = bed.M.NewDomain(GuestMode.Hvm64, 1, 96, privileged: false);
        d.P2m.Clear(new Gfn(10)); // a hole
        Assert.That(SvmDomain.Create(bed.Host, d), Is.True);
        var mem = bed.Hv.Memory;
        var tables = new HashSet<ulong>();
        for (ulong g = 0; g < 96; g++)
        {
            Mfn expect = g == 10 ? Mfn.Invalid : d.P2m.Lookup(new Gfn(g));
            Assert.That(Walk(mem, d.X86.NptRoot, g, tables).Value, Is.EqualTo(expect.Value), $"gfn {g}");
        }
        foreach (ulong g in new ulong[] { 96, 512, 0x40000, 0xF_FFFF_FFFF })
            Assert.That(Walk(mem, d.X86.NptRoot, g).IsValid, Is.False, $"gfn {g:x}");
        foreach (ulong t in tables)
            Assert.That(mem.OwnerOf(new Mfn(t)), Is.EqualTo((ushort)DomainIds.Xen), "tables are the hypervisor's");
        for (ulong g = 0; g < d.P2m.Size; g++)
            Assert.That(tables.Contains(d.P2m.Lookup(new Gfn(g)).Value), Is.False, "no table frame is guest RAM");
    }

    [Test]
    public void MapAndUnmapOneGfnAndUnmapFlushesEveryVcpu()
    {
        using var bed = new SvmBed();
        var d = bed.NewPvh(vcpus: 2);
        var mem = bed.Hv.Memory;
        Mfn extra = mem.Allocate(d.Id);
        var far = new Gfn(0x12_3456);
        Assert.That(SvmDomain.MapGfn(bed.Host, d, far, extra), Is.True);
        Assert.That(Walk(mem, d.X86.NptRoot, far.Value).Value, Is.EqualTo(extra.Value));

        foreach (var v in d.Vcpus) v.X86.FlushTlb = false;
        SvmDomain.UnmapGfn(bed.Host, d, far);
        Assert.That(Walk(mem, d.X86.NptRoot, far.Value).IsValid, Is.False);
        Assert.That(Walk(mem, d.X86.NptRoot, 3).IsValid, Is.True, "neighbours untouched");
        foreach (var v in d.Vcpus) Assert.That(v.X86.FlushTlb, Is.True);
    }

    [Test]
    public void GfnsBeyond48BitsAreRefused()
    {
        using var bed = new SvmBed();
        var d = bed.NewPvh();
        Assert.That(SvmDomain.MapGfn(bed.Host, d, new Gfn(1UL << Npt.GfnBits), d.P2m.Lookup(new Gfn(0))), Is.False);
    }

    [Test]
    public void FirstRunFlushesTheAsidThenNotAgain()
    {
        using var bed = new SvmBed();
        var v = bed.NewPvh().Vcpus[0];
        bed.Exit(v, SvmExit.Intr);
        Assert.That(bed.Cpu.LastEntry.TlbControl, Is.EqualTo(1));
        bed.Exit(v, SvmExit.Intr);
        Assert.That(bed.Cpu.LastEntry.TlbControl, Is.EqualTo(0));
        Assert.That(SvmBed.VmcbOf(v)->TlbControl, Is.EqualTo(0));
    }

    [Test]
    public void DestroyGivesBackEveryTableAndVmcbFrame()
    {
        using var bed = new SvmBed();
        var d = bed.M.NewDomain(GuestMode.Hvm64, 1, 64, vcpus: 2, privileged: false);
        ulong before = bed.Hv.Memory.FreeFrames;
        Assert.That(SvmDomain.Create(bed.Host, d), Is.True);
        SvmDomain.MapGfn(bed.Host, d, new Gfn(0x8_0000_0000), d.P2m.Lookup(new Gfn(1)));
        Assert.That(bed.Hv.Memory.FreeFrames, Is.LessThan(before));
        SvmDomain.Destroy(bed.Host, d);
        Assert.That(bed.Hv.Memory.FreeFrames, Is.EqualTo(before));
    }
}

using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Arch.X86;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Events;
using XenLite.Hv.Common.Memory;

namespace XenLite.Tests.Arch.X86;

/// <summary>The x86 pieces the two-domain image runs on: nested tables following the p2m, upcall injection, toolstack-built domains starting on unpause.</summary>
public unsafe class SchedulingAndSyncTests
{
    const ulong Present = 1, Writable = 2;

    static ulong Leaf(MachineMemory mem, Mfn root, ulong gfn)
    {
        ulong table = root.Value;
        for (int level = 4; level >= 1; level--)
        {
            ulong e = ((ulong*)mem.Map(new Mfn(table)))[(gfn >> (9 * (level - 1))) & 511];
            if ((e & Present) == 0 || level == 1) return e;
            table = (e & 0x000F_FFFF_FFFF_F000) >> 12;
        }
        return 0;
    }

    [Test]
    public void P2mChangesReachTheNestedTablesAndReadOnlyGrantsMapReadOnly()
    {
        using var bed = new SvmBed();
        var d = bed.NewPvh();
        var mem = bed.Hv.Memory;
        Mfn extra = mem.Allocate(d.Id);
        d.P2m.Set(new Gfn(0x5000), extra, P2mType.GrantMapRo);
        ulong e = Leaf(mem, d.X86.NptRoot, 0x5000);
        Assert.That(e & 0x000F_FFFF_FFFF_F000, Is.EqualTo(extra.ToMaddr().Value));
        Assert.That(e & Writable, Is.Zero, "a read-only grant is not writable");
        foreach (var v in d.Vcpus) v.X86.FlushTlb = false;
        d.P2m.Set(new Gfn(0x5000), extra, P2mType.GrantMapRw);
        Assert.That(Leaf(mem, d.X86.NptRoot, 0x5000) & Writable, Is.EqualTo(Writable));
        Assert.That(d.Vcpus[0].X86.FlushTlb, Is.True, "a replaced translation flushes");
        d.P2m.Clear(new Gfn(0x5000));
        Assert.That(Leaf(mem, d.X86.NptRoot, 0x5000) & Present, Is.Zero);
    }

    [Test]
    public void DestroyingTheDomainDetachesTheObserver()
    {
        using var bed = new SvmBed();
        var d = bed.NewPvh();
        Assert.That(d.P2m.Observer, Is.InstanceOf<NptSync>());
        SvmDomain.Destroy(bed.Host, d);
        Assert.That(d.P2m.Observer, Is.Null);
    }

    [Test]
    public void AWantedUpcallIsInjectedOnlyWhenInterruptsAreOn()
    {
        using var bed = new SvmBed();
        var d = bed.NewPvh();
        var v = d.Vcpus[0];
        Vmcb* vmcb = SvmBed.VmcbOf(v);
        Assert.That(Upcall.SetUpcallVector(d, 0, 0xF3), Is.Zero);
        v.Events.UpcallWanted = true;
        v.Regs.Flags = X86Bits.RflagsFixed;
        UpcallInjection.Prepare(v, vmcb);
        Assert.That(vmcb->EventInj, Is.Zero, "IF clear: not yet");
        v.Regs.Flags |= X86Bits.RflagsIf;
        UpcallInjection.Prepare(v, vmcb);
        Assert.That(vmcb->EventInj, Is.EqualTo(SvmEvent.Valid | 0xF3UL), "an external interrupt with the upcall vector");
        Assert.That(v.Events.UpcallWanted, Is.False);
    }

    [Test]
    public void WithoutAVectorNothingIsInjected()
    {
        using var bed = new SvmBed();
        var d = bed.NewPvh();
        var v = d.Vcpus[0];
        v.Events.UpcallWanted = true;
        v.Regs.Flags = X86Bits.RflagsFixed | X86Bits.RflagsIf;
        UpcallInjection.Prepare(v, SvmBed.VmcbOf(v));
        Assert.That(SvmBed.VmcbOf(v)->EventInj, Is.Zero);
    }

    [Test]
    public void AToolstackBuiltDomainGetsSvmStateOnlyOnceUnpaused()
    {
        using var bed = new SvmBed();
        var d = bed.M.NewDomain(GuestMode.Hvm64, 2, 64, privileged: false);
        d.Control.PauseCount = 1;
        DomainStart.StartIfReady(bed.Host, d);
        Assert.That(d.X86, Is.Null, "paused");
        d.Control.PauseCount = 0;
        d.Vcpus[0].Regs.Ip = 0x100040;
        DomainStart.StartIfReady(bed.Host, d);
        Assert.That(d.X86, Is.Not.Null);
        Vmcb* vmcb = SvmBed.VmcbOf(d.Vcpus[0]);
        Assert.That(vmcb->Cs.Attrib, Is.EqualTo(SvmSetup.CodeAttrib), "PVH start segments");
        Assert.That(vmcb->Cr0, Is.EqualTo(X86Bits.Cr0Pe | X86Bits.Cr0Et));
        Assert.That(d.P2m.Observer, Is.InstanceOf<NptSync>());
        bed.Hv.DestroyDomain(d);
        bed.Host.ReleaseDestroyed();
        Assert.That(d.X86, Is.Null, "a destroyed domain's SVM state is given back");
    }
}

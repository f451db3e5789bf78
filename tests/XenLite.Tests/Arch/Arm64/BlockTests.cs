using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Arch.Arm64;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Events;

namespace XenLite.Tests.Arch.Arm64;

/// <summary>
/// SCHEDOP_block and SCHEDOP_poll from an arm guest, as Xen's vcpu_block_enable_events on arm: blocking
/// clears PSTATE.I, and the vCPU sleeps only when, with PSTATE.I clear, no virtual interrupt is
/// pending for it in the vGIC and no upcall is pending.
/// </summary>
[Category("arm64"), Category("sched_op")]
public unsafe class BlockTests
{
    const ulong PstateI = 1UL << 7;
    const ulong PollArgs = GuestLayout.RamBase + 0x10_0000;

    static void Mmio(Arm64Bed bed, Vcpu v, ulong ipa, uint value)
    {
        v.Regs[1] = value;
        bed.Exit(v, Arm64Bed.DataAbort(rt: 1, write: true), ipa: ipa);
    }

    /// <summary>GICD_CTLR (ARE, group 1) and GICD_ISENABLER1 bit for SPI 40.</summary>
    static void EnableSpi40(Arm64Bed bed, Vcpu v)
    {
        Mmio(bed, v, GuestLayout.GicdBase, 0x12);
        Mmio(bed, v, GuestLayout.GicdBase + 0x104, 1u << 8);
    }

    static void EnablePpi(Arm64Bed bed, Vcpu v, int intid)
    {
        Mmio(bed, v, GuestLayout.GicdBase, 0x12);
        Mmio(bed, v, GuestLayout.Gicv3GicrBase + 0x10100, 1u << intid);
    }

    /// <summary>The guest runs (<paramref name="guest"/> happens meanwhile), then calls SCHEDOP_block with PSTATE <paramref name="pstate"/>.</summary>
    static long Block(Arm64Bed bed, Vcpu v, ulong pstate, FakeArm64Cpu.GuestStep guest = null)
    {
        v.Regs.Flags = pstate;
        v.Regs[16] = HypercallNumber.SchedOp;
        v.Regs[0] = SchedOpCmd.Block;
        v.Regs[1] = 0;
        Assert.That(bed.Exit(v, Arm64Bed.Hvc(0xEA1), guest: guest), Is.EqualTo(Arm64ExitResult.Resume));
        return (long)v.Regs[0];
    }

    static long PollNoPorts(Arm64Bed bed, Vcpu v, ulong pstate, FakeArm64Cpu.GuestStep guest = null)
    {
        bed.M.PokeStruct(v.Domain, PollArgs, new SchedPoll { Ports = PollArgs + 0x100, NrPorts = 0, Timeout = 0 });
        v.Regs.Flags = pstate;
        v.Regs[16] = HypercallNumber.SchedOp;
        v.Regs[0] = SchedOpCmd.Poll;
        v.Regs[1] = PollArgs;
        bed.Exit(v, Arm64Bed.Hvc(0xEA1), guest: guest);
        return (long)v.Regs[0];
    }

    [Test]
    public void BlockClearsPstateIAndSleepsWhenNothingIsPending()
    {
        using var bed = new Arm64Bed();
        Vcpu v = bed.NewDomain().Vcpus[0];
        Assert.That(Block(bed, v, GuestException.Pstate64Init), Is.Zero);
        Assert.That(v.Regs.Flags, Is.EqualTo(GuestException.Pstate64Init & ~PstateI), "only PSTATE.I cleared (D, A, F and the mode kept)");
        Assert.That(v.Blocked, Is.True);
    }

    [Test]
    public void APendingSpiRaisedWhileMaskedKeepsBlockFromSleeping()
    {
        using var bed = new Arm64Bed();
        Vcpu v = bed.NewDomain().Vcpus[0];
        EnableSpi40(bed, v);
        // The SPI arrives while the guest runs with interrupts masked, just before it blocks.
        Block(bed, v, GuestException.Pstate64Init, guest: (r, c) => Vgic.Raise(v, 40));
        Assert.That(Vgic.HasPending(v), Is.True, "not yet delivered");
        Assert.That(v.Regs.Flags & PstateI, Is.Zero);
        Assert.That(v.Blocked, Is.False, "the interrupt is taken as soon as the guest resumes");
    }

    [Test]
    public void APpiInAListRegisterKeepsBlockFromSleeping()
    {
        using var bed = new Arm64Bed();
        Vcpu v = bed.NewDomain().Vcpus[0];
        EnablePpi(bed, v, 27);
        Vgic.Raise(v, 27);   // goes into a list register at the next entry; the guest has I set and has not taken it
        Block(bed, v, GuestException.Pstate64Init);
        Assert.That(v.Arm64.Vgic.InLr, Is.Not.Zero);
        Assert.That(v.Blocked, Is.False);
    }

    [Test]
    public void APendingUpcallKeepsBlockFromSleeping()
    {
        using var bed = new Arm64Bed();
        Vcpu v = bed.NewDomain().Vcpus[0];
        Assume.That(v.Events?.Info != null, "vcpu_info exists for vCPU 0");
        Block(bed, v, GuestException.Pstate64Init, guest: (r, c) => Upcall.MarkEventsPending(v));
        Assert.That(v.Blocked, Is.False);
    }

    [Test]
    public void ABlockedVcpuIsWokenByALaterInterrupt()
    {
        using var bed = new Arm64Bed();
        Vcpu v = bed.NewDomain().Vcpus[0];
        EnableSpi40(bed, v);
        Block(bed, v, GuestException.Pstate64Init);
        Assert.That(v.Blocked, Is.True);
        Vgic.Raise(v, 40);
        Assert.That(v.Blocked, Is.False);
    }

    [Test]
    public void ABlockedVcpuIsWokenByALaterUpcall()
    {
        using var bed = new Arm64Bed();
        Vcpu v = bed.NewDomain().Vcpus[0];
        Assume.That(v.Events?.Info != null, "vcpu_info exists for vCPU 0");
        Block(bed, v, 0x5);
        Assert.That(v.Blocked, Is.True);
        Upcall.MarkEventsPending(v);
        Assert.That(v.Blocked, Is.False);
    }

    // SCHEDOP_poll uses local_events_need_delivery without enabling delivery first.
    [Test]
    public void PollReturnsAtOnceForAPendingInterruptOnlyWhenPstateIIsClear()
    {
        using var bed = new Arm64Bed();
        Vcpu v = bed.NewDomain().Vcpus[0];
        EnableSpi40(bed, v);
        Assert.That(PollNoPorts(bed, v, 0x5, guest: (r, c) => Vgic.Raise(v, 40)), Is.Zero);
        Assert.That(v.Blocked, Is.False, "unmasked: returns at once");
        Assert.That(v.Polling, Is.False);

        using var bed2 = new Arm64Bed();
        Vcpu w = bed2.NewDomain().Vcpus[0];
        EnableSpi40(bed2, w);
        Assert.That(PollNoPorts(bed2, w, GuestException.Pstate64Init, guest: (r, c) => Vgic.Raise(w, 40)), Is.Zero);
        Assert.That(w.Regs.Flags & PstateI, Is.EqualTo(PstateI), "poll leaves PSTATE.I alone");
        Assert.That(w.Blocked, Is.True, "masked: sleeps");
        Assert.That(w.Polling, Is.True);
    }
}

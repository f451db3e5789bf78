using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Tests.Harness;
using static XenLite.Tests.Sched.SchedGuest;

namespace XenLite.Tests.Sched;

/// <summary>set_timer_op: the per-vCPU single-shot timer, its 64-bit and lo/hi argument forms, and Xen's clamps.</summary>
[Category("set_timer_op")]
public class SetTimerOpTests
{
    const long HundredMs = 100_000_000;

    /// <summary>set_timer_op(deadline) the way the caller's ABI passes it.</summary>
    static long SetTimer(TestMachine m, Vcpu v, ulong deadline) =>
        GuestModes.Is32Bit(v.Mode)
            ? m.Call(v, HypercallNumber.SetTimerOp, (uint)deadline, deadline >> 32)
            : m.Call(v, HypercallNumber.SetTimerOp, deadline);

    [TestCaseSource(typeof(SchedGuest), nameof(X86Modes))]
    public void TheTimerFiresOnceAtItsDeadline(GuestMode mode)
    {
        using var m = new TestMachine();
        var v = m.NewDomain(mode).Vcpus[0];
        m.Platform.Now = 1_000;
        // Above 4 s, so a 32-bit caller's hi word matters.
        const ulong deadline = 0x1_2345_6789;
        Assert.That(SetTimer(m, v, deadline), Is.EqualTo(0));
        Assert.That(v.SingleshotTimer.Active, Is.True);
        Assert.That(v.SingleshotTimer.Expires, Is.EqualTo((long)deadline));

        m.TickAt(deadline - 1);
        Assert.That(v.TimerEvents, Is.Zero);
        m.TickAt(deadline);
        Assert.That(v.TimerEvents, Is.EqualTo(1));
        Assert.That(v.SingleshotTimer.Active, Is.False);
        m.TickAt(deadline * 2);
        Assert.That(v.TimerEvents, Is.EqualTo(1), "single-shot");
    }

    [TestCaseSource(typeof(SchedGuest), nameof(X86Modes))]
    public void ZeroCancels(GuestMode mode)
    {
        using var m = new TestMachine();
        var v = m.NewDomain(mode).Vcpus[0];
        SetTimer(m, v, 500);
        Assert.That(SetTimer(m, v, 0), Is.EqualTo(0));
        Assert.That(v.SingleshotTimer.Active, Is.False);
        m.TickAt(1_000);
        Assert.That(v.TimerEvents, Is.Zero);
    }

    [TestCaseSource(typeof(SchedGuest), nameof(X86Modes))]
    public void APastDeadlineFiresAtTheNextTick(GuestMode mode)
    {
        using var m = new TestMachine();
        var v = m.NewDomain(mode).Vcpus[0];
        m.Platform.Now = 5_000;
        SetTimer(m, v, 1);
        m.TickAt(5_000);
        Assert.That(v.TimerEvents, Is.EqualTo(1));
    }

    [Test]
    public void ANewDeadlineReplacesTheOld()
    {
        using var m = new TestMachine();
        var v = m.NewDomain(GuestMode.Hvm64).Vcpus[0];
        SetTimer(m, v, 100);
        SetTimer(m, v, 300);
        m.TickAt(200);
        Assert.That(v.TimerEvents, Is.Zero);
        m.TickAt(300);
        Assert.That(v.TimerEvents, Is.EqualTo(1));
    }

    [TestCase(GuestMode.Pv64, 0x8000_0000_0000_0000ul)]
    [TestCase(GuestMode.Hvm64, 0xFFFF_FFFF_FFFF_FFFFul)]
    [TestCase(GuestMode.Pv32, 0x8000_0000_0000_0001ul)]  // hi word's top bit: negative for compat callers too
    [TestCase(GuestMode.Hvm32, 0xFFFF_FFFF_0000_0000ul)]
    public void ANegativeDeadlineFiresInAHundredMilliseconds(GuestMode mode, ulong deadline)
    {
        using var m = new TestMachine();
        var v = m.NewDomain(mode).Vcpus[0];
        m.Platform.Now = 7_000;
        SetTimer(m, v, deadline);
        Assert.That(v.SingleshotTimer.Expires, Is.EqualTo(7_000 + HundredMs));
    }

    [TestCaseSource(typeof(SchedGuest), nameof(X86Modes))]
    public void ADeadlineMoreThanTwoToTheFiftyNanosecondsAheadFiresInAHundredMilliseconds(GuestMode mode)
    {
        using var m = new TestMachine();
        var v = m.NewDomain(mode).Vcpus[0];
        const ulong now = 1_000_000;
        m.Platform.Now = now;
        SetTimer(m, v, now + (1ul << 50) - 1);
        Assert.That(v.SingleshotTimer.Expires, Is.EqualTo((long)(now + (1ul << 50) - 1)), "just inside the limit is kept");
        SetTimer(m, v, now + (1ul << 50));
        Assert.That(v.SingleshotTimer.Expires, Is.EqualTo((long)now + HundredMs));
    }

    [Test]
    public void CompatCallersCombineLoAndHi()
    {
        using var m = new TestMachine();
        var v = m.NewDomain(GuestMode.Pv32).Vcpus[0];
        m.Call(v, HypercallNumber.SetTimerOp, 0x89AB_CDEF, 0x1);
        Assert.That(v.SingleshotTimer.Expires, Is.EqualTo(0x1_89AB_CDEFL));
        // A 64-bit caller's second argument is not part of the deadline.
        var w = m.NewDomain(GuestMode.Hvm64, id: 1).Vcpus[0];
        m.Call(w, HypercallNumber.SetTimerOp, 0x89AB_CDEF, 0x1);
        Assert.That(w.SingleshotTimer.Expires, Is.EqualTo(0x89AB_CDEFL));
    }

    [Test]
    public void ArmGuestsHaveNoSetTimerOp()
    {
        using var m = new TestMachine();
        var v = m.NewDomain(GuestMode.Arm).Vcpus[0];
        Assert.That(m.Call(v, HypercallNumber.SetTimerOp, 500), Is.EqualTo(-Errno.ENOSYS));
        Assert.That(v.SingleshotTimer.Active, Is.False);
    }

    [Test]
    public void EachVcpuHasItsOwnTimer()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Pv64, vcpus: 2);
        SetTimer(m, d.Vcpus[1], 50);
        m.TickAt(50);
        Assert.That(d.Vcpus[1].TimerEvents, Is.EqualTo(1));
        Assert.That(d.Vcpus[0].TimerEvents, Is.Zero);
    }
}

using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Sched;
using XenLite.Tests.Harness;
using static XenLite.Tests.Sched.SchedGuest;

namespace XenLite.Tests.Sched;

/// <summary>
/// SCHEDOP_poll. No event channel can be bound yet, so a poll naming any port ends at once with
/// -EINVAL; what can be observed is the argument checking, sleeping on no ports with or without
/// a timeout, and the wake-up hook the event channels will call.
/// </summary>
[Category("sched_op")]
public class PollTests
{
    /// <summary>Places sched_poll in the caller's layout (compat for 32-bit x86) and polls.</summary>
    static long Poll(TestMachine m, Vcpu v, ulong ports, uint nrPorts, ulong timeout)
    {
        if (GuestModes.Is32Bit(v.Mode))
            return m.SchedOp(v, SchedOpCmd.Poll, new SchedPollCompat { Ports = (uint)ports, NrPorts = nrPorts, Timeout = timeout });
        return m.SchedOp(v, SchedOpCmd.Poll, new SchedPoll { Ports = ports, NrPorts = nrPorts, Timeout = timeout });
    }

    static ulong Ports(Domain d) => TestMachine.GuestAddr(d, PortsGpa);

    static void AssertRunnable(Vcpu v)
    {
        Assert.That(v.Blocked, Is.False);
        Assert.That(v.Polling, Is.False);
        Assert.That(v.PollEvtchn, Is.Zero);
    }

    [TestCaseSource(typeof(SchedGuest), nameof(AllModes))]
    public void NoPortsSleepsUntilTheTimeoutPasses(GuestMode mode)
    {
        using var m = new TestMachine();
        var d = m.NewDomain(mode);
        var v = d.Vcpus[0];
        m.Platform.Now = 500;
        // The timeout sits at a different offset in the compat layout: a misread would not wake at 10_000.
        Assert.That(Poll(m, v, Ports(d), 0, 10_000), Is.EqualTo(0));
        Assert.That(v.Blocked && v.Polling, Is.True);
        Assert.That(v.PollEvtchn, Is.EqualTo(-1));

        m.TickAt(9_999);
        Assert.That(v.Blocked, Is.True);
        m.TickAt(10_000);
        Assert.That(v.Blocked, Is.False);
        Assert.That(v.Polling, Is.False);
    }

    [TestCaseSource(typeof(SchedGuest), nameof(AllModes))]
    public void NoPortsAndNoTimeoutSleepsUntilAnyEvent(GuestMode mode)
    {
        using var m = new TestMachine();
        var d = m.NewDomain(mode);
        var v = d.Vcpus[0];
        Assert.That(Poll(m, v, Ports(d), 0, 0), Is.EqualTo(0));
        m.TickAt(ulong.MaxValue >> 1);
        Assert.That(v.Blocked, Is.True);
        VcpuWake.CheckPollers(d, 7);
        AssertRunnable(v);
    }

    [Test]
    public void ATimeoutAlreadyPassedWakesAtTheNextTick()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Hvm64);
        var v = d.Vcpus[0];
        m.Platform.Now = 1_000;
        Poll(m, v, Ports(d), 0, 10);
        Assert.That(v.Blocked, Is.True);
        m.TickAt(1_000);
        Assert.That(v.Blocked, Is.False);
    }

    [Test]
    public void ATimeoutBeyondSignedTimeIsAlreadyPast()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Pv64);
        var v = d.Vcpus[0];
        Poll(m, v, Ports(d), 0, 0x8000_0000_0000_0000);
        m.TickAt(0);
        Assert.That(v.Blocked, Is.False);
    }

    [TestCaseSource(typeof(SchedGuest), nameof(AllModes))]
    public void AnUnboundPortIsEinvalAndDoesNotSleep(GuestMode mode)
    {
        using var m = new TestMachine();
        var d = m.NewDomain(mode);
        var v = d.Vcpus[0];
        m.Poke(d, PortsGpa, new byte[] { 3, 0, 0, 0 });
        Assert.That(Poll(m, v, Ports(d), 1, 0), Is.EqualTo(-Errno.EINVAL));
        AssertRunnable(v);
    }

    [TestCaseSource(typeof(SchedGuest), nameof(AllModes))]
    public void MoreThan128PortsIsEinvalBeforeThePortsAreLookedAt(GuestMode mode)
    {
        using var m = new TestMachine();
        var d = m.NewDomain(mode);
        var v = d.Vcpus[0];
        // With 128 the limit passes and the unreadable array gives -EFAULT; with 129 the limit refuses first.
        Assert.That(Poll(m, v, BadAddr(d), 128, 0), Is.EqualTo(-Errno.EFAULT));
        Assert.That(Poll(m, v, BadAddr(d), 129, 0), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Poll(m, v, BadAddr(d), uint.MaxValue, 0), Is.EqualTo(-Errno.EINVAL));
        AssertRunnable(v);
    }

    [TestCaseSource(typeof(SchedGuest), nameof(AllModes))]
    public void AnUnreadablePortArrayIsEfaultAndDoesNotSleep(GuestMode mode)
    {
        using var m = new TestMachine();
        var d = m.NewDomain(mode);
        var v = d.Vcpus[0];
        Assert.That(Poll(m, v, BadAddr(d), 1, 0), Is.EqualTo(-Errno.EFAULT));
        AssertRunnable(v);
    }

    [TestCase(GuestMode.Pv64, 0x8000_0000_0000_0000ul)] // not canonical
    [TestCase(GuestMode.Pv32, 0xFFFF_F000ul)]            // in the hypervisor's part of a 32-bit space
    [TestCase(GuestMode.Hvm64, 0xFFFF_FFFF_FFFF_FFF0ul)] // wraps around
    public void APortArrayOutsideTheGuestsRangeIsEfault(GuestMode mode, ulong ports)
    {
        using var m = new TestMachine();
        var d = m.NewDomain(mode);
        Assert.That(Poll(m, d.Vcpus[0], ports, 8, 0), Is.EqualTo(-Errno.EFAULT));
        AssertRunnable(d.Vcpus[0]);
    }

    [TestCaseSource(typeof(SchedGuest), nameof(AllModes))]
    public void ABadSchedPollPointerIsEfault(GuestMode mode)
    {
        using var m = new TestMachine();
        var d = m.NewDomain(mode);
        Assert.That(m.Call(d.Vcpus[0], HypercallNumber.SchedOp, SchedOpCmd.Poll, BadAddr(d)), Is.EqualTo(-Errno.EFAULT));
        AssertRunnable(d.Vcpus[0]);
    }

    [Test]
    public void ThePollTimerDoesNothingOnceTheVcpuWasWoken()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Hvm64);
        var v = d.Vcpus[0];
        Poll(m, v, Ports(d), 0, 100);
        VcpuWake.CheckPollers(d, 1);
        m.Call(v, HypercallNumber.SchedOp, SchedOpCmd.Block);
        m.TickAt(100);
        Assert.That(v.Blocked, Is.True, "the stale poll timeout must not end a later block");
    }

    [Test]
    public void PollersOfOnePortWakeOnlyForThatPort()
    {
        // A single-port poll cannot start until ports can be bound, so its state is set up directly.
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Hvm64, vcpus: 2);
        var one = d.Vcpus[0];
        var any = d.Vcpus[1];
        one.Blocked = one.Polling = true;
        one.PollEvtchn = 5;
        any.Blocked = any.Polling = true;
        any.PollEvtchn = -1;

        VcpuWake.CheckPollers(d, 6);
        Assert.That(one.Blocked, Is.True);
        AssertRunnable(any);

        VcpuWake.CheckPollers(d, 5);
        AssertRunnable(one);
    }
}

using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Tests.Harness;
using static XenLite.Tests.Sched.SchedGuest;

namespace XenLite.Tests.Sched;

/// <summary>SCHEDOP_watchdog: claiming, re-arming and freeing the two timers, and what a firing does.</summary>
[Category("sched_op")]
public class WatchdogTests
{
    const ulong Second = 1_000_000_000;

    static long Watchdog(TestMachine m, Vcpu v, uint id, uint timeout) =>
        m.SchedOp(v, SchedOpCmd.Watchdog, new SchedWatchdog { Id = id, Timeout = timeout });

    static Domain NewDomU(TestMachine m, GuestMode mode) => m.NewDomain(mode, id: 1);

    /// <summary>A domU beside a running control domain, so a shut-down domU stays to be looked at.</summary>
    static Domain NewDomUWithDom0(TestMachine m, GuestMode mode)
    {
        m.NewDomain(GuestMode.Pv64);
        return NewDomU(m, mode);
    }

    [TestCaseSource(typeof(SchedGuest), nameof(AllModes))]
    public void IdZeroClaimsTheFreeTimersThenIsEnospc(GuestMode mode)
    {
        using var m = new TestMachine();
        var v = NewDomU(m, mode).Vcpus[0];
        Assert.That(Watchdog(m, v, 0, 30), Is.EqualTo(1));
        Assert.That(Watchdog(m, v, 0, 30), Is.EqualTo(2));
        Assert.That(Watchdog(m, v, 0, 30), Is.EqualTo(-Errno.ENOSPC));
    }

    [TestCaseSource(typeof(SchedGuest), nameof(AllModes))]
    public void AnIdAboveTheTimerCountIsEinval(GuestMode mode)
    {
        using var m = new TestMachine();
        var v = NewDomU(m, mode).Vcpus[0];
        Assert.That(Watchdog(m, v, 3, 30), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Watchdog(m, v, uint.MaxValue, 0), Is.EqualTo(-Errno.EINVAL));
        Assert.That(v.Domain.WatchdogInUse, Is.Zero);
    }

    [Test]
    public void AnUnclaimedIdIsEinval()
    {
        using var m = new TestMachine();
        var v = NewDomU(m, GuestMode.Hvm64).Vcpus[0];
        Assert.That(Watchdog(m, v, 1, 30), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Watchdog(m, v, 2, 0), Is.EqualTo(-Errno.EINVAL));
    }

    [Test]
    public void TimeoutZeroFreesTheTimerSoItNeitherFiresNorAcceptsUpdates()
    {
        using var m = new TestMachine();
        var v = NewDomU(m, GuestMode.Pv64).Vcpus[0];
        Assert.That(Watchdog(m, v, 0, 5), Is.EqualTo(1));
        Assert.That(Watchdog(m, v, 1, 0), Is.EqualTo(0));
        m.TickAt(10 * Second);
        Assert.That(v.Domain.State, Is.EqualTo(DomainState.Running));
        Assert.That(Watchdog(m, v, 1, 5), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Watchdog(m, v, 0, 5), Is.EqualTo(1), "the freed id is claimed again");
    }

    [TestCaseSource(typeof(SchedGuest), nameof(AllModes))]
    public void AnExpiredWatchdogShutsTheDomainDown(GuestMode mode)
    {
        using var m = new TestMachine();
        var d = NewDomUWithDom0(m, mode);
        m.Platform.Now = 3 * Second;
        Watchdog(m, d.Vcpus[0], 0, 10);
        m.TickAt(13 * Second - 1);
        Assert.That(d.State, Is.EqualTo(DomainState.Running));
        m.TickAt(13 * Second);
        Assert.That(d.State, Is.EqualTo(DomainState.Shutdown));
        Assert.That(d.ShutdownCode, Is.EqualTo((uint)ShutdownReason.Watchdog));
        Assert.That(m.Platform.ConsoleText, Does.Contain("Watchdog timer 0 fired for d1"));
    }

    [Test]
    public void ReArmingPushesTheDeadlineBack()
    {
        using var m = new TestMachine();
        var d = NewDomUWithDom0(m, GuestMode.Hvm32);
        Watchdog(m, d.Vcpus[0], 0, 10);
        Assert.That(Watchdog(m, d.Vcpus[0], 0, 10), Is.EqualTo(2));
        Watchdog(m, d.Vcpus[0], 2, 60);
        m.Platform.Now = 9 * Second;
        Assert.That(Watchdog(m, d.Vcpus[0], 1, 10), Is.EqualTo(0));
        m.TickAt(18 * Second);
        Assert.That(d.State, Is.EqualTo(DomainState.Running));
        m.TickAt(19 * Second);
        Assert.That(d.State, Is.EqualTo(DomainState.Shutdown));
        Assert.That(m.Platform.ConsoleText, Does.Contain("Watchdog timer 0 fired"));
    }

    [Test]
    public void ClaimingWithTimeoutZeroFiresAtTheNextTick()
    {
        using var m = new TestMachine();
        var d = NewDomU(m, GuestMode.Arm);
        m.Platform.Now = 5;
        Assert.That(Watchdog(m, d.Vcpus[0], 0, 0), Is.EqualTo(1));
        m.TickAt(5);
        Assert.That(d.ShutdownCode, Is.EqualTo((uint)ShutdownReason.Watchdog));
    }

    [Test]
    public void ALoneDomainsWatchdogEndsTheMachine()
    {
        using var m = new TestMachine();
        var d = NewDomU(m, GuestMode.Arm);
        Watchdog(m, d.Vcpus[0], 0, 2);
        m.TickAt(2 * Second);
        Assert.That(m.Hv.Lookup(1), Is.Null);
        Assert.That(m.Platform.PowerOffStatus, Is.EqualTo(1));
    }

    [Test]
    public void AWatchdogFiringOnADomainAlreadyShuttingDownChangesNothing()
    {
        using var m = new TestMachine();
        var d = NewDomUWithDom0(m, GuestMode.Hvm64);
        Watchdog(m, d.Vcpus[0], 0, 1);
        m.SchedOp(d.Vcpus[0], SchedOpCmd.Shutdown, new SchedShutdown { Reason = ShutdownReason.Poweroff });
        m.TickAt(2 * Second);
        Assert.That(d.ShutdownCode, Is.EqualTo((uint)ShutdownReason.Poweroff));
        Assert.That(m.Platform.ConsoleText, Does.Not.Contain("Watchdog"));
    }

    [Test]
    public void TheHardwareDomainsWatchdogStopsTheMachine()
    {
        using var m = new TestMachine();
        var dom0 = m.NewDomain(GuestMode.Pv64);
        Watchdog(m, dom0.Vcpus[0], 0, 1);
        m.TickAt(Second);
        Assert.That(m.Platform.PowerOffStatus, Is.EqualTo(1));
        Assert.That(m.Platform.ConsoleText, Does.Contain("watchdog rebooting machine"));
    }

    [TestCaseSource(typeof(SchedGuest), nameof(AllModes))]
    public void BadPointerIsEfault(GuestMode mode)
    {
        using var m = new TestMachine();
        var d = NewDomU(m, mode);
        Assert.That(m.Call(d.Vcpus[0], HypercallNumber.SchedOp, SchedOpCmd.Watchdog, BadAddr(d)), Is.EqualTo(-Errno.EFAULT));
        Assert.That(d.WatchdogInUse, Is.Zero);
    }
}

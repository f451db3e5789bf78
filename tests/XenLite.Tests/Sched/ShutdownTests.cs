using System.Collections.Generic;
using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Sched;
using XenLite.Tests.Harness;
using static XenLite.Tests.Sched.SchedGuest;

namespace XenLite.Tests.Sched;

/// <summary>SCHEDOP_shutdown and SCHEDOP_shutdown_code, and what happens to a domain that shut down.</summary>
[Category("sched_op")]
public class ShutdownTests
{
    static IEnumerable<TestCaseData> ModesAndReasons()
    {
        foreach (var mode in AllModes)
            for (int reason = ShutdownReason.Poweroff; reason <= ShutdownReason.Max; reason++)
                yield return new TestCaseData(mode, reason);
    }

    static Domain NewDomU(TestMachine m, GuestMode mode, uint id = 1) => m.NewDomain(mode, id: id, vcpus: 2);

    static long Shutdown(TestMachine m, Vcpu v, uint reason) =>
        m.SchedOp(v, SchedOpCmd.Shutdown, new SchedShutdown { Reason = reason });

    [TestCaseSource(nameof(ModesAndReasons))]
    public void ShutdownRecordsTheReasonAndStopsEveryVcpu(GuestMode mode, int reason)
    {
        using var m = new TestMachine();
        var d = NewDomU(m, mode);
        Assert.That(Shutdown(m, d.Vcpus[1], (uint)reason), Is.EqualTo(0));
        Assert.That(d.State, Is.EqualTo(DomainState.Shutdown));
        Assert.That(d.ShutdownCode, Is.EqualTo((uint)reason));
        Assert.That(d.Vcpus[0].PausedForShutdown && d.Vcpus[1].PausedForShutdown, Is.True);
        // An ordinary domain waits for its destroyer: the machine keeps running.
        Assert.That(m.Platform.PowerOffStatus, Is.Null);
        Assert.That(m.Hv.Lookup(1), Is.SameAs(d));
    }

    [TestCaseSource(typeof(SchedGuest), nameof(AllModes))]
    public void ShutdownWithBadPointerIsEfaultAndChangesNothing(GuestMode mode)
    {
        using var m = new TestMachine();
        var d = NewDomU(m, mode);
        Assert.That(m.Call(d.Vcpus[0], HypercallNumber.SchedOp, SchedOpCmd.Shutdown, BadAddr(d)), Is.EqualTo(-Errno.EFAULT));
        Assert.That(d.State, Is.EqualTo(DomainState.Running));
        Assert.That(d.ShutdownCode, Is.EqualTo(DomainShutdown.CodeInvalid));
    }

    [Test]
    public void ReasonIsNotValidatedButTruncatedToAByte()
    {
        using var m = new TestMachine();
        var a = NewDomU(m, GuestMode.Hvm64, 1);
        var b = NewDomU(m, GuestMode.Pv64, 2);
        Assert.That(Shutdown(m, a.Vcpus[0], 42), Is.EqualTo(0));
        Assert.That(Shutdown(m, b.Vcpus[0], 0x1_03), Is.EqualTo(0));
        Assert.That(a.ShutdownCode, Is.EqualTo(42u));
        Assert.That(b.ShutdownCode, Is.EqualTo((uint)ShutdownReason.Crash));
        Assert.That(a.State, Is.EqualTo(DomainState.Shutdown));
    }

    [Test]
    public void ASecondShutdownKeepsTheFirstReason()
    {
        using var m = new TestMachine();
        var d = NewDomU(m, GuestMode.Hvm64);
        Shutdown(m, d.Vcpus[0], ShutdownReason.Reboot);
        Assert.That(Shutdown(m, d.Vcpus[1], ShutdownReason.Crash), Is.EqualTo(0));
        Assert.That(d.ShutdownCode, Is.EqualTo((uint)ShutdownReason.Reboot));
    }

    [TestCaseSource(typeof(SchedGuest), nameof(AllModes))]
    public void ShutdownCodeIsRecordedWithoutShuttingDownAndWinsOverTheLaterReason(GuestMode mode)
    {
        using var m = new TestMachine();
        var d = NewDomU(m, mode);
        var v = d.Vcpus[0];
        Assert.That(m.SchedOp(v, SchedOpCmd.ShutdownCode, new SchedShutdown { Reason = ShutdownReason.Suspend }), Is.EqualTo(0));
        Assert.That(d.State, Is.EqualTo(DomainState.Running));
        Assert.That(d.ShutdownCode, Is.EqualTo((uint)ShutdownReason.Suspend));

        // The first recorded code stays; the shutdown itself then reports it.
        Assert.That(m.SchedOp(v, SchedOpCmd.ShutdownCode, new SchedShutdown { Reason = ShutdownReason.Crash }), Is.EqualTo(0));
        Assert.That(d.ShutdownCode, Is.EqualTo((uint)ShutdownReason.Suspend));
        Shutdown(m, v, ShutdownReason.Poweroff);
        Assert.That(d.State, Is.EqualTo(DomainState.Shutdown));
        Assert.That(d.ShutdownCode, Is.EqualTo((uint)ShutdownReason.Suspend));
    }

    [Test]
    public void ShutdownCodeIsTruncatedToAByte()
    {
        using var m = new TestMachine();
        var d = NewDomU(m, GuestMode.Pv32);
        m.SchedOp(d.Vcpus[0], SchedOpCmd.ShutdownCode, new SchedShutdown { Reason = 0x2_04 });
        Assert.That(d.ShutdownCode, Is.EqualTo((uint)ShutdownReason.Watchdog));
    }

    [TestCaseSource(typeof(SchedGuest), nameof(AllModes))]
    public void ShutdownCodeWithBadPointerIsEfault(GuestMode mode)
    {
        using var m = new TestMachine();
        var d = NewDomU(m, mode);
        Assert.That(m.Call(d.Vcpus[0], HypercallNumber.SchedOp, SchedOpCmd.ShutdownCode, BadAddr(d)), Is.EqualTo(-Errno.EFAULT));
        Assert.That(d.ShutdownCode, Is.EqualTo(DomainShutdown.CodeInvalid));
    }

    [TestCase(ShutdownReason.Poweroff, 0, "halted")]
    [TestCase(ShutdownReason.Reboot, 1, "rebooting machine")]
    [TestCase(ShutdownReason.Suspend, 1, "unknown reason 2")]
    [TestCase(ShutdownReason.Crash, 1, "crashed")]
    [TestCase(ShutdownReason.Watchdog, 1, "watchdog rebooting")]
    [TestCase(ShutdownReason.SoftReset, 1, "soft reset")]
    public void HardwareDomainShutdownStopsTheMachineAtOnce(int reason, int status, string message)
    {
        using var m = new TestMachine();
        var dom0 = m.NewDomain(GuestMode.Pv64);
        var domU = NewDomU(m, GuestMode.Hvm64);
        Assert.That(Shutdown(m, dom0.Vcpus[0], (uint)reason), Is.EqualTo(0));
        Assert.That(m.Platform.PowerOffStatus, Is.EqualTo(status));
        Assert.That(m.Platform.ConsoleText, Does.Contain("Hardware Dom0").And.Contain(message));
        Assert.That(domU.State, Is.EqualTo(DomainState.Running));
    }

    [Test]
    public void TheReaperLeavesShutDownDomainsToARunningControlDomain()
    {
        using var m = new TestMachine();
        m.NewDomain(GuestMode.Pv64);
        var domU = NewDomU(m, GuestMode.Hvm64);
        Shutdown(m, domU.Vcpus[0], ShutdownReason.Poweroff);
        m.TickAt(1);
        Assert.That(m.Hv.Lookup(1), Is.SameAs(domU));
        Assert.That(m.Platform.PowerOffStatus, Is.Null);
    }

    [Test]
    public void WithoutAControlDomainShutDownDomainsAreDestroyedAndTheLastOnePowersOff()
    {
        using var m = new TestMachine();
        var a = NewDomU(m, GuestMode.Arm, 1);
        var b = NewDomU(m, GuestMode.Arm, 2);
        Shutdown(m, a.Vcpus[0], ShutdownReason.Poweroff);
        m.TickAt(1);
        Assert.That(m.Hv.Lookup(1), Is.Null);
        Assert.That(m.Platform.PowerOffStatus, Is.Null);

        Shutdown(m, b.Vcpus[0], ShutdownReason.Crash);
        m.TickAt(2);
        Assert.That(m.Hv.Lookup(2), Is.Null);
        Assert.That(m.Platform.PowerOffStatus, Is.EqualTo(1));
    }

    [Test]
    public void AShutDownControlDomainNoLongerKeepsOthersAlive()
    {
        using var m = new TestMachine();
        var ctl = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: true);
        var domU = NewDomU(m, GuestMode.Hvm64, 2);
        Shutdown(m, domU.Vcpus[0], ShutdownReason.Poweroff);
        Shutdown(m, ctl.Vcpus[0], ShutdownReason.Poweroff);
        m.TickAt(1);
        Assert.That(m.Hv.LiveDomains, Is.EqualTo(0));
        Assert.That(m.Platform.PowerOffStatus, Is.EqualTo(0));
    }
}

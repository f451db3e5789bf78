using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Sched;
using XenLite.Tests.Harness;

namespace XenLite.Tests.Sched;

/// <summary>sched_op_compat: the legacy yield/block/shutdown for PV guests; deprecated on arm, absent for HVM.</summary>
[Category("sched_op_compat")]
public class SchedOpCompatTests
{
    [TestCase(GuestMode.Pv32)]
    [TestCase(GuestMode.Pv64)]
    public void YieldAndBlock(GuestMode mode)
    {
        using var m = new TestMachine();
        var v = m.NewDomain(mode).Vcpus[0];
        Assert.That(m.Call(v, HypercallNumber.SchedOpCompat, SchedOpCmd.Yield), Is.EqualTo(0));
        Assert.That(v.YieldRequested, Is.True);
        Assert.That(v.Blocked, Is.False);
        Assert.That(m.Call(v, HypercallNumber.SchedOpCompat, SchedOpCmd.Block), Is.EqualTo(0));
        Assert.That(v.Blocked, Is.True);
    }

    [TestCase(GuestMode.Pv32, ShutdownReason.Poweroff)]
    [TestCase(GuestMode.Pv32, ShutdownReason.Suspend)]
    [TestCase(GuestMode.Pv64, ShutdownReason.Reboot)]
    [TestCase(GuestMode.Pv64, ShutdownReason.Crash)]
    [TestCase(GuestMode.Pv64, ShutdownReason.Watchdog)]
    [TestCase(GuestMode.Pv32, ShutdownReason.SoftReset)]
    public void ShutdownTakesTheReasonItself(GuestMode mode, int reason)
    {
        using var m = new TestMachine();
        var d = m.NewDomain(mode, id: 1, vcpus: 2);
        Assert.That(m.Call(d.Vcpus[0], HypercallNumber.SchedOpCompat, SchedOpCmd.Shutdown, (ulong)reason), Is.EqualTo(0));
        Assert.That(d.State, Is.EqualTo(DomainState.Shutdown));
        Assert.That(d.ShutdownCode, Is.EqualTo((uint)reason));
        Assert.That(d.Vcpus[1].PausedForShutdown, Is.True);
    }

    [Test]
    public void ShutdownReasonIsTruncatedToAByte()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Pv64, id: 1);
        m.Call(d.Vcpus[0], HypercallNumber.SchedOpCompat, SchedOpCmd.Shutdown, 0xABC_0103);
        Assert.That(d.ShutdownCode, Is.EqualTo((uint)ShutdownReason.Crash));
    }

    [Test]
    public void HardwareDomainShutdownStopsTheMachine()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Pv32);
        m.Call(d.Vcpus[0], HypercallNumber.SchedOpCompat, SchedOpCmd.Shutdown, ShutdownReason.Poweroff);
        Assert.That(m.Platform.PowerOffStatus, Is.EqualTo(0));
    }

    [TestCase(GuestMode.Pv32, SchedOpCmd.Poll)]
    [TestCase(GuestMode.Pv64, SchedOpCmd.RemoteShutdown)]
    [TestCase(GuestMode.Pv64, SchedOpCmd.ShutdownCode)]
    [TestCase(GuestMode.Pv64, -1)]
    public void OtherCommandsAreEnosys(GuestMode mode, int cmd)
    {
        using var m = new TestMachine();
        var d = m.NewDomain(mode, id: 1);
        Assert.That(m.Call(d.Vcpus[0], HypercallNumber.SchedOpCompat, (ulong)(uint)cmd, 0), Is.EqualTo(-Errno.ENOSYS));
        Assert.That(d.ShutdownCode, Is.EqualTo(DomainShutdown.CodeInvalid));
    }

    [TestCase(GuestMode.Arm)]
    [TestCase(GuestMode.Hvm64)]
    [TestCase(GuestMode.Hvm32)]
    public void DeprecatedOnArmAndAbsentForHvm(GuestMode mode)
    {
        using var m = new TestMachine();
        var d = m.NewDomain(mode, id: 1);
        Assert.That(m.Call(d.Vcpus[0], HypercallNumber.SchedOpCompat, SchedOpCmd.Shutdown, ShutdownReason.Poweroff), Is.EqualTo(-Errno.ENOSYS));
        Assert.That(m.Call(d.Vcpus[0], HypercallNumber.SchedOpCompat, SchedOpCmd.Block), Is.EqualTo(-Errno.ENOSYS));
        Assert.That(d.State, Is.EqualTo(DomainState.Running));
        Assert.That(d.Vcpus[0].Blocked, Is.False);
    }

    [Test]
    public void ArmRoutesToTheDeprecatedStub()
    {
        using var m = new TestMachine();
        Assert.That(m.Hv.Dispatcher.IsImplemented(HypercallNumber.SchedOpCompat, GuestMode.Arm), Is.True);
        Assert.That(m.Hv.Dispatcher.IsImplemented(HypercallNumber.SchedOpCompat, GuestMode.Hvm64), Is.False);
    }
}

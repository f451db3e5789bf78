using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Tests.Harness;
using static XenLite.Tests.Sched.SchedGuest;

namespace XenLite.Tests.Sched;

/// <summary>sched_op yield, block and command decoding.</summary>
[Category("sched_op")]
public class SchedOpTests
{
    [TestCaseSource(typeof(SchedGuest), nameof(AllModes))]
    public void YieldReturnsZeroAndAsksForReschedule(GuestMode mode)
    {
        using var m = new TestMachine();
        var v = m.NewDomain(mode).Vcpus[0];
        Assert.That(m.Call(v, HypercallNumber.SchedOp, SchedOpCmd.Yield), Is.EqualTo(0));
        Assert.That(v.YieldRequested, Is.True);
        Assert.That(v.Blocked, Is.False);
    }

    [TestCaseSource(typeof(SchedGuest), nameof(AllModes))]
    public void BlockLeavesTheVcpuBlocked(GuestMode mode)
    {
        using var m = new TestMachine();
        var d = m.NewDomain(mode, vcpus: 2);
        Assert.That(m.Call(d.Vcpus[1], HypercallNumber.SchedOp, SchedOpCmd.Block), Is.EqualTo(0));
        Assert.That(d.Vcpus[1].Blocked, Is.True);
        Assert.That(d.Vcpus[0].Blocked, Is.False);
    }

    [TestCaseSource(typeof(SchedGuest), nameof(X86Modes))]
    public void BlockedVcpuWakesWhenItsSingleshotTimerFires(GuestMode mode)
    {
        using var m = new TestMachine();
        var v = m.NewDomain(mode).Vcpus[0];
        m.Platform.Now = 1_000;
        m.Call(v, HypercallNumber.SetTimerOp, 5_000);
        m.Call(v, HypercallNumber.SchedOp, SchedOpCmd.Block);
        m.TickAt(4_999);
        Assert.That(v.Blocked, Is.True);
        m.TickAt(5_000);
        Assert.That(v.Blocked, Is.False);
        Assert.That(v.TimerEvents, Is.EqualTo(1));
    }

    [TestCaseSource(typeof(SchedGuest), nameof(AllModes))]
    public void UnknownCommandsAreEnosys(GuestMode mode)
    {
        using var m = new TestMachine();
        var v = m.NewDomain(mode).Vcpus[0];
        Assert.That(m.Call(v, HypercallNumber.SchedOp, 8), Is.EqualTo(-Errno.ENOSYS));
        Assert.That(m.Call(v, HypercallNumber.SchedOp, 0xFFFF_FFFF), Is.EqualTo(-Errno.ENOSYS));
        Assert.That(v.Blocked || v.YieldRequested, Is.False);
    }

    [Test]
    public void CommandIsA32BitIntForSixtyFourBitCallers()
    {
        using var m = new TestMachine();
        var v = m.NewDomain(GuestMode.Hvm64).Vcpus[0];
        Assert.That(m.Call(v, HypercallNumber.SchedOp, 0x1_0000_0001), Is.EqualTo(0));
        Assert.That(v.Blocked, Is.True);
    }
}

using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Sched;
using XenLite.Tests.Harness;
using static XenLite.Tests.Sched.SchedGuest;

namespace XenLite.Tests.Sched;

/// <summary>SCHEDOP_pin_override: the hardware domain pins a vCPU for a while. One pCPU (0) is online.</summary>
[Category("sched_op")]
public class PinOverrideTests
{
    static long Pin(TestMachine m, Vcpu v, int pcpu) =>
        m.SchedOp(v, SchedOpCmd.PinOverride, new SchedPinOverride { Pcpu = pcpu });

    [TestCaseSource(typeof(SchedGuest), nameof(AllModes))]
    public void PinningAndReleasing(GuestMode mode)
    {
        using var m = new TestMachine();
        var v = m.NewDomain(mode, vcpus: 2).Vcpus[1];
        Assert.That(Pin(m, v, 0), Is.EqualTo(0));
        Assert.That(v.AffinityBroken, Is.EqualTo(PinOverride.AffinityOverride));
        Assert.That(v.TemporaryCpu, Is.Zero);
        Assert.That(v.Domain.Vcpus[0].AffinityBroken, Is.Zero, "only the calling vCPU is pinned");
        Assert.That(Pin(m, v, -1), Is.EqualTo(0));
        Assert.That(v.AffinityBroken, Is.Zero);
    }

    [Test]
    public void PinningTwiceIsEbusy()
    {
        using var m = new TestMachine();
        var v = m.NewDomain(GuestMode.Pv64).Vcpus[0];
        Pin(m, v, 0);
        Assert.That(Pin(m, v, 0), Is.EqualTo(-Errno.EBUSY));
        Assert.That(v.AffinityBroken, Is.EqualTo(PinOverride.AffinityOverride));
    }

    [TestCase(-1)]
    [TestCase(int.MinValue)]
    public void ReleasingWhenNotPinnedIsEinval(int pcpu)
    {
        using var m = new TestMachine();
        var v = m.NewDomain(GuestMode.Hvm64).Vcpus[0];
        Assert.That(Pin(m, v, pcpu), Is.EqualTo(-Errno.EINVAL));
    }

    [TestCase(GuestMode.Pv64, 1)]     // below NR_CPUS but not online
    [TestCase(GuestMode.Pv64, 255)]
    [TestCase(GuestMode.Pv64, 256)]   // x86 NR_CPUS
    [TestCase(GuestMode.Hvm32, 256)]
    [TestCase(GuestMode.Arm, 127)]
    [TestCase(GuestMode.Arm, 128)]    // arm NR_CPUS
    [TestCase(GuestMode.Arm, int.MaxValue)]
    public void AnOfflineOrOutOfRangeCpuIsEinval(GuestMode mode, int pcpu)
    {
        using var m = new TestMachine();
        var v = m.NewDomain(mode).Vcpus[0];
        Assert.That(Pin(m, v, pcpu), Is.EqualTo(-Errno.EINVAL));
        Assert.That(v.AffinityBroken, Is.Zero);
    }

    [Test]
    public void AnOfflineCpuIsEinvalEvenWhilePinned()
    {
        using var m = new TestMachine();
        var v = m.NewDomain(GuestMode.Pv64).Vcpus[0];
        Pin(m, v, 0);
        Assert.That(Pin(m, v, 1), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Pin(m, v, 256), Is.EqualTo(-Errno.EINVAL));
    }

    [TestCaseSource(typeof(SchedGuest), nameof(AllModes))]
    public void OnlyTheHardwareDomainMayPinAndItsRightIsCheckedFirst(GuestMode mode)
    {
        using var m = new TestMachine();
        var domU = m.NewDomain(mode, id: 1);
        var ctl = m.NewDomain(mode, id: 2, privileged: true);
        Assert.That(Pin(m, domU.Vcpus[0], 0), Is.EqualTo(-Errno.EPERM));
        Assert.That(Pin(m, ctl.Vcpus[0], 0), Is.EqualTo(-Errno.EPERM), "privileged is not enough");
        Assert.That(m.Call(domU.Vcpus[0], HypercallNumber.SchedOp, SchedOpCmd.PinOverride, BadAddr(domU)), Is.EqualTo(-Errno.EPERM));
        Assert.That(domU.Vcpus[0].AffinityBroken | ctl.Vcpus[0].AffinityBroken, Is.Zero);
    }

    [TestCaseSource(typeof(SchedGuest), nameof(AllModes))]
    public void BadPointerFromTheHardwareDomainIsEfault(GuestMode mode)
    {
        using var m = new TestMachine();
        var d = m.NewDomain(mode);
        Assert.That(m.Call(d.Vcpus[0], HypercallNumber.SchedOp, SchedOpCmd.PinOverride, BadAddr(d)), Is.EqualTo(-Errno.EFAULT));
    }
}

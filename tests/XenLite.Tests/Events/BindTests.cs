using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Events;
using XenLite.Tests.XenVersion;
using static XenLite.Tests.Events.EvtchnRig;

namespace XenLite.Tests.Events;

[Category("event_channel_op")]
public class BindTests
{
    const ushort Self = (ushort)DomainIds.Self;

    [Test]
    public void AllocUnboundHandsOutLowestPortsFromOne([Values(GuestMode.Pv32, GuestMode.Pv64, GuestMode.Hvm32, GuestMode.Hvm64, GuestMode.Arm)] GuestMode mode)
    {
        using var m = Machine();
        var d = m.NewDomain(mode);
        Assert.That(m.AllocUnbound(d.Vcpus[0], Self, 1, out uint p1), Is.Zero);
        Assert.That(m.AllocUnbound(d.Vcpus[0], Self, 1, out uint p2), Is.Zero);
        Assert.That((p1, p2), Is.EqualTo((1u, 2u)));
        Assert.That(m.Status(d.Vcpus[0], Self, p1, out var s), Is.Zero);
        Assert.That((s.Status, s.RemoteDom, s.Vcpu), Is.EqualTo((EvtchnStat.Unbound, (ushort)1, 0u)));
        Assert.That(d.Events.ActivePorts, Is.EqualTo(2));
    }

    [Test]
    public void AllocUnboundWithRemoteSelfOffersThePortToTheCaller()
    {
        using var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        var d1 = m.NewDomain(GuestMode.Hvm64, id: 1);
        Assert.That(m.AllocUnbound(d0.Vcpus[0], 1, Self, out uint p), Is.Zero, "dom0 allocates in d1 for itself");
        Assert.That(d1.Events[p].State, Is.EqualTo(ChannelState.Unbound));
        Assert.That(d1.Events[p].RemoteDom, Is.EqualTo(0));
    }

    [Test]
    public void AllocUnboundErrors()
    {
        using var m = Machine();
        var d0 = m.NewDomain(GuestMode.Pv64);
        var d1 = m.NewDomain(GuestMode.Pv64, id: 1);
        Assert.That(m.AllocUnbound(d0.Vcpus[0], 9, 0, out _), Is.EqualTo(-Errno.ESRCH), "no such domain");
        Assert.That(m.AllocUnbound(d1.Vcpus[0], 0, 1, out _), Is.EqualTo(-Errno.EPERM), "a domU may not allocate in dom0");
        Assert.That(d0.Events.ActivePorts, Is.Zero, "the refused port is not counted");
        Assert.That(m.Call(d0.Vcpus[0], HypercallNumber.EventChannelOp, EvtchnOpCmd.AllocUnbound, 0x10), Is.EqualTo(-Errno.EFAULT));
    }

    [Test]
    public void ConfiguredPortLimitGivesEnospc()
    {
        using var m = Machine();
        var d = m.Hv.CreateDomain(new DomainConfig { Id = 1, Mode = GuestMode.Hvm64, Vcpus = 1, Pages = 64, MaxEvtchnPort = 3 });
        for (int i = 0; i < 3; i++) Assert.That(m.AllocUnbound(d.Vcpus[0], Self, 0, out _), Is.Zero);
        Assert.That(m.AllocUnbound(d.Vcpus[0], Self, 0, out _), Is.EqualTo(-Errno.ENOSPC));
        Assert.That(d.Events.MaxPort, Is.EqualTo(3));
    }

    [Test]
    public void DefaultLimitsFollowXen()
    {
        using var m = Machine();
        Assert.That(m.NewDomain(GuestMode.Hvm64).Events.MaxPort, Is.EqualTo(EventChannels.UnlimitedMaxPort), "privileged");
        Assert.That(m.NewDomain(GuestMode.Hvm64, id: 1).Events.MaxPort, Is.EqualTo(1023u), "domU");
    }

    [TestCase(GuestMode.Pv64, 4095u)]
    [TestCase(GuestMode.Pv32, 1023u)]
    [TestCase(GuestMode.Arm, 4095u)]
    public void TwoLevelAbiLimitAndBucketGrowth(GuestMode mode, uint lastPort)
    {
        using var m = Machine();
        var d = m.NewDomain(mode);
        Assert.That(d.Events.ValidPorts, Is.EqualTo(EventChannels.PortsPerBucket));
        uint port = 0;
        for (uint i = 1; i <= lastPort; i++) Assert.That(m.AllocUnbound(d.Vcpus[0], Self, 0, out port), Is.Zero);
        Assert.That(port, Is.EqualTo(lastPort));
        Assert.That(d.Events.ValidPorts, Is.EqualTo(lastPort + 1), "grown a bucket at a time");
        Assert.That(m.AllocUnbound(d.Vcpus[0], Self, 0, out _), Is.EqualTo(-Errno.ENOSPC));
    }

    [Test]
    public void BindInterdomainConnectsBothEndsAndRaisesTheLocalPort()
    {
        using var m = Machine();
        var d0 = m.NewDomain(GuestMode.Pv64);
        var d1 = m.NewDomain(GuestMode.Hvm64, id: 1);
        Assert.That(m.AllocUnbound(d1.Vcpus[0], Self, 0, out uint p1), Is.Zero);
        Assert.That(m.BindInterdomain(d0.Vcpus[0], 1, p1, out uint p0), Is.Zero);
        Assert.That(m.Status(d0.Vcpus[0], Self, p0, out var s0), Is.Zero);
        Assert.That((s0.Status, s0.RemoteDom, s0.RemotePort), Is.EqualTo((EvtchnStat.Interdomain, (ushort)1, p1)));
        Assert.That(m.Status(d1.Vcpus[0], Self, p1, out var s1), Is.Zero);
        Assert.That((s1.Status, s1.RemoteDom, s1.RemotePort), Is.EqualTo((EvtchnStat.Interdomain, (ushort)0, p0)));
        Assert.That(Pending(d0, p0), Is.True, "events sent to the unbound end may have been lost");
    }

    [Test]
    public void BindInterdomainRefusals()
    {
        using var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        var d1 = m.NewDomain(GuestMode.Hvm64, id: 1);
        var d2 = m.NewDomain(GuestMode.Hvm64, id: 2);
        Assert.That(m.AllocUnbound(d1.Vcpus[0], Self, 2, out uint forD2), Is.Zero);
        Assert.That(m.BindInterdomain(d0.Vcpus[0], 1, forD2, out _), Is.EqualTo(-Errno.EINVAL), "offered to another domain");
        Assert.That(m.BindInterdomain(d0.Vcpus[0], 1, 500, out _), Is.EqualTo(-Errno.EINVAL), "no such port");
        Assert.That(m.BindInterdomain(d0.Vcpus[0], 1, 5, out _), Is.EqualTo(-Errno.EINVAL), "a free port");
        Assert.That(m.BindInterdomain(d0.Vcpus[0], 7, 1, out _), Is.EqualTo(-Errno.ESRCH));
        Assert.That(d0.Events.ActivePorts, Is.Zero, "no local port leaked");

        Assert.That(m.BindInterdomain(d2.Vcpus[0], 1, forD2, out _), Is.Zero);
        Assert.That(m.BindInterdomain(d2.Vcpus[0], 1, forD2, out _), Is.EqualTo(-Errno.EINVAL), "double bind");
    }

    [Test]
    public void BindInterdomainToItselfWorks()
    {
        using var m = Machine();
        var d = m.NewDomain(GuestMode.Hvm64, id: 1);
        Assert.That(m.AllocUnbound(d.Vcpus[0], Self, Self, out uint a), Is.Zero);
        Assert.That(m.BindInterdomain(d.Vcpus[0], Self, a, out uint b), Is.Zero);
        Assert.That(m.Send(d.Vcpus[0], b), Is.Zero);
        Assert.That(Pending(d, a), Is.True);
    }

    [Test]
    public void InterdomainBindingIsAnXsmDecision()
    {
        using var m = Machine(XsmOverride.Create("EvtchnInterdomain", -Errno.EACCES));
        var d0 = m.NewDomain(GuestMode.Hvm64);
        var d1 = m.NewDomain(GuestMode.Hvm64, id: 1);
        Assert.That(m.AllocUnbound(d1.Vcpus[0], Self, 0, out uint p1), Is.Zero);
        Assert.That(m.BindInterdomain(d0.Vcpus[0], 1, p1, out _), Is.EqualTo(-Errno.EACCES));
        Assert.That(d1.Events[p1].State, Is.EqualTo(ChannelState.Unbound));
        Assert.That(d0.Events.ActivePorts, Is.Zero);
    }

    [Test]
    public void BindIpiAndItsErrors()
    {
        using var m = Machine();
        var d = m.NewDomain(GuestMode.Pv64, vcpus: 2);
        Assert.That(m.BindIpi(d.Vcpus[0], 1, out uint p), Is.Zero);
        Assert.That(m.Status(d.Vcpus[0], Self, p, out var s), Is.Zero);
        Assert.That((s.Status, s.Vcpu), Is.EqualTo((EvtchnStat.Ipi, 1u)));
        Assert.That(m.BindIpi(d.Vcpus[0], 2, out _), Is.EqualTo(-Errno.ENOENT));
    }

    [Test]
    public void BindPirqHasNoPhysicalIrqsToGive()
    {
        using var m = Machine();
        var x86 = m.NewDomain(GuestMode.Pv64);
        var arm = m.NewDomain(GuestMode.Arm, id: 1);
        var a = new EvtchnBindPirq { Pirq = 5 };
        Assert.That(m.Op(x86.Vcpus[0], EvtchnOpCmd.BindPirq, ref a), Is.EqualTo(-Errno.EPERM));
        a.Pirq = 4000;
        Assert.That(m.Op(x86.Vcpus[0], EvtchnOpCmd.BindPirq, ref a), Is.EqualTo(-Errno.EINVAL));
        Assert.That(m.Op(arm.Vcpus[0], EvtchnOpCmd.BindPirq, ref a), Is.EqualTo(-Errno.EOPNOTSUPP));
        Assert.That(x86.Events.ActivePorts, Is.Zero);
    }

    [Test]
    public void UnknownSubOpIsEnosys()
    {
        using var m = Machine();
        var d = m.NewDomain(GuestMode.Hvm64);
        Assert.That(m.Call(d.Vcpus[0], HypercallNumber.EventChannelOp, 15, ArgGpa), Is.EqualTo(-Errno.ENOSYS));
    }
}

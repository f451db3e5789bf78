using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Events;
using XenLite.Hv.Common.Sched;
using XenLite.Tests.Sched;
using static XenLite.Tests.Events.EvtchnRig;

namespace XenLite.Tests.Events;

[Category("event_channel_op")]
public unsafe class VirqStatusTests
{
    const ushort Self = (ushort)DomainIds.Self;

    [Test]
    public void PerVcpuVirqBindsOnAnyVcpu()
    {
        using var m = Machine();
        var d = m.NewDomain(GuestMode.Hvm64, id: 1, vcpus: 2);
        Assert.That(m.BindVirq(d.Vcpus[0], Virq.Timer, 1, out uint p), Is.Zero);
        Assert.That(m.Status(d.Vcpus[0], Self, p, out var s), Is.Zero);
        Assert.That((s.Status, s.Irq, s.Vcpu), Is.EqualTo((EvtchnStat.Virq, (uint)Virq.Timer, 1u)));
        Assert.That(d.Vcpus[1].Events.VirqToPort[Virq.Timer], Is.EqualTo(p));
        Assert.That(m.BindVirq(d.Vcpus[0], Virq.Timer, 0, out uint p0), Is.Zero, "vCPU 0 binds its own");
        Assert.That(p0, Is.Not.EqualTo(p));
    }

    [Test]
    public void BindVirqRefusals()
    {
        using var m = Machine();
        var d0 = m.NewDomain(GuestMode.Pv64);
        var d1 = m.NewDomain(GuestMode.Pv64, id: 1);
        Assert.That(m.BindVirq(d1.Vcpus[0], Virq.NrVirqs, 0, out _), Is.EqualTo(-Errno.EINVAL), "no such VIRQ");
        Assert.That(m.BindVirq(d1.Vcpus[0], Virq.Console, 1, out _), Is.EqualTo(-Errno.EINVAL), "global VIRQs bind on vCPU 0");
        Assert.That(m.BindVirq(d1.Vcpus[0], Virq.Debug, 1, out _), Is.EqualTo(-Errno.ENOENT), "no vCPU 1");
        Assert.That(m.BindVirq(d1.Vcpus[0], Virq.Console, 0, out _), Is.EqualTo(-Errno.EBUSY), "dom0 handles global VIRQs");
        Assert.That(m.BindVirq(d0.Vcpus[0], Virq.Console, 0, out _), Is.Zero);
        Assert.That(m.BindVirq(d0.Vcpus[0], Virq.Console, 0, out _), Is.EqualTo(-Errno.EEXIST));
        Assert.That(m.BindVirq(d1.Vcpus[0], Virq.Argo, 0, out _), Is.Zero, "per-domain VIRQs are the domain's own");
        Assert.That(d1.Events.ActivePorts, Is.EqualTo(1));
    }

    [Test]
    public void GlobalVirqHandlerCanMoveToAnotherDomain()
    {
        using var m = Machine();
        var d0 = m.NewDomain(GuestMode.Pv64);
        var d1 = m.NewDomain(GuestMode.Pv64, id: 1);
        Assert.That(m.BindVirq(d0.Vcpus[0], Virq.Console, 0, out uint p0), Is.Zero);
        Assert.That(m.Hv.GlobalVirqs.Set(d1, Virq.Console), Is.EqualTo(-Errno.EBUSY), "still bound in dom0");
        Assert.That(m.Hv.GlobalVirqs.Set(d1, Virq.Timer), Is.EqualTo(-Errno.EINVAL), "not a global VIRQ");
        Assert.That(m.Close(d0.Vcpus[0], p0), Is.Zero);
        Assert.That(m.Hv.GlobalVirqs.Set(d1, Virq.Console), Is.Zero);
        Assert.That(m.BindVirq(d1.Vcpus[0], Virq.Console, 0, out uint p1), Is.Zero);
        Virqs.SendGlobal(m.Hv, Virq.Console);
        Assert.That(Pending(d1, p1), Is.True);
        m.Hv.DestroyDomain(d1);
        Assert.That(m.Hv.GlobalVirqs.HandlerOf(Virq.Console), Is.SameAs(d0), "back to the hardware domain");
    }

    [Test]
    public void ClosingAVirqLetsItBeBoundAgain()
    {
        using var m = Machine();
        var d = m.NewDomain(GuestMode.Arm, vcpus: 2);
        Assert.That(m.BindVirq(d.Vcpus[0], Virq.Debug, 1, out uint p), Is.Zero);
        Assert.That(m.Close(d.Vcpus[0], p), Is.Zero);
        Assert.That(d.Vcpus[1].Events.VirqToPort[Virq.Debug], Is.Zero);
        Assert.That(m.BindVirq(d.Vcpus[0], Virq.Debug, 1, out _), Is.Zero);
    }

    [TestCase(GuestMode.Pv64)]
    [TestCase(GuestMode.Hvm32)]
    public void SingleshotTimerRaisesABoundVirqTimer(GuestMode mode)
    {
        using var m = Machine();
        var d = m.NewDomain(mode, id: 1);
        var v = d.Vcpus[0];
        if (GuestModes.IsHvm(mode)) Upcall.SetCallbackVia(d, 2UL << 56 | 0xF0);
        Assert.That(m.BindVirq(v, Virq.Timer, 0, out uint p), Is.Zero);
        m.Platform.Now = 1_000;
        Assert.That(m.Call(v, HypercallNumber.SetTimerOp, 5_000), Is.Zero);
        m.TickAt(4_999);
        Assert.That(Pending(d, p), Is.False);
        m.TickAt(5_000);
        Assert.That(Pending(d, p), Is.True);
        Assert.That(v.Events.UpcallWanted, Is.True);
    }

    [Test]
    public void DomainShutdownRaisesVirqDomExcInDom0()
    {
        using var m = Machine();
        var d0 = m.NewDomain(GuestMode.Pv64);
        var d1 = m.NewDomain(GuestMode.Hvm64, id: 1);
        Assert.That(m.BindVirq(d0.Vcpus[0], Virq.DomExc, 0, out uint p), Is.Zero);
        Assert.That(m.SchedOp(d1.Vcpus[0], SchedOpCmd.Shutdown, new SchedShutdown { Reason = ShutdownReason.Crash }), Is.Zero);
        Assert.That(Pending(d0, p), Is.True);
    }

    [Test]
    public void StatusOfAnotherDomainIsForItsController()
    {
        using var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        var d1 = m.NewDomain(GuestMode.Hvm64, id: 1);
        Assert.That(m.AllocUnbound(d1.Vcpus[0], Self, 0, out uint p), Is.Zero);
        Assert.That(m.Status(d0.Vcpus[0], 1, p, out var s), Is.Zero);
        Assert.That((s.Status, s.RemoteDom), Is.EqualTo((EvtchnStat.Unbound, (ushort)0)));
        Assert.That(m.Status(d1.Vcpus[0], 0, 0, out _), Is.EqualTo(-Errno.EPERM));
        Assert.That(m.Status(d1.Vcpus[0], 9, 1, out _), Is.EqualTo(-Errno.ESRCH));
    }

    [Test]
    public void StatusOfFreeReservedAndMissingPorts()
    {
        using var m = Machine();
        var d = m.NewDomain(GuestMode.Pv32);
        Assert.That(m.Status(d.Vcpus[0], Self, 0, out var s0), Is.Zero);
        Assert.That(s0.Status, Is.EqualTo(EvtchnStat.Closed), "port 0 is reserved");
        Assert.That(m.Status(d.Vcpus[0], Self, 63, out var s63), Is.Zero);
        Assert.That(s63.Status, Is.EqualTo(EvtchnStat.Closed), "free, inside the first bucket");
        Assert.That(m.Status(d.Vcpus[0], Self, 64, out _), Is.EqualTo(-Errno.EINVAL), "beyond the table");
    }

    [Test]
    public void BindVcpuMovesDeliveryToAnotherVcpu()
    {
        using var m = Machine();
        var a = m.NewDomain(GuestMode.Pv64);
        var b = m.NewDomain(GuestMode.Pv64, id: 1, vcpus: 2);
        var (pa, pb) = m.Connect(a, b);
        Assert.That(m.BindVcpu(b.Vcpus[0], pb, 1), Is.Zero);
        Assert.That(m.Status(b.Vcpus[0], Self, pb, out var s), Is.Zero);
        Assert.That(s.Vcpu, Is.EqualTo(1));
        Assert.That(m.Send(a.Vcpus[0], pa), Is.Zero);
        Assert.That(UpcallPending(b.Vcpus[1]), Is.True);
        Assert.That(UpcallPending(b.Vcpus[0]), Is.False);
    }

    [Test]
    public void BindVcpuRefusals()
    {
        using var m = Machine();
        var d = m.NewDomain(GuestMode.Hvm64, vcpus: 2);
        Assert.That(m.BindVirq(d.Vcpus[0], Virq.Timer, 0, out uint timer), Is.Zero);
        Assert.That(m.BindVirq(d.Vcpus[0], Virq.Console, 0, out uint console), Is.Zero);
        Assert.That(m.BindIpi(d.Vcpus[0], 0, out uint ipi), Is.Zero);
        Assert.That(m.BindVcpu(d.Vcpus[0], timer, 1), Is.EqualTo(-Errno.EINVAL), "per-vCPU VIRQ");
        Assert.That(m.BindVcpu(d.Vcpus[0], ipi, 1), Is.EqualTo(-Errno.EINVAL), "IPI");
        Assert.That(m.BindVcpu(d.Vcpus[0], 30, 1), Is.EqualTo(-Errno.EINVAL), "free port");
        Assert.That(m.BindVcpu(d.Vcpus[0], 999, 1), Is.EqualTo(-Errno.EINVAL), "no such port");
        Assert.That(m.BindVcpu(d.Vcpus[0], console, 2), Is.EqualTo(-Errno.ENOENT));
        Assert.That(m.BindVcpu(d.Vcpus[0], console, 1), Is.Zero, "a global VIRQ may move");
    }
}

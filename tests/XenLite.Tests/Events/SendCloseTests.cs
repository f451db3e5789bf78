using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Events;
using XenLite.Tests.Sched;
using XenLite.Tests.XenVersion;
using static XenLite.Tests.Events.EvtchnRig;

namespace XenLite.Tests.Events;

[Category("event_channel_op")]
public unsafe class SendCloseTests
{
    const ushort Self = (ushort)DomainIds.Self;

    [TestCase(GuestMode.Pv64, GuestMode.Pv32)]
    [TestCase(GuestMode.Hvm64, GuestMode.Arm)]
    [TestCase(GuestMode.Arm, GuestMode.Hvm64)]
    public void SendSetsPendingInThePeersSharedInfoAndRaisesItsUpcall(GuestMode senderMode, GuestMode peerMode)
    {
        using var m = Machine();
        var a = m.NewDomain(senderMode);
        var b = m.NewDomain(peerMode, id: 1);
        if (GuestModes.IsHvm(peerMode)) Assert.That(Upcall.SetUpcallVector(b, 0, 0xF3), Is.Zero);
        var (pa, pb) = m.Connect(a, b);
        var bv = b.Vcpus[0];
        Assert.That(Pending(b, pb), Is.False);

        Assert.That(m.Send(a.Vcpus[0], pa), Is.Zero);
        Assert.That(Pending(b, pb), Is.True);
        Assert.That(SelectorBit(bv, (int)pb / b.SharedInfo.Layout.BitsPerWord), Is.True);
        Assert.That(UpcallPending(bv), Is.True);
        Assert.That(bv.Events.UpcallWanted, Is.True);
        Assert.That(bv.Events.Upcalls, Is.EqualTo(1));

        Assert.That(m.Send(a.Vcpus[0], pa), Is.Zero);
        Assert.That(bv.Events.Upcalls, Is.EqualTo(1), "no new upcall while the first is pending");
    }

    [Test]
    public void HvmWithoutCallbackGetsThePendingBitsButNoUpcall()
    {
        using var m = Machine();
        var a = m.NewDomain(GuestMode.Hvm64);
        var b = m.NewDomain(GuestMode.Hvm64, id: 1);
        var (pa, pb) = m.Connect(a, b);
        Assert.That(m.Send(a.Vcpus[0], pa), Is.Zero);
        Assert.That(UpcallPending(b.Vcpus[0]), Is.True);
        Assert.That(b.Vcpus[0].Events.UpcallWanted, Is.False);

        Upcall.SetCallbackVia(b, 2UL << 56 | 0xF0);   // HVM_PARAM_CALLBACK_IRQ, vector type
        Assert.That(b.Events.Via, Is.EqualTo(CallbackVia.Vector));
        Assert.That(b.Vcpus[0].Events.UpcallWanted, Is.True, "setting the callback re-asserts a pending upcall");
    }

    [Test]
    public void UpcallVectorRefusals()
    {
        using var m = Machine();
        var hvm = m.NewDomain(GuestMode.Hvm64);
        var pv = m.NewDomain(GuestMode.Pv64, id: 1);
        Assert.That(Upcall.SetUpcallVector(hvm, 0, 0x0F), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Upcall.SetUpcallVector(hvm, 1, 0x20), Is.EqualTo(-Errno.ENOENT));
        Assert.That(Upcall.SetUpcallVector(pv, 0, 0x20), Is.EqualTo(-Errno.EINVAL));
    }

    [Test]
    public void MaskedPortStaysQuietUntilUnmasked()
    {
        using var m = Machine();
        var a = m.NewDomain(GuestMode.Pv64);
        var b = m.NewDomain(GuestMode.Pv64, id: 1);
        var (pa, pb) = m.Connect(a, b);
        Mask(b, pb);
        Assert.That(m.Send(a.Vcpus[0], pa), Is.Zero);
        Assert.That(Pending(b, pb), Is.True);
        Assert.That(UpcallPending(b.Vcpus[0]), Is.False);

        Assert.That(m.Unmask(b.Vcpus[0], pb), Is.Zero);
        Assert.That(Masked(b, pb), Is.False);
        Assert.That(SelectorBit(b.Vcpus[0], 0), Is.True);
        Assert.That(UpcallPending(b.Vcpus[0]), Is.True);
        Assert.That(m.Unmask(b.Vcpus[0], 99999), Is.EqualTo(-Errno.EINVAL));
    }

    [Test]
    public void SendOnAnUnboundPortIsDropped()
    {
        using var m = Machine();
        var d = m.NewDomain(GuestMode.Hvm64);
        Assert.That(m.AllocUnbound(d.Vcpus[0], Self, 1, out uint p), Is.Zero);
        Assert.That(m.Send(d.Vcpus[0], p), Is.Zero);
        Assert.That(Pending(d, p), Is.False);
    }

    [Test]
    public void SendRefusals()
    {
        using var m = Machine();
        var d = m.NewDomain(GuestMode.Hvm64);
        Assert.That(m.Send(d.Vcpus[0], 0), Is.EqualTo(-Errno.EINVAL), "reserved port 0");
        Assert.That(m.Send(d.Vcpus[0], 5), Is.EqualTo(-Errno.EINVAL), "free port");
        Assert.That(m.Send(d.Vcpus[0], 1 << 20), Is.EqualTo(-Errno.EINVAL), "no such port");
        Assert.That(m.BindVirq(d.Vcpus[0], Virq.Timer, 0, out uint virq), Is.Zero);
        Assert.That(m.Send(d.Vcpus[0], virq), Is.EqualTo(-Errno.EINVAL), "a VIRQ cannot be sent");
        Assert.That(m.Call(d.Vcpus[0], HypercallNumber.EventChannelOp, EvtchnOpCmd.Send, 0x7FFF_0000), Is.EqualTo(-Errno.EFAULT));
    }

    [Test]
    public void SendIsAnXsmDecision()
    {
        using var m = Machine(XsmOverride.Create("EvtchnSend", -Errno.EACCES));
        var a = m.NewDomain(GuestMode.Hvm64);
        var b = m.NewDomain(GuestMode.Hvm64, id: 1);
        var (pa, pb) = m.Connect(a, b);
        Assert.That(m.Send(a.Vcpus[0], pa), Is.EqualTo(-Errno.EACCES));
        Assert.That(Pending(b, pb), Is.False);
    }

    [Test]
    public void IpiRaisesTheBoundVcpu()
    {
        using var m = Machine();
        var d = m.NewDomain(GuestMode.Pv64, vcpus: 2);
        Assert.That(m.BindIpi(d.Vcpus[0], 1, out uint p), Is.Zero);
        Assert.That(m.Send(d.Vcpus[0], p), Is.Zero);
        Assert.That(Pending(d, p), Is.True);
        Assert.That(UpcallPending(d.Vcpus[1]), Is.True);
        Assert.That(UpcallPending(d.Vcpus[0]), Is.False);
    }

    [Test]
    public void SendWakesABlockedPeer()
    {
        using var m = Machine();
        var a = m.NewDomain(GuestMode.Pv64);
        var b = m.NewDomain(GuestMode.Pv64, id: 1);
        var (pa, _) = m.Connect(a, b);
        var bv = b.Vcpus[0];
        bv.Events.Info[0] = 0;   // the guest handled the bind-time event
        Assert.That(m.SchedOp(bv, SchedOpCmd.Block, 0), Is.Zero);
        Assert.That(bv.Blocked, Is.True);
        Assert.That(m.Send(a.Vcpus[0], pa), Is.Zero);
        Assert.That(bv.Blocked, Is.False);
    }

    [Test]
    public void BlockReturnsAtOnceWhenAnEventIsWaitingAndUnmasksUpcalls()
    {
        using var m = Machine();
        var a = m.NewDomain(GuestMode.Pv64);
        var b = m.NewDomain(GuestMode.Pv64, id: 1);
        var (pa, _) = m.Connect(a, b);
        var bv = b.Vcpus[0];
        bv.Events.Info[1] = 1;   // evtchn_upcall_mask
        Assert.That(m.Send(a.Vcpus[0], pa), Is.Zero);
        Assert.That(m.SchedOp(bv, SchedOpCmd.Block, 0), Is.Zero);
        Assert.That(bv.Events.Info[1], Is.Zero);
        Assert.That(bv.Blocked, Is.False);
    }

    [Test]
    public void SendWakesAPollerOfThatPort()
    {
        using var m = Machine();
        var a = m.NewDomain(GuestMode.Hvm64);
        var b = m.NewDomain(GuestMode.Hvm64, id: 1);
        var (pa, pb) = m.Connect(a, b);
        var bv = b.Vcpus[0];
        GuestBits.Clear(b.SharedInfo.PendingBits, pb);
        m.PokeStruct(b, SchedGuest.PortsGpa, pb);
        Assert.That(m.SchedOp(bv, SchedOpCmd.Poll, new SchedPoll { Ports = SchedGuest.PortsGpa, NrPorts = 1 }), Is.Zero);
        Assert.That(bv.Polling && bv.Blocked, Is.True);
        Assert.That(m.Send(a.Vcpus[0], pa), Is.Zero);
        Assert.That(bv.Polling || bv.Blocked, Is.False);
    }

    [Test]
    public void PollOfAPendingPortReturnsAtOnceAndOfAFreePortIsEinval()
    {
        using var m = Machine();
        var a = m.NewDomain(GuestMode.Hvm64);
        var b = m.NewDomain(GuestMode.Hvm64, id: 1);
        var (pb, _) = m.Connect(b, a);
        var bv = b.Vcpus[0];
        m.PokeStruct(b, SchedGuest.PortsGpa, pb);
        Assert.That(m.SchedOp(bv, SchedOpCmd.Poll, new SchedPoll { Ports = SchedGuest.PortsGpa, NrPorts = 1 }), Is.Zero);
        Assert.That(bv.Blocked || bv.Polling, Is.False, "the port was raised when it was bound");
        m.PokeStruct(b, SchedGuest.PortsGpa, 40u);
        Assert.That(m.SchedOp(bv, SchedOpCmd.Poll, new SchedPoll { Ports = SchedGuest.PortsGpa, NrPorts = 1 }), Is.EqualTo(-Errno.EINVAL));
    }

    [Test]
    public void CloseReturnsThePeerToUnbound()
    {
        using var m = Machine();
        var a = m.NewDomain(GuestMode.Hvm64);
        var b = m.NewDomain(GuestMode.Hvm64, id: 1);
        var (pa, pb) = m.Connect(a, b);
        Assert.That(m.Close(a.Vcpus[0], pa), Is.Zero);
        Assert.That(m.Status(a.Vcpus[0], Self, pa, out var sa), Is.Zero);
        Assert.That(sa.Status, Is.EqualTo(EvtchnStat.Closed));
        Assert.That(Pending(a, pa), Is.False, "closing drops the pending event");
        Assert.That(m.Status(b.Vcpus[0], Self, pb, out var sb), Is.Zero);
        Assert.That((sb.Status, sb.RemoteDom), Is.EqualTo((EvtchnStat.Unbound, (ushort)0)));
        Assert.That(m.BindInterdomain(a.Vcpus[0], 1, pb, out _), Is.Zero, "a can connect again");
        Assert.That(a.Events.ActivePorts, Is.EqualTo(1));
    }

    [Test]
    public void CloseRefusals()
    {
        using var m = Machine();
        var d = m.NewDomain(GuestMode.Pv32);
        Assert.That(m.Close(d.Vcpus[0], 0), Is.EqualTo(-Errno.EINVAL), "reserved");
        Assert.That(m.Close(d.Vcpus[0], 3), Is.EqualTo(-Errno.EINVAL), "free");
        Assert.That(m.Close(d.Vcpus[0], 64), Is.EqualTo(-Errno.EINVAL), "beyond the table");
        Assert.That(m.AllocUnbound(d.Vcpus[0], Self, 0, out uint p), Is.Zero);
        Assert.That(m.Close(d.Vcpus[0], p), Is.Zero);
        Assert.That(m.Close(d.Vcpus[0], p), Is.EqualTo(-Errno.EINVAL), "closed twice");
    }

    [Test]
    public void DestroyingADomainUnbindsItsPeers()
    {
        using var m = Machine();
        var a = m.NewDomain(GuestMode.Hvm64);
        var b = m.NewDomain(GuestMode.Hvm64, id: 1);
        var (pa, pb) = m.Connect(a, b);
        m.Hv.DestroyDomain(b);
        Assert.That(a.Events[pa].State, Is.EqualTo(ChannelState.Unbound));
        Assert.That(a.Events[pa].RemoteDom, Is.EqualTo(1));
        Assert.That(m.Send(a.Vcpus[0], pa), Is.Zero, "sends are now dropped");
    }
}

using System.Text;
using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Plugin.Argo;
using XenLite.Tests.Harness;

namespace XenLite.Plugins.Tests.Argo;

/// <summary>Two guests talking over Argo the way drivers do, and what happens when one goes away.</summary>
[Category("argo_op")]
public class ArgoExchangeTests
{
    const uint Len = 4096 - 64;

    // The receiver's side: take the message at rx_ptr and move rx_ptr past its slots.
    static (ArgoMessageHeader H, string Text) Receive(TestMachine m, Domain d, ulong ringGpa = ArgoRig.RingGpa)
    {
        uint rx = m.RxPtr(d, ringGpa);
        var (h, payload) = m.ReadMessage(d, rx, Len, ringGpa);
        m.SetRxPtr(d, (rx + ArgoAbi.RoundUp(h.Len)) % Len, ringGpa);
        return (h, Encoding.ASCII.GetString(payload));
    }

    [TestCase(GuestMode.Hvm64, GuestMode.Hvm64)]
    [TestCase(GuestMode.Hvm32, GuestMode.Hvm64)]
    [TestCase(GuestMode.Arm, GuestMode.Pv64)]
    public void PingPong(GuestMode mode1, GuestMode mode2)
    {
        using var m = ArgoRig.Machine();
        var d1 = m.Guest(1, mode1);
        var d2 = m.Guest(2, mode2);
        uint port1 = m.BindArgoVirq(d1), port2 = m.BindArgoVirq(d2);
        Assert.That(m.Register(d1, 100, 2, Len), Is.EqualTo(0));
        Assert.That(m.Register(d2, 200, 1, Len), Is.EqualTo(0));

        Assert.That(m.Send(d2, ArgoRig.Addr(200, 2), ArgoRig.Addr(100, 1), 1, Encoding.ASCII.GetBytes("ping")), Is.EqualTo(4));
        Assert.That(ArgoRig.Signalled(d1, port1), Is.True);
        var (h, text) = Receive(m, d1);
        Assert.That(text, Is.EqualTo("ping"));
        Assert.That(h.Source.DomainId, Is.EqualTo(2));

        // Reply to where the message came from.
        Assert.That(m.Send(d1, ArgoRig.Addr(100, 1), ArgoRig.Addr(h.Source.Aport, h.Source.DomainId), 2, Encoding.ASCII.GetBytes("pong!")), Is.EqualTo(5));
        Assert.That(ArgoRig.Signalled(d2, port2), Is.True);
        Assert.That(Receive(m, d2).Text, Is.EqualTo("pong!"));

        // Both rings read to the end: notify reports them empty with all their space.
        var e = m.Query(d2, 100, 1, spaceRequired: 64);
        Assert.That(e.Flags, Is.EqualTo(ArgoAbi.RingExists | ArgoAbi.RingEmpty | ArgoAbi.RingSufficient));
        Assert.That(e.MaxMessageSize, Is.EqualTo(Len - 32));
    }

    [Test]
    public void ManyMessagesAroundTheRingArriveInOrder()
    {
        using var m = ArgoRig.Machine();
        var d1 = m.Guest(1);
        var d2 = m.Guest(2);
        Assert.That(m.Register(d1, 100, 2, Len), Is.EqualTo(0));
        for (int i = 0; i < 500; i++)
        {
            string msg = "message " + i + new string('.', i % 37);
            Assert.That(m.Send(d2, ArgoRig.Addr(1, 2), ArgoRig.Addr(100, 1), (uint)i, Encoding.ASCII.GetBytes(msg)), Is.EqualTo(msg.Length));
            var (h, text) = Receive(m, d1);
            Assert.That(text, Is.EqualTo(msg));
            Assert.That(h.MessageType, Is.EqualTo((uint)i));
        }
    }

    [Test]
    public void DestroyingThePartnerRemovesItsSingleSourceRings()
    {
        using var m = ArgoRig.Machine();
        var d1 = m.Guest(1);
        var d2 = m.Guest(2);
        var ringMfn = d1.P2m.Lookup(new Hv.Common.Memory.Gfn(ArgoRig.RingGfn));
        uint refs = m.Hv.Memory.RefCount(ringMfn);
        Assert.That(m.Register(d1, 100, 2, Len), Is.EqualTo(0));
        Assert.That(m.Register(d1, 101, ArgoAbi.DomidAny, Len, firstGfn: ArgoRig.RingGfn + 1), Is.EqualTo(0));
        m.Hv.DestroyDomain(d2);
        Assert.That(m.Hv.Memory.RefCount(ringMfn), Is.EqualTo(refs));
        Assert.That(m.Unregister(d1, 100, 2), Is.EqualTo(-Errno.ENOENT));
        Assert.That(m.Unregister(d1, 101, ArgoAbi.DomidAny), Is.EqualTo(0), "rings open to anyone stay");
    }

    [Test]
    public void DestroyedWaiterIsForgotten()
    {
        using var m = ArgoRig.Machine();
        var d1 = m.Guest(1);
        var d2 = m.Guest(2);
        Assert.That(m.Register(d1, 100, ArgoAbi.DomidAny, 64), Is.EqualTo(0));
        Assert.That(m.Send(d2, ArgoRig.Addr(1, 2), ArgoRig.Addr(100, 1), 0, ArgoRig.Bytes(32, 0)), Is.EqualTo(32));
        Assert.That(m.Send(d2, ArgoRig.Addr(1, 2), ArgoRig.Addr(100, 1), 0, ArgoRig.Bytes(32, 0)), Is.EqualTo(-Errno.EAGAIN));
        ArgoRing ring = ArgoState.Of(m.Hv).For(d1).Find(100, ArgoAbi.DomidAny);
        Assert.That(ring.PendingCount, Is.EqualTo(1));
        m.Hv.DestroyDomain(d2);
        Assert.That(ring.PendingCount, Is.EqualTo(0));

        // A new domain with the same id starts without the old one's state.
        var again = m.Guest(2);
        m.SetRxPtr(d1, 48);
        uint port = m.BindArgoVirq(again);
        Assert.That(m.Argo(d1, ArgoAbi.OpNotify), Is.EqualTo(0));
        Assert.That(ArgoRig.Signalled(again, port), Is.False);
    }

    [Test]
    public void DestroyingTheOwnerReleasesItsRings()
    {
        using var m = ArgoRig.Machine();
        var d1 = m.Guest(1);
        var d2 = m.Guest(2);
        Assert.That(m.Register(d1, 100, 2, Len), Is.EqualTo(0));
        m.Hv.DestroyDomain(d1);
        Assert.That(m.Send(d2, ArgoRig.Addr(1, 2), ArgoRig.Addr(100, 1), 0, ArgoRig.Bytes(4, 0)), Is.EqualTo(-Errno.ESRCH));
        var fresh = m.Guest(1);
        Assert.That(ArgoState.Of(m.Hv).For(fresh).RingCount, Is.EqualTo(0));
        Assert.That(m.Send(d2, ArgoRig.Addr(1, 2), ArgoRig.Addr(100, 1), 0, ArgoRig.Bytes(4, 0)), Is.EqualTo(-Errno.ECONNREFUSED));
    }
}

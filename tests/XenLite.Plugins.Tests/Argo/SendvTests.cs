using System.Linq;
using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Plugin.Argo;
using XenLite.Tests.Harness;

namespace XenLite.Plugins.Tests.Argo;

[Category("argo_op")]
public class SendvTests
{
    const uint Len = 4096 - 64;

    static (TestMachine M, Domain D1, Domain D2) Ring(ushort partner = 2, uint len = Len, Hv.Xsm.XsmModule xsm = null)
    {
        var m = ArgoRig.Machine(xsm: xsm);
        var d1 = m.Guest(1);
        var d2 = m.Guest(2);
        Assert.That(m.Register(d1, 10, partner, len), Is.EqualTo(0));
        return (m, d1, d2);
    }

    static ArgoAddr From2 => ArgoRig.Addr(77, 2);
    static ArgoAddr To1 => ArgoRig.Addr(10, 1);

    [Test]
    public void MessageIsHeaderAndPayloadPaddedToSlots()
    {
        var (m, d1, d2) = Ring();
        using var _m = m;
        Assert.That(m.Send(d2, From2, To1, 0xABCD, ArgoRig.Bytes(5, 1), ArgoRig.Bytes(12, 50)), Is.EqualTo(17));
        var (h, payload) = m.ReadMessage(d1, 0, Len);
        Assert.That(h.Len, Is.EqualTo(16 + 17));
        Assert.That(h.Source.Aport, Is.EqualTo(77));
        Assert.That(h.Source.DomainId, Is.EqualTo(2));
        Assert.That(h.MessageType, Is.EqualTo(0xABCD));
        Assert.That(payload, Is.EqualTo(ArgoRig.Bytes(5, 1).Concat(ArgoRig.Bytes(12, 50)).ToArray()));
        Assert.That(m.TxPtr(d1), Is.EqualTo(16 + 32));
        Assert.That(m.Send(d2, From2, To1, 1, ArgoRig.Bytes(16, 3)), Is.EqualTo(16));
        Assert.That(m.TxPtr(d1), Is.EqualTo(48 + 32));
        Assert.That(m.ReadMessage(d1, 48, Len).Payload, Is.EqualTo(ArgoRig.Bytes(16, 3)));
    }

    [Test]
    public void AnySourceDomainIdMeansTheSender()
    {
        var (m, d1, d2) = Ring();
        using var _m = m;
        Assert.That(m.Send(d2, ArgoRig.Addr(3, ArgoAbi.DomidAny), To1, 0, ArgoRig.Bytes(1, 0)), Is.EqualTo(1));
        Assert.That(m.ReadMessage(d1, 0, Len).Header.Source.DomainId, Is.EqualTo(2));
    }

    [Test]
    public void SendingAsAnotherDomainIsEperm()
    {
        var (m, _, d2) = Ring();
        using var _m = m;
        Assert.That(m.Send(d2, ArgoRig.Addr(3, 1), To1, 0, ArgoRig.Bytes(1, 0)), Is.EqualTo(-Errno.EPERM));
    }

    [Test]
    public void NonZeroAddressPadIsEinval()
    {
        var (m, _, d2) = Ring();
        using var _m = m;
        var src = From2;
        src.Pad = 1;
        Assert.That(m.Send(d2, src, To1, 0, ArgoRig.Bytes(1, 0)), Is.EqualTo(-Errno.EINVAL));
        var dst = To1;
        dst.Pad = 1;
        Assert.That(m.Send(d2, From2, dst, 0, ArgoRig.Bytes(1, 0)), Is.EqualTo(-Errno.EINVAL));
    }

    [Test]
    public void UnknownDestinationIsEsrch()
    {
        var (m, _, d2) = Ring();
        using var _m = m;
        Assert.That(m.Send(d2, From2, ArgoRig.Addr(10, 9), 0, ArgoRig.Bytes(1, 0)), Is.EqualTo(-Errno.ESRCH));
    }

    [Test]
    public void NoMatchingRingIsEconnrefusedBeforeIovsAreLookedAt()
    {
        var (m, d1, d2) = Ring();
        using var _m = m;
        var d3 = m.Guest(3);
        // Wrong port; wrong sender for a single-source ring; bad iovs do not matter yet.
        Assert.That(m.Send(d2, From2, ArgoRig.Addr(11, 1), 0, ArgoRig.Bytes(1, 0)), Is.EqualTo(-Errno.ECONNREFUSED));
        Assert.That(m.Send(d3, ArgoRig.Addr(1, 3), To1, 0, ArgoRig.Bytes(1, 0)), Is.EqualTo(-Errno.ECONNREFUSED));
        Assert.That(m.SendIovs(d2, From2, ArgoRig.Addr(11, 1), 0, new[] { new ArgoIov { Len = 1, Pad = 1 } }), Is.EqualTo(-Errno.ECONNREFUSED));
    }

    [Test]
    public void WildcardRingTakesAnySenderButASingleSourceRingWins()
    {
        using var m = ArgoRig.Machine();
        var d1 = m.Guest(1);
        var d2 = m.Guest(2);
        var d3 = m.Guest(3);
        Assert.That(m.Register(d1, 10, ArgoAbi.DomidAny, Len), Is.EqualTo(0));
        Assert.That(m.Register(d1, 10, 3, Len, firstGfn: ArgoRig.RingGfn + 1), Is.EqualTo(0));
        Assert.That(m.Send(d2, From2, To1, 0, ArgoRig.Bytes(4, 0)), Is.EqualTo(4));
        Assert.That(m.Send(d3, ArgoRig.Addr(1, 3), To1, 0, ArgoRig.Bytes(8, 0)), Is.EqualTo(8));
        Assert.That(m.ReadMessage(d1, 0, Len).Header.Source.DomainId, Is.EqualTo(2));
        Assert.That(m.ReadMessage(d1, 0, Len, ArgoRig.RingGpa + 4096).Header.Source.DomainId, Is.EqualTo(3));
    }

    [Test]
    public void XsmSendRefusalIsReturned()
    {
        var xsm = XsmDecider.Create((hook, a) => hook == "ArgoSend" ? -Errno.EACCES : XsmDecider.Pass);
        var (m, d1, d2) = Ring(xsm: xsm);
        using var _m = m;
        Assert.That(m.Send(d2, From2, To1, 0, ArgoRig.Bytes(1, 0)), Is.EqualTo(-Errno.EACCES));
        Assert.That(m.TxPtr(d1), Is.EqualTo(0));
    }

    [Test]
    public void DestinationWithoutArgoIsEconnrefused()
    {
        var xsm = XsmDecider.Create((hook, a) => hook == "ArgoEnable" && ((Domain)a[0]).Id == 1 ? -Errno.EACCES : XsmDecider.Pass);
        using var m = ArgoRig.Machine(xsm: xsm);
        m.Guest(1);
        var d2 = m.Guest(2);
        Assert.That(m.Send(d2, From2, To1, 0, ArgoRig.Bytes(1, 0)), Is.EqualTo(-Errno.ECONNREFUSED));
    }

    [Test]
    public void MoreThanEightIovsIsEinval()
    {
        var (m, _, d2) = Ring();
        using var _m = m;
        var payloads = Enumerable.Range(0, 9).Select(i => ArgoRig.Bytes(1, (byte)i)).ToArray();
        Assert.That(m.Send(d2, From2, To1, 0, payloads), Is.EqualTo(-Errno.EINVAL));
        Assert.That(m.Send(d2, From2, To1, 0, payloads.Take(8).ToArray()), Is.EqualTo(8));
    }

    [Test]
    public void UnreadableAddressOrIovArrayIsEfault()
    {
        var (m, _, d2) = Ring();
        using var _m = m;
        Assert.That(m.Argo(d2, ArgoAbi.OpSendv, 0x10_0000_0000, ArgoRig.IovGpa, 1), Is.EqualTo(-Errno.EFAULT));
        m.PokeStruct(d2, ArgoRig.ArgGpa, new ArgoSendAddr { Src = From2, Dst = To1 });
        Assert.That(m.Argo(d2, ArgoAbi.OpSendv, ArgoRig.ArgGpa, 0x10_0000_0000, 1), Is.EqualTo(-Errno.EFAULT));
        // No iovs: nothing read from the list, an empty message goes in.
        Assert.That(m.Argo(d2, ArgoAbi.OpSendv, ArgoRig.ArgGpa, 0x10_0000_0000, 0), Is.EqualTo(0));
    }

    [Test]
    public void IovChecks()
    {
        var (m, d1, d2) = Ring();
        using var _m = m;
        var ok = new ArgoIov { Handle = ArgoRig.DataGpa, Len = 4 };
        Assert.That(m.SendIovs(d2, From2, To1, 0, new[] { ok, new ArgoIov { Handle = ArgoRig.DataGpa, Len = 4, Pad = 1 } }), Is.EqualTo(-Errno.EINVAL));
        Assert.That(m.SendIovs(d2, From2, To1, 0, new[] { new ArgoIov { Handle = ArgoRig.DataGpa, Len = ArgoAbi.MaxMessageSize + 1 } }), Is.EqualTo(-Errno.EINVAL));
        var half = new ArgoIov { Handle = ArgoRig.DataGpa, Len = ArgoAbi.MaxMessageSize / 2 + 1 };
        Assert.That(m.SendIovs(d2, From2, To1, 0, new[] { half, half }), Is.EqualTo(-Errno.EMSGSIZE));
        Assert.That(m.TxPtr(d1), Is.EqualTo(0));
    }

    [Test]
    public void MessageThatCanNeverFitIsEmsgsize()
    {
        var (m, d1, d2) = Ring(len: 64);
        using var _m = m;
        // 64-byte ring: at most 64 - 16 (header) - 16 (the slot kept free) = 32 bytes of payload.
        Assert.That(m.Send(d2, From2, To1, 0, ArgoRig.Bytes(33, 0)), Is.EqualTo(-Errno.EMSGSIZE));
        Assert.That(m.Send(d2, From2, To1, 0, ArgoRig.Bytes(32, 0)), Is.EqualTo(32));
        Assert.That(m.TxPtr(d1), Is.EqualTo(48));
        // Not now, but later: -EAGAIN, not -EMSGSIZE.
        Assert.That(m.Send(d2, From2, To1, 0, ArgoRig.Bytes(1, 0)), Is.EqualTo(-Errno.EAGAIN));
    }

    [Test]
    public void FullRingIsEagainAndOneSlotAlwaysStaysFree()
    {
        var (m, d1, d2) = Ring(len: 128);
        using var _m = m;
        // 128 bytes: three 32-byte messages fit (96), a fourth would leave no free slot.
        for (int i = 0; i < 3; i++)
            Assert.That(m.Send(d2, From2, To1, 0, ArgoRig.Bytes(16, (byte)i)), Is.EqualTo(16), $"message {i}");
        Assert.That(m.Send(d2, From2, To1, 0, ArgoRig.Bytes(16, 9)), Is.EqualTo(-Errno.EAGAIN));
        Assert.That(m.Send(d2, From2, To1, 0, ArgoRig.Bytes(1, 9)), Is.EqualTo(-Errno.EAGAIN));
        Assert.That(m.TxPtr(d1), Is.EqualTo(96));
        // The receiver consumes one message: there is room again.
        m.SetRxPtr(d1, 32);
        Assert.That(m.Send(d2, From2, To1, 0, ArgoRig.Bytes(16, 9)), Is.EqualTo(16));
        Assert.That(m.TxPtr(d1), Is.EqualTo(0));
    }

    [Test]
    public void MessageWrapsAroundTheEndOfTheRing()
    {
        var (m, d1, d2) = Ring(len: 128);
        using var _m = m;
        m.SetRxPtr(d1, 96);
        m.SetTxPtr(d1, 96);
        Assert.That(m.Register(d1, 10, 2, 128), Is.EqualTo(0)); // re-register: tx_ptr 96 is kept
        Assert.That(m.Send(d2, From2, To1, 5, ArgoRig.Bytes(40, 100)), Is.EqualTo(40));
        // Header at 96..111, payload 112..127 then 0..23; next message at 32.
        Assert.That(m.TxPtr(d1), Is.EqualTo(32));
        var (h, payload) = m.ReadMessage(d1, 96, 128);
        Assert.That(h.MessageType, Is.EqualTo(5));
        Assert.That(payload, Is.EqualTo(ArgoRig.Bytes(40, 100)));
    }

    [Test]
    public void MessageCrossesRingPages()
    {
        var (m, d1, d2) = Ring(len: 8192 - 64);
        using var _m = m;
        Assert.That(m.Send(d2, From2, To1, 0, ArgoRig.Bytes(5000, 7)), Is.EqualTo(5000));
        Assert.That(m.ReadMessage(d1, 0, 8192 - 64).Payload, Is.EqualTo(ArgoRig.Bytes(5000, 7)));
        Assert.That(m.TxPtr(d1), Is.EqualTo(16 + 5008));
    }

    [Test]
    public void UnreadableIovBufferIsEfaultAndNothingIsPublished()
    {
        var (m, d1, d2) = Ring();
        using var _m = m;
        var iovs = new[] { new ArgoIov { Handle = ArgoRig.DataGpa, Len = 8 }, new ArgoIov { Handle = 0x10_0000_0000, Len = 8 } };
        Assert.That(m.SendIovs(d2, From2, To1, 0, iovs), Is.EqualTo(-Errno.EFAULT));
        var wrapping = new[] { new ArgoIov { Handle = ulong.MaxValue - 3, Len = 8 } };
        Assert.That(m.SendIovs(d2, From2, To1, 0, wrapping), Is.EqualTo(-Errno.EFAULT));
        Assert.That(m.TxPtr(d1), Is.EqualTo(0));
    }

    [Test]
    public void EmptyIovsAreSkipped()
    {
        var (m, d1, d2) = Ring();
        using var _m = m;
        m.Poke(d2, ArgoRig.DataGpa, ArgoRig.Bytes(4, 1));
        var iovs = new[] { new ArgoIov { Handle = 0x10_0000_0000, Len = 0 }, new ArgoIov { Handle = ArgoRig.DataGpa, Len = 4 } };
        Assert.That(m.SendIovs(d2, From2, To1, 0, iovs), Is.EqualTo(4));
        Assert.That(m.ReadMessage(d1, 0, Len).Payload, Is.EqualTo(ArgoRig.Bytes(4, 1)));
    }

    [Test]
    public void ReceiverIsSignalledWithVirqArgo()
    {
        var (m, d1, d2) = Ring();
        using var _m = m;
        uint port = m.BindArgoVirq(d1);
        Assert.That(m.Send(d2, From2, To1, 0, ArgoRig.Bytes(4, 1)), Is.EqualTo(4));
        Assert.That(ArgoRig.Signalled(d1, port), Is.True);
        ArgoRig.ClearSignal(d1, port);
        Assert.That(m.Send(d2, From2, ArgoRig.Addr(11, 1), 0, ArgoRig.Bytes(4, 1)), Is.EqualTo(-Errno.ECONNREFUSED));
        Assert.That(ArgoRig.Signalled(d1, port), Is.False);
    }

    [Test]
    public void CompatSenderUsesTwelveByteIovs()
    {
        using var m = ArgoRig.Machine();
        var d1 = m.Guest(1);
        var d2 = m.Guest(2, GuestMode.Hvm32);
        Assert.That(m.Register(d1, 10, 2, Len), Is.EqualTo(0));
        Assert.That(m.Send(d2, From2, To1, 0x55, ArgoRig.Bytes(3, 1), ArgoRig.Bytes(7, 20)), Is.EqualTo(10));
        var (h, payload) = m.ReadMessage(d1, 0, Len);
        Assert.That(h.MessageType, Is.EqualTo(0x55));
        Assert.That(payload, Is.EqualTo(ArgoRig.Bytes(3, 1).Concat(ArgoRig.Bytes(7, 20)).ToArray()));
    }

    [Test]
    public void CompatSendvChecks()
    {
        using var m = ArgoRig.Machine();
        var d1 = m.Guest(1);
        var d2 = m.Guest(2, GuestMode.Hvm32);
        Assert.That(m.Register(d1, 10, 2, Len), Is.EqualTo(0));
        Assert.That(m.Argo(d2, ArgoAbi.OpSendv, 0xFFFF_F000, ArgoRig.IovGpa, 1), Is.EqualTo(-Errno.EFAULT));
        m.PokeStruct(d2, ArgoRig.ArgGpa, new ArgoSendAddr { Src = From2, Dst = To1 });
        Assert.That(m.Argo(d2, ArgoAbi.OpSendv, ArgoRig.ArgGpa, ArgoRig.IovGpa, 9), Is.EqualTo(-Errno.EINVAL));
        Assert.That(m.Argo(d2, ArgoAbi.OpSendv, ArgoRig.ArgGpa, 0xFFFF_F000, 1), Is.EqualTo(-Errno.EFAULT));
        // The other sub-ops are the native ones.
        Assert.That(m.Argo(d2, ArgoAbi.OpNotify, 0, 1), Is.EqualTo(-Errno.EINVAL));
    }

    [Test]
    public void CompatSendvNeedsArgoEnabled()
    {
        using var m = ArgoRig.Machine(commandLine: "");
        var d2 = m.Guest(2, GuestMode.Hvm32);
        Assert.That(m.Argo(d2, ArgoAbi.OpSendv, ArgoRig.ArgGpa, ArgoRig.IovGpa, 1), Is.EqualTo(-Errno.EOPNOTSUPP));
    }
}

using System.Collections.Generic;
using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Plugin.Argo;
using XenLite.Tests.Harness;

namespace XenLite.Plugins.Tests.Argo;

[Category("argo_op")]
public class NotifyTests
{
    const uint Len = 4096 - 64;
    const uint Max = Len - 32;

    static (TestMachine M, Domain D1, Domain D2) Ring(ushort partner = 2, uint len = Len, Hv.Xsm.XsmModule xsm = null)
    {
        var m = ArgoRig.Machine(xsm: xsm);
        var d1 = m.Guest(1);
        var d2 = m.Guest(2);
        Assert.That(m.Register(d1, 10, partner, len), Is.EqualTo(0));
        return (m, d1, d2);
    }

    [Test]
    public void WithoutRingDataItOnlySignals()
    {
        var (m, d1, _) = Ring();
        using var _m = m;
        Assert.That(m.Argo(d1, ArgoAbi.OpNotify), Is.EqualTo(0));
    }

    [Test]
    public void ExtraArgumentsAreEinval()
    {
        var (m, d1, _) = Ring();
        using var _m = m;
        Assert.That(m.Argo(d1, ArgoAbi.OpNotify, ArgoRig.ArgGpa, 1), Is.EqualTo(-Errno.EINVAL));
        Assert.That(m.Argo(d1, ArgoAbi.OpNotify, ArgoRig.ArgGpa, 0, 1), Is.EqualTo(-Errno.EINVAL));
        Assert.That(m.Argo(d1, ArgoAbi.OpNotify, ArgoRig.ArgGpa, 0, 0, 1), Is.EqualTo(-Errno.EINVAL));
    }

    [Test]
    public void MoreThan256EntriesIsEacces()
    {
        var (m, _, d2) = Ring();
        using var _m = m;
        var ents = new ArgoRingDataEnt[257];
        Assert.That(m.Notify(d2, ents), Is.EqualTo(-Errno.EACCES));
        Assert.That(m.Notify(d2, new ArgoRingDataEnt[256]), Is.EqualTo(0));
    }

    [Test]
    public void UnreadableRingDataIsEfault()
    {
        var (m, _, d2) = Ring();
        using var _m = m;
        Assert.That(m.Argo(d2, ArgoAbi.OpNotify, 0x10_0000_0000), Is.EqualTo(-Errno.EFAULT));
        // The header is readable, its entry lies past the end of the guest's RAM.
        const ulong last = 64 * 4096 - 8;
        m.PokeStruct(d2, last, new ArgoRingData { Nent = 1 });
        Assert.That(m.Argo(d2, ArgoAbi.OpNotify, last), Is.EqualTo(-Errno.EFAULT));
    }

    [Test]
    public void EmptyRingExistsIsEmptyAndHasSpace()
    {
        var (m, _, d2) = Ring();
        using var _m = m;
        var e = m.Query(d2, 10, 1, spaceRequired: 100);
        Assert.That(e.Flags, Is.EqualTo(ArgoAbi.RingExists | ArgoAbi.RingEmpty | ArgoAbi.RingSufficient));
        Assert.That(e.MaxMessageSize, Is.EqualTo(Max));
        Assert.That(e.SpaceRequired, Is.EqualTo(100), "space_required is not written back");
    }

    [Test]
    public void WildcardRingIsShared()
    {
        var (m, _, d2) = Ring(partner: ArgoAbi.DomidAny);
        using var _m = m;
        Assert.That(m.Query(d2, 10, 1).Flags & ArgoAbi.RingShared, Is.EqualTo(ArgoAbi.RingShared));
    }

    [Test]
    public void NoSuchRingOrDomainLeavesFlagsZero()
    {
        var (m, _, d2) = Ring();
        using var _m = m;
        var ents = new[]
        {
            new ArgoRingDataEnt { Ring = ArgoRig.Addr(11, 1), Flags = 0xFF, MaxMessageSize = 0x1234 },
            new ArgoRingDataEnt { Ring = ArgoRig.Addr(10, 40), Flags = 0xFF, MaxMessageSize = 0x5678 },
        };
        Assert.That(m.Notify(d2, ents), Is.EqualTo(0));
        Assert.That(ents[0].Flags, Is.EqualTo(0));
        Assert.That(ents[0].MaxMessageSize, Is.EqualTo(0x1234));
        Assert.That(ents[1].Flags, Is.EqualTo(0));
        Assert.That(ents[1].MaxMessageSize, Is.EqualTo(0x5678));
    }

    [Test]
    public void RingForAnotherSenderIsInvisible()
    {
        var (m, _, _) = Ring();
        using var _m = m;
        var d3 = m.Guest(3);
        Assert.That(m.Query(d3, 10, 1).Flags, Is.EqualTo(0));
    }

    [Test]
    public void RequirementAboveTheRingsMaximumIsEmsgsize()
    {
        var (m, _, d2) = Ring();
        using var _m = m;
        Assert.That(m.Query(d2, 10, 1, spaceRequired: Max + 1).Flags,
            Is.EqualTo(ArgoAbi.RingExists | ArgoAbi.RingEmpty | ArgoAbi.RingEmsgsize));
    }

    [Test]
    public void InsufficientSpaceQueuesASignalSentWhenTheOwnerFreesRoom()
    {
        var (m, d1, d2) = Ring(len: 128);
        using var _m = m;
        uint port = m.BindArgoVirq(d2);
        for (int i = 0; i < 3; i++) Assert.That(m.Send(d2, ArgoRig.Addr(1, 2), ArgoRig.Addr(10, 1), 0, ArgoRig.Bytes(16, 0)), Is.EqualTo(16));
        var e = m.Query(d2, 10, 1, spaceRequired: 16);
        Assert.That(e.Flags, Is.EqualTo(ArgoAbi.RingExists));
        Assert.That(e.MaxMessageSize, Is.EqualTo(96));

        // The owner's notify without room signals nobody; with room, the waiter.
        Assert.That(m.Argo(d1, ArgoAbi.OpNotify), Is.EqualTo(0));
        Assert.That(ArgoRig.Signalled(d2, port), Is.False);
        m.SetRxPtr(d1, 64);
        Assert.That(m.Argo(d1, ArgoAbi.OpNotify), Is.EqualTo(0));
        Assert.That(ArgoRig.Signalled(d2, port), Is.True);
        // The wait was used up.
        ArgoRig.ClearSignal(d2, port);
        Assert.That(m.Argo(d1, ArgoAbi.OpNotify), Is.EqualTo(0));
        Assert.That(ArgoRig.Signalled(d2, port), Is.False);
    }

    [Test]
    public void SufficientAnswerCancelsAnEarlierWait()
    {
        var (m, d1, d2) = Ring(len: 128);
        using var _m = m;
        uint port = m.BindArgoVirq(d2);
        for (int i = 0; i < 3; i++) m.Send(d2, ArgoRig.Addr(1, 2), ArgoRig.Addr(10, 1), 0, ArgoRig.Bytes(16, 0));
        Assert.That(m.Query(d2, 10, 1, spaceRequired: 16).Flags & ArgoAbi.RingSufficient, Is.EqualTo(0));
        m.SetRxPtr(d1, 64);
        Assert.That(m.Query(d2, 10, 1, spaceRequired: 16).Flags & ArgoAbi.RingSufficient, Is.EqualTo(ArgoAbi.RingSufficient));
        Assert.That(m.Argo(d1, ArgoAbi.OpNotify), Is.EqualTo(0));
        Assert.That(ArgoRig.Signalled(d2, port), Is.False);
    }

    [Test]
    public void FullSendQueuesASignalForTheSender()
    {
        var (m, d1, d2) = Ring(len: 128);
        using var _m = m;
        uint port = m.BindArgoVirq(d2);
        for (int i = 0; i < 3; i++) m.Send(d2, ArgoRig.Addr(1, 2), ArgoRig.Addr(10, 1), 0, ArgoRig.Bytes(16, 0));
        Assert.That(m.Send(d2, ArgoRig.Addr(1, 2), ArgoRig.Addr(10, 1), 0, ArgoRig.Bytes(48, 0)), Is.EqualTo(-Errno.EAGAIN));
        // One message read frees room for 32 bytes: not the 48 the sender waits for; two do.
        m.SetRxPtr(d1, 32);
        m.Argo(d1, ArgoAbi.OpNotify);
        Assert.That(ArgoRig.Signalled(d2, port), Is.False);
        m.SetRxPtr(d1, 64);
        m.Argo(d1, ArgoAbi.OpNotify);
        Assert.That(ArgoRig.Signalled(d2, port), Is.True);
    }

    [Test]
    public void At32WaitersTheNextIsToldBusy()
    {
        using var m = ArgoRig.Machine();
        var owner = m.NewDomain(GuestMode.Hvm64, 1, pages: 32, privileged: false);
        Assert.That(m.Register(owner, 10, ArgoAbi.DomidAny, 64), Is.EqualTo(0));
        var senders = new List<Domain>();
        for (uint id = 2; id < 2 + 33; id++) senders.Add(m.NewDomain(GuestMode.Hvm64, id, pages: 16, privileged: false));
        Assert.That(m.Send(senders[0], ArgoRig.Addr(1, senders[0].Id), ArgoRig.Addr(10, 1), 0, ArgoRig.Bytes(32, 0)), Is.EqualTo(32));
        for (int i = 0; i < 32; i++)
            Assert.That(m.Query(senders[i], 10, 1, spaceRequired: 16).Flags, Is.EqualTo(ArgoAbi.RingExists | ArgoAbi.RingShared), $"sender {i}");
        // A waiter asking again keeps its one entry.
        Assert.That(m.Query(senders[0], 10, 1, spaceRequired: 32).Flags & ArgoAbi.RingEbusy, Is.EqualTo(0));
        Assert.That(m.Query(senders[32], 10, 1, spaceRequired: 16).Flags, Is.EqualTo(ArgoAbi.RingExists | ArgoAbi.RingShared | ArgoAbi.RingEbusy));
        Assert.That(m.Send(senders[32], ArgoRig.Addr(1, senders[32].Id), ArgoRig.Addr(10, 1), 0, ArgoRig.Bytes(16, 0)), Is.EqualTo(-Errno.EBUSY));
    }

    [Test]
    public void XsmSendRefusalStopsTheAnswer()
    {
        var xsm = XsmDecider.Create((hook, a) => hook == "ArgoSend" ? -Errno.EACCES : XsmDecider.Pass);
        var (m, _, d2) = Ring(xsm: xsm);
        using var _m = m;
        var ents = new[]
        {
            new ArgoRingDataEnt { Ring = ArgoRig.Addr(10, 40), Flags = 0xFF },
            new ArgoRingDataEnt { Ring = ArgoRig.Addr(10, 1), Flags = 0xFF },
        };
        Assert.That(m.Notify(d2, ents), Is.EqualTo(-Errno.EACCES));
        Assert.That(ents[0].Flags, Is.EqualTo(0), "entries before the refusal are answered");
        Assert.That(ents[1].Flags, Is.EqualTo(0xFF), "the refused one is left alone");
    }
}

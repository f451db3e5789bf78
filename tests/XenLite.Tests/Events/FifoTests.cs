using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Events;
using static XenLite.Tests.Events.EvtchnRig;

namespace XenLite.Tests.Events;

[Category("event_channel_op")]
public unsafe class FifoTests
{
    const ushort Self = (ushort)DomainIds.Self;

    [Test]
    public void InitControlSwitchesToFifoAndReportsLinkBits()
    {
        using var m = Machine();
        var d = m.NewDomain(GuestMode.Hvm64, vcpus: 2);
        Assert.That(m.InitControl(d.Vcpus[0], ControlGfn, 64, 1, out byte bits), Is.Zero);
        Assert.That(bits, Is.EqualTo(EvtchnFifo.LinkBits));
        Assert.That(d.Events.Ops, Is.SameAs(FifoPorts.Instance));
        Assert.That(d.Events.AbiLimit, Is.EqualTo(EvtchnFifo.NrChannels));
        Assert.That(m.InitControl(d.Vcpus[0], ControlGfn, 0, 0, out _), Is.Zero, "vCPU 0 registers its own block");
        Assert.That(m.InitControl(d.Vcpus[0], ControlGfn, 128, 1, out _), Is.EqualTo(-Errno.EINVAL), "already registered");
    }

    [Test]
    public void InitControlRefusals()
    {
        using var m = Machine();
        var d = m.NewDomain(GuestMode.Hvm64);
        Assert.That(m.InitControl(d.Vcpus[0], ControlGfn, 0, 1, out _), Is.EqualTo(-Errno.ENOENT));
        Assert.That(m.InitControl(d.Vcpus[0], ControlGfn, 4096 - 64, 0, out _), Is.EqualTo(-Errno.EINVAL), "crosses the page");
        Assert.That(m.InitControl(d.Vcpus[0], ControlGfn, 4, 0, out _), Is.EqualTo(-Errno.EINVAL), "not 8-byte aligned");
        Assert.That(m.InitControl(d.Vcpus[0], 0x9999, 0, 0, out _), Is.EqualTo(-Errno.EINVAL), "no such frame");
        Assert.That(d.Events.Fifo, Is.Null, "a failed first init leaves the domain 2-level");
        Assert.That(m.InitControl(d.Vcpus[0], ControlGfn, 4096 - 72, 0, out _), Is.Zero, "the last offset that fits");
    }

    [Test]
    public void ExpandArrayRefusals()
    {
        using var m = Machine();
        var d = m.NewDomain(GuestMode.Hvm64);
        Assert.That(m.ExpandArray(d.Vcpus[0], ArrayGfn), Is.EqualTo(-Errno.EOPNOTSUPP), "2-level domain");
        Assert.That(m.InitControl(d.Vcpus[0], ControlGfn, 0, 0, out _), Is.Zero);
        Assert.That(m.ExpandArray(d.Vcpus[0], 0x9999), Is.EqualTo(-Errno.EINVAL));
        Assert.That(m.ExpandArray(d.Vcpus[0], ArrayGfn), Is.Zero);
        Assert.That(d.Events.Fifo.NumEvtchns, Is.EqualTo(EvtchnFifo.WordsPerPage));
    }

    [Test]
    public void EventIsLinkedAtTheHeadOfItsPriorityQueue()
    {
        using var m = Machine();
        var a = m.NewDomain(GuestMode.Hvm64);
        var b = m.NewDomain(GuestMode.Hvm64, id: 1);
        Assert.That(Upcall.SetUpcallVector(b, 0, 0xF3), Is.Zero);
        m.MakeFifo(b);
        var (pa, pb) = m.Connect(a, b);
        uint w = Word(m, b, pb);
        Assert.That(Bit(w, EvtchnFifo.Pending) && Bit(w, EvtchnFifo.Linked), Is.False, "the bind-time raise targets a's port");
        Assert.That(m.Send(a.Vcpus[0], pa), Is.Zero);
        w = Word(m, b, pb);
        Assert.That(Bit(w, EvtchnFifo.Pending) && Bit(w, EvtchnFifo.Linked), Is.True);
        var cb = Control(m, b);
        Assert.That(cb.Head[EvtchnFifo.PriorityDefault], Is.EqualTo(pb));
        Assert.That(cb.Ready, Is.EqualTo(1u << (int)EvtchnFifo.PriorityDefault));
        Assert.That(UpcallPending(b.Vcpus[0]) && b.Vcpus[0].Events.UpcallWanted, Is.True);
    }

    [Test]
    public void QueuesFollowPriorityAndLinkInArrivalOrder()
    {
        using var m = Machine();
        var d = m.NewDomain(GuestMode.Hvm64);
        var v = d.Vcpus[0];
        m.MakeFifo(d);
        uint[] ports = new uint[4];
        for (int i = 0; i < 4; i++) Assert.That(m.BindIpi(v, 0, out ports[i]), Is.Zero);
        Assert.That(m.SetPriority(v, ports[0], 9), Is.Zero);
        Assert.That(m.SetPriority(v, ports[1], 2), Is.Zero);
        Assert.That(m.SetPriority(v, ports[2], 9), Is.Zero);
        // ports[3] keeps the default priority 7.
        foreach (uint p in ports) Assert.That(m.Send(v, p), Is.Zero);

        var cb = Control(m, d);
        Assert.That(cb.Ready, Is.EqualTo((1u << 2) | (1u << 7) | (1u << 9)));
        Assert.That(cb.Head[2], Is.EqualTo(ports[1]), "highest priority queue");
        Assert.That(cb.Head[7], Is.EqualTo(ports[3]));
        Assert.That(cb.Head[9], Is.EqualTo(ports[0]));
        Assert.That(Word(m, d, ports[0]) & EvtchnFifo.LinkMask, Is.EqualTo(ports[2]), "second event of queue 9 is linked from the first");
        Assert.That(Word(m, d, ports[2]) & EvtchnFifo.LinkMask, Is.Zero, "tail");
    }

    [Test]
    public void GuestConsumingTheQueueStartsANewOne()
    {
        using var m = Machine();
        var d = m.NewDomain(GuestMode.Hvm64);
        var v = d.Vcpus[0];
        m.MakeFifo(d);
        Assert.That(m.BindIpi(v, 0, out uint p1), Is.Zero);
        Assert.That(m.BindIpi(v, 0, out uint p2), Is.Zero);
        Assert.That(m.Send(v, p1), Is.Zero);
        // The guest consumes p1: clears LINKED and PENDING, and READY as the queue is now empty.
        m.PokeStruct(d, ArrayGfn * 4096 + p1 * 4, 0u);
        m.PokeStruct(d, ControlGfn * 4096, 0u);
        Assert.That(m.Send(v, p2), Is.Zero);
        var cb = Control(m, d);
        Assert.That(cb.Head[7], Is.EqualTo(p2), "the tail was unlinked, so p2 heads a new queue");
        Assert.That(cb.Ready, Is.EqualTo(1u << 7));
    }

    [Test]
    public void MaskedEventIsNotLinkedUntilUnmasked()
    {
        using var m = Machine();
        var d = m.NewDomain(GuestMode.Hvm64);
        var v = d.Vcpus[0];
        m.MakeFifo(d);
        Assert.That(m.BindIpi(v, 0, out uint p), Is.Zero);
        m.PokeStruct(d, ArrayGfn * 4096 + p * 4, 1u << EvtchnFifo.Masked);
        Assert.That(m.Send(v, p), Is.Zero);
        uint w = Word(m, d, p);
        Assert.That(Bit(w, EvtchnFifo.Pending) && !Bit(w, EvtchnFifo.Linked), Is.True);
        Assert.That(Control(m, d).Ready, Is.Zero);
        Assert.That(m.Unmask(v, p), Is.Zero);
        w = Word(m, d, p);
        Assert.That(!Bit(w, EvtchnFifo.Masked) && Bit(w, EvtchnFifo.Linked), Is.True);
        var cb = Control(m, d);
        Assert.That(cb.Head[7], Is.EqualTo(p));
    }

    [Test]
    public void EventsBeyondTheArrayWaitForTheirPage()
    {
        using var m = Machine();
        var d = m.NewDomain(GuestMode.Hvm64);
        var v = d.Vcpus[0];
        m.MakeFifo(d);
        uint port = 0;
        for (uint i = 1; i <= EvtchnFifo.WordsPerPage; i++) Assert.That(m.BindIpi(v, 0, out port), Is.Zero);
        Assert.That(port, Is.EqualTo(EvtchnFifo.WordsPerPage), "the first port without an event word");
        Assert.That(m.Send(v, port), Is.Zero);
        Assert.That(d.Events.IsPending(port), Is.False);
        Assert.That(m.ExpandArray(v, ArrayGfn2), Is.Zero);
        Assert.That(m.PeekStruct<uint>(d, ArrayGfn2 * 4096) >> EvtchnFifo.Pending, Is.EqualTo(1u), "raised when its page arrived");
        Assert.That(d.Events.IsPending(port), Is.True);
    }

    [Test]
    public void PendingTwoLevelEventsCarryOverToFifo()
    {
        using var m = Machine();
        var d = m.NewDomain(GuestMode.Hvm64);
        var v = d.Vcpus[0];
        Assert.That(m.BindIpi(v, 0, out uint p), Is.Zero);
        Assert.That(m.Send(v, p), Is.Zero);
        m.MakeFifo(d);
        Assert.That(Bit(Word(m, d, p), EvtchnFifo.Pending), Is.True);
        var cb = Control(m, d);
        Assert.That(cb.Head[EvtchnFifo.PriorityDefault], Is.EqualTo(p));
    }

    [Test]
    public void SetPriorityRefusals()
    {
        using var m = Machine();
        var d = m.NewDomain(GuestMode.Hvm64);
        var v = d.Vcpus[0];
        Assert.That(m.BindIpi(v, 0, out uint p), Is.Zero);
        Assert.That(m.SetPriority(v, p, 3), Is.EqualTo(-Errno.ENOSYS), "2-level has no priorities");
        m.MakeFifo(d);
        Assert.That(m.SetPriority(v, p, EvtchnFifo.PriorityMin + 1), Is.EqualTo(-Errno.EINVAL));
        Assert.That(m.SetPriority(v, 40, 3), Is.EqualTo(-Errno.EACCES), "port not bound");
        Assert.That(m.SetPriority(v, 5000, 3), Is.EqualTo(-Errno.EINVAL), "no such port");
        Assert.That(m.SetPriority(v, p, EvtchnFifo.PriorityMin), Is.Zero);
    }

    [Test]
    public void ALinkedPortIsNotReusedUntilTheGuestUnlinksIt()
    {
        using var m = Machine();
        var d = m.NewDomain(GuestMode.Hvm64);
        var v = d.Vcpus[0];
        m.MakeFifo(d);
        Assert.That(m.BindIpi(v, 0, out uint p), Is.Zero);
        Assert.That(m.Send(v, p), Is.Zero);
        Assert.That(m.Close(v, p), Is.Zero);
        Assert.That(m.BindIpi(v, 0, out uint next), Is.Zero);
        Assert.That(next, Is.Not.EqualTo(p), "still LINKED (busy)");
        m.PokeStruct(d, ArrayGfn * 4096 + p * 4, 0u);
        Assert.That(m.BindIpi(v, 0, out uint reused), Is.Zero);
        Assert.That(reused, Is.EqualTo(p));
    }

    [Test]
    public void ResetReturnsAFifoDomainToTwoLevel()
    {
        using var m = Machine();
        var d = m.NewDomain(GuestMode.Hvm64);
        m.MakeFifo(d);
        var r = new EvtchnReset { Dom = Self };
        Assert.That(m.Op(d.Vcpus[0], EvtchnOpCmd.Reset, ref r), Is.Zero);
        Assert.That(d.Events.Fifo, Is.Null);
        Assert.That(d.Events.Ops, Is.SameAs(TwoLevelPorts.Instance));
        Assert.That(d.Vcpus[0].Events.FifoControlBlock == null, Is.True);
    }
}

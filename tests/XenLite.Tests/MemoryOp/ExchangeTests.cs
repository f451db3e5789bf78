using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common.Memory;
using static XenLite.Tests.MemoryOp.MemGuest;

namespace XenLite.Tests.MemoryOp;

[Category("memory_op")]
public class ExchangeTests : OwnershipCheckedTest
{
    static XenMemoryExchange Exch(Harness.TestMachine m, Hv.Common.Domain d, ulong nIn, uint inOrder, ulong nOut, uint outOrder, ulong done = 0) => new()
    {
        In = Res(d, nIn, inOrder, listGpa: ListGpa),
        Out = Res(d, nOut, outOrder, listGpa: List2Gpa),
        NrExchanged = done,
    };

    [Test]
    public void TwoPagesBecomeOneContiguousExtent()
    {
        var m = Machine();
        var d = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        Mfn old40 = Frame(d, 40);
        PutList(m, d, ListGpa, 40, 41);
        PutList(m, d, List2Gpa, 0x800);
        m.PokeStruct(d, ArgGpa, Exch(m, d, 2, 0, 1, 1));
        Assert.That(Op(m, d, XenMem.Exchange), Is.EqualTo(0));
        Assert.That(m.PeekStruct<XenMemoryExchange>(d, ArgGpa).NrExchanged, Is.EqualTo(2UL));
        Assert.That(Frame(d, 40).IsValid || Frame(d, 41).IsValid, Is.False);
        Assert.That(Frame(d, 0x801).Value, Is.EqualTo(Frame(d, 0x800).Value + 1));
        Assert.That(m.Hv.Memory.OwnerOf(old40), Is.EqualTo(MachineMemory.OwnerFree));
        Assert.That(d.TotPages, Is.EqualTo(64UL));
    }

    [Test]
    public void AFailedChunkReportsHowManyExtentsWereExchanged()
    {
        var m = Machine();
        var d = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        PutList(m, d, ListGpa, 40, 9999, 42);
        PutList(m, d, List2Gpa, 0x800, 0x801, 0x802);
        m.PokeStruct(d, ArgGpa, Exch(m, d, 3, 0, 3, 0));
        Assert.That(Op(m, d, XenMem.Exchange), Is.EqualTo(-Errno.EINVAL));
        Assert.That(m.PeekStruct<XenMemoryExchange>(d, ArgGpa).NrExchanged, Is.EqualTo(1UL));
        Assert.That(Frame(d, 0x800).IsValid, Is.True);
        Assert.That(Frame(d, 42).IsValid && !Frame(d, 0x802).IsValid, Is.True, "later extents untouched");
    }

    [Test]
    public void MismatchedSizesOrDomainsAreEinvalAndOrderAboveTheLimitEperm()
    {
        var m = Machine();
        var d = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        m.PokeStruct(d, ArgGpa, Exch(m, d, 2, 0, 1, 0));
        Assert.That(Op(m, d, XenMem.Exchange), Is.EqualTo(-Errno.EINVAL));
        var x = Exch(m, d, 1, 0, 1, 0);
        x.Out.DomId = 0;
        m.PokeStruct(d, ArgGpa, x);
        Assert.That(Op(m, d, XenMem.Exchange), Is.EqualTo(-Errno.EINVAL));
        m.PokeStruct(d, ArgGpa, Exch(m, d, 1024, 0, 1, 10));
        Assert.That(Op(m, d, XenMem.Exchange), Is.EqualTo(-Errno.EPERM));
        m.PokeStruct(d, ArgGpa, Exch(m, d, 1, 0, 1, 0, done: 2));
        Assert.That(Op(m, d, XenMem.Exchange), Is.EqualTo(-Errno.EINVAL), "nr_exchanged beyond the list");
        m.PokeStruct(d, ArgGpa, Exch(m, d, 1, 0, 1, 0, done: 1));
        Assert.That(Op(m, d, XenMem.Exchange), Is.EqualTo(0), "already done");
        Assert.That(Op(m, d, XenMem.Exchange | (1UL << 6)), Is.EqualTo(-Errno.EINVAL), "exchange takes no start extent");
    }

    [Test]
    public void ExchangingAnotherDomainsMemoryNeedsPrivilege()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64, id: 0);
        var d1 = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        PutList(m, d1, ListGpa, 40);
        PutList(m, d1, List2Gpa, 0x800);
        var x = Exch(m, d1, 1, 0, 1, 0);
        x.In.DomId = x.Out.DomId = 0;
        m.PokeStruct(d1, ArgGpa, x);
        Assert.That(Op(m, d1, XenMem.Exchange), Is.EqualTo(-Errno.EPERM));
        x.In.DomId = x.Out.DomId = 5;
        m.PokeStruct(d1, ArgGpa, x);
        Assert.That(Op(m, d1, XenMem.Exchange), Is.EqualTo(-Errno.ESRCH));
        Assert.That(d0.TotPages, Is.EqualTo(64UL));
    }

    [Test]
    public void APrivilegedChunkAboveTheStackListsUsesScratchFramesAndGivesThemBack()
    {
        var m = Machine();
        var d = m.NewDomain(GuestMode.Hvm64, id: 0, pages: 2048);
        for (ulong g = 0; g < 1024; g++) m.PokeStruct(d, ListGpa + g * 8, 1024 + g);
        PutList(m, d, 0x5000, 1024);
        ulong free = m.Hv.Memory.FreeFrames;
        m.PokeStruct(d, ArgGpa, Exch(m, d, 1024, 0, 1, 10) with { Out = Res(d, 1, 10, listGpa: 0x5000) });
        Assert.That(Op(m, d, XenMem.Exchange), Is.EqualTo(0));
        Assert.That(m.PeekStruct<XenMemoryExchange>(d, ArgGpa).NrExchanged, Is.EqualTo(1024UL));
        Assert.That(Frame(d, 2047).Value, Is.EqualTo(Frame(d, 1024).Value + 1023), "one contiguous order-10 extent");
        Assert.That(m.Hv.Memory.FreeFrames, Is.EqualTo(free), "the scratch frames went back");
        Assert.That(d.TotPages, Is.EqualTo(2048UL));
    }

    [Test]
    public void CompatCallersUseTheShortLayout()
    {
        var m = Machine();
        var d = m.NewDomain(GuestMode.Hvm32, id: 1, privileged: false);
        PutList32(m, d, ListGpa, 40);
        PutList32(m, d, List2Gpa, 0x900);
        m.PokeStruct(d, ArgGpa, new XenMemoryExchangeCompat
        {
            In = new XenMemoryReservationCompat { ExtentStart = (uint)ListGpa, NrExtents = 1, DomId = Self },
            Out = new XenMemoryReservationCompat { ExtentStart = (uint)List2Gpa, NrExtents = 1, DomId = Self },
        });
        Assert.That(Op(m, d, XenMem.Exchange), Is.EqualTo(0));
        Assert.That(m.PeekStruct<XenMemoryExchangeCompat>(d, ArgGpa).NrExchanged, Is.EqualTo(1u));
        Assert.That(Frame(d, 0x900).IsValid, Is.True);
    }

    [Test]
    public void PvGuestsGetTheNewMachineFramesBack()
    {
        var m = Machine();
        var d = m.NewDomain(GuestMode.Pv64, id: 1, privileged: false);
        Mfn old = Frame(d, 50);
        PutList(m, d, ListGpa, old.Value);
        PutList(m, d, List2Gpa, 50);
        m.PokeStruct(d, ArgGpa, Exch(m, d, 1, 0, 1, 0));
        Assert.That(Op(m, d, XenMem.Exchange), Is.EqualTo(0));
        var got = new Mfn(Entry(m, d, List2Gpa, 0));
        Assert.That(got.Value, Is.Not.EqualTo(old.Value));
        Assert.That(m.Hv.Memory.OwnerOf(got), Is.EqualTo(d.Id));
        Assert.That(Frame(d, 50).Value, Is.EqualTo(got.Value));
    }
}

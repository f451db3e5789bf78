using System.Text;
using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common.Memory;
using XenLite.Tests.MemoryOp;
using static XenLite.Tests.Grants.GntGuest;

namespace XenLite.Tests.Grants;

[Category("grant_table_op")]
public unsafe class CopyTransferTests : OwnershipCheckedTest
{
    static GnttabCopy FromGrant(ushort dom, uint gref, ushort srcOff, ulong dstGfn, ushort dstOff, ushort len) => new()
    {
        SourceU = gref, SourceDomId = dom, SourceOffset = srcOff,
        DestU = dstGfn, DestDomId = Self, DestOffset = dstOff,
        Len = len, Flags = GntCopy.SourceGref, Status = 99,
    };

    static short CopyStatus(Harness.TestMachine m, Hv.Common.Domain d, in GnttabCopy c)
    {
        m.PokeStruct(d, OpGpa, c);
        Assert.That(Op(m, d, GnttabOp.Copy), Is.EqualTo(0));
        return m.PeekStruct<GnttabCopy>(d, OpGpa).Status;
    }

    [Test]
    public void CopyFromAGrantIntoOwnMemoryAndBack()
    {
        var m = Machine();
        var a = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        var b = m.NewDomain(GuestMode.Hvm64, id: 2, privileged: false);
        GrantV1(a, 8, Gtf.PermitAccess, b.Id, 20);
        m.Poke(a, 20 * 4096 + 10, Encoding.ASCII.GetBytes("request"));
        Assert.That(CopyStatus(m, b, FromGrant(a.Id, 8, 10, 30, 0, 7)), Is.EqualTo(Gntst.Okay));
        Assert.That(Encoding.ASCII.GetString(m.Peek(b, 30 * 4096, 7)), Is.EqualTo("request"));
        Assert.That(a.Grants.Active(8).Pin, Is.Zero, "the pin lasts only for the copy");
        Assert.That(Flags(a, 8), Is.EqualTo(Gtf.PermitAccess));

        m.Poke(b, 31 * 4096, Encoding.ASCII.GetBytes("reply"));
        var back = new GnttabCopy { SourceU = 31, SourceDomId = Self, DestU = 8, DestDomId = a.Id, DestOffset = 100, Len = 5, Flags = GntCopy.DestGref };
        Assert.That(CopyStatus(m, b, back), Is.EqualTo(Gntst.Okay));
        Assert.That(Encoding.ASCII.GetString(m.Peek(a, 20 * 4096 + 100, 5)), Is.EqualTo("reply"));
    }

    [Test]
    public void CopyRefusals()
    {
        var m = Machine();
        var a = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        var b = m.NewDomain(GuestMode.Hvm64, id: 2, privileged: false);
        GrantV1(a, 8, Gtf.PermitAccess | Gtf.Readonly, b.Id, 20);
        Assert.That(CopyStatus(m, b, FromGrant(a.Id, 8, 4000, 30, 0, 200)), Is.EqualTo(Gntst.BadCopyArg), "crosses the page end");
        var frameOfOther = new GnttabCopy { SourceU = 20, SourceDomId = a.Id, DestU = 30, DestDomId = Self, Len = 8 };
        Assert.That(CopyStatus(m, b, frameOfOther), Is.EqualTo(Gntst.PermissionDenied), "only DOMID_SELF may name a frame");
        Assert.That(CopyStatus(m, b, FromGrant(9, 8, 0, 30, 0, 8)), Is.EqualTo(Gntst.BadDomain));
        Assert.That(CopyStatus(m, b, FromGrant(a.Id, 600, 0, 30, 0, 8)), Is.EqualTo(Gntst.BadGntref));
        Assert.That(CopyStatus(m, b, FromGrant(a.Id, 8, 0, 5000, 0, 8)), Is.EqualTo(Gntst.BadPage), "own destination frame is a hole");
        var intoReadOnly = new GnttabCopy { SourceU = 31, SourceDomId = Self, DestU = 8, DestDomId = a.Id, Len = 8, Flags = GntCopy.DestGref };
        Assert.That(CopyStatus(m, b, intoReadOnly), Is.EqualTo(Gntst.GeneralError), "a read-only grant is no destination");
        Assert.That(CopyStatus(m, b, FromGrant(9, 8, 0, 30, 0, 0)), Is.EqualTo(Gntst.Okay), "an empty copy checks nothing");
        Assert.That(a.Grants.Active(8).Pin, Is.Zero);
        Assert.That(Flags(a, 8), Is.EqualTo(Gtf.PermitAccess | Gtf.Readonly));
    }

    [Test]
    public void ASubPageGrantLimitsCopiesAndCannotBeMapped()
    {
        var m = Machine();
        var a = m.NewDomain(GuestMode.Arm, id: 1, privileged: false);
        var b = m.NewDomain(GuestMode.Arm, id: 2, privileged: false);
        m.PokeStruct(a, OpGpa, new GnttabSetVersion { Version = 2 });
        Assert.That(Op(m, a, GnttabOp.SetVersion), Is.EqualTo(0));
        GrantV2(a, 8, Gtf.PermitAccess | Gtf.SubPage, b.Id, 20, pageOff: 100, length: 50);
        Assert.That(CopyStatus(m, b, FromGrant(a.Id, 8, 100, 30, 0, 50)), Is.EqualTo(Gntst.Okay));
        Assert.That(CopyStatus(m, b, FromGrant(a.Id, 8, 90, 30, 0, 20)), Is.EqualTo(Gntst.GeneralError), "starts before the granted bytes");
        Assert.That(Map(m, b, a, 8, 0x500).Status, Is.EqualTo(Gntst.GeneralError));
        Assert.That(Status(a, 8), Is.Zero);
    }

    [Test]
    public void TransitiveGrantsAreRefused()
    {
        var m = Machine();
        var a = m.NewDomain(GuestMode.Arm, id: 1, privileged: false);
        var b = m.NewDomain(GuestMode.Arm, id: 2, privileged: false);
        m.PokeStruct(a, OpGpa, new GnttabSetVersion { Version = 2 });
        Assert.That(Op(m, a, GnttabOp.SetVersion), Is.EqualTo(0));
        GrantV2(a, 8, Gtf.Transitive, b.Id, 9, pageOff: 0);
        Assert.That(CopyStatus(m, b, FromGrant(a.Id, 8, 0, 30, 0, 8)), Is.EqualTo(Gntst.GeneralError));
        Assert.That(Status(a, 8), Is.Zero);
    }

    [Test]
    public void CompatCopyUsesTheShortLayout()
    {
        var m = Machine();
        var a = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        var b = m.NewDomain(GuestMode.Hvm32, id: 2, privileged: false);
        GrantV1(a, 8, Gtf.PermitAccess, b.Id, 20);
        m.Poke(a, 20 * 4096, new byte[] { 7, 7, 7 });
        m.PokeStruct(b, OpGpa, new GnttabCopyCompat { SourceU = 8, SourceDomId = a.Id, DestU = 30, DestDomId = Self, Len = 3, Flags = GntCopy.SourceGref, Status = 99 });
        Assert.That(Op(m, b, GnttabOp.Copy), Is.EqualTo(0));
        Assert.That(m.PeekStruct<GnttabCopyCompat>(b, OpGpa).Status, Is.EqualTo(Gntst.Okay));
        Assert.That(m.Peek(b, 30 * 4096, 3), Is.EqualTo(new byte[] { 7, 7, 7 }));
    }

    [Test]
    public void APvGuestTransfersAPageToAnotherThatAcceptsIt()
    {
        var m = Machine();
        var a = m.NewDomain(GuestMode.Pv64, id: 1, privileged: false);
        var b = m.NewDomain(GuestMode.Pv64, id: 2, privileged: false);
        b.MaxPages = 100;
        ulong page = MfnOf(a, 40);
        m.Poke(a, 40 * 4096, new byte[] { 0xAB });
        GrantV1(b, 8, Gtf.AcceptTransfer, a.Id, 0);
        m.PokeStruct(a, OpGpa, new GnttabTransfer { Mfn = page, DomId = b.Id, Ref = 8, Status = 99 });
        Assert.That(Op(m, a, GnttabOp.Transfer), Is.EqualTo(0));
        Assert.That(m.PeekStruct<GnttabTransfer>(a, OpGpa).Status, Is.EqualTo(Gntst.Okay));
        Assert.That(m.Hv.Memory.OwnerOf(new Mfn(page)), Is.EqualTo(b.Id));
        Assert.That((a.TotPages, b.TotPages), Is.EqualTo((63UL, 65UL)));
        unsafe { Assert.That(b.Grants.V1(8)->Frame, Is.EqualTo((uint)page), "PV receivers learn the MFN"); }
        Assert.That(Flags(b, 8), Is.EqualTo(Gtf.AcceptTransfer | Gtf.TransferCommitted | Gtf.TransferCompleted));
        Assert.That(m.Hv.Memory.Map(new Mfn(page))[0], Is.EqualTo(0xAB));
    }

    [Test]
    public void AFailedTransferLosesThePageAsInXen()
    {
        var m = Machine();
        var a = m.NewDomain(GuestMode.Pv32, id: 1, privileged: false);
        var b = m.NewDomain(GuestMode.Pv64, id: 2, privileged: false);
        ulong page = MfnOf(a, 40);
        GrantV1(b, 8, Gtf.PermitAccess, a.Id, 0);
        m.PokeStruct(a, OpGpa, new GnttabTransferCompat { Mfn = (uint)page, DomId = b.Id, Ref = 8, Status = 99 });
        Assert.That(Op(m, a, GnttabOp.Transfer), Is.EqualTo(0));
        Assert.That(m.PeekStruct<GnttabTransferCompat>(a, OpGpa).Status, Is.EqualTo(Gntst.GeneralError), "not an accept_transfer entry");
        Assert.That(m.Hv.Memory.OwnerOf(new Mfn(page)), Is.EqualTo(MachineMemory.OwnerFree));
        Assert.That(a.TotPages, Is.EqualTo(63UL));
        m.PokeStruct(a, OpGpa, new GnttabTransferCompat { Mfn = 0x10, DomId = b.Id, Ref = 8, Status = 99 });
        Op(m, a, GnttabOp.Transfer);
        Assert.That(m.PeekStruct<GnttabTransferCompat>(a, OpGpa).Status, Is.EqualTo(Gntst.BadPage), "not RAM at all");
        m.PokeStruct(a, OpGpa, new GnttabTransferCompat { Mfn = (uint)MfnOf(b, 3), DomId = b.Id, Ref = 8, Status = 99 });
        Op(m, a, GnttabOp.Transfer);
        Assert.That(m.PeekStruct<GnttabTransferCompat>(a, OpGpa).Status, Is.EqualTo(Gntst.BadPage), "not the caller's page");
    }

    [Test]
    public void ArmHasNoTransferButHasCacheFlush()
    {
        var m = Machine();
        var a = m.NewDomain(GuestMode.Arm, id: 1, privileged: false);
        var b = m.NewDomain(GuestMode.Arm, id: 2, privileged: false);
        Assert.That(Op(m, a, GnttabOp.Transfer), Is.EqualTo(-Errno.EOPNOTSUPP));

        m.PokeStruct(a, OpGpa, new GnttabCacheFlush { A = MfnOf(a, 20) << 12, Offset = 0, Length = 64, Op = GnttabCache.Clean });
        Assert.That(Op(m, a, GnttabOp.CacheFlush), Is.EqualTo(0), "its own page");
        m.PokeStruct(b, OpGpa, new GnttabCacheFlush { A = MfnOf(a, 20) << 12, Offset = 0, Length = 64, Op = GnttabCache.Inval });
        Assert.That(Op(m, b, GnttabOp.CacheFlush), Is.EqualTo(-Errno.EINVAL), "someone else's page it has not mapped");
        GrantV1(a, 8, Gtf.PermitAccess, b.Id, 20);
        var op = Map(m, b, a, 8, 0x500);
        m.PokeStruct(b, OpGpa, new GnttabCacheFlush { A = MfnOf(a, 20) << 12, Offset = 0, Length = 64, Op = GnttabCache.Inval });
        Assert.That(Op(m, b, GnttabOp.CacheFlush), Is.EqualTo(0), "a page it mapped through a grant");
        m.PokeStruct(b, OpGpa, new GnttabCacheFlush { A = MfnOf(a, 20) << 12, Offset = 4000, Length = 200, Op = GnttabCache.Inval });
        Assert.That(Op(m, b, GnttabOp.CacheFlush), Is.EqualTo(-Errno.EINVAL), "beyond the page");
        m.PokeStruct(b, OpGpa, new GnttabCacheFlush { A = MfnOf(a, 20) << 12, Length = 8, Op = 4 });
        Assert.That(Op(m, b, GnttabOp.CacheFlush), Is.EqualTo(-Errno.EINVAL), "unknown op bits");
        m.PokeStruct(b, OpGpa, new GnttabCacheFlush { A = 0x10_0000_0000, Length = 8, Op = GnttabCache.Clean });
        Assert.That(Op(m, b, GnttabOp.CacheFlush), Is.EqualTo(-Errno.EINVAL), "not RAM");
        m.PokeStruct(b, OpGpa, new GnttabCacheFlush { A = MfnOf(a, 20) << 12, Length = 0, Op = GnttabCache.Clean });
        Assert.That(Op(m, b, GnttabOp.CacheFlush | (1u << 12)), Is.EqualTo(-Errno.EILSEQ), "an empty flush cannot be mid-scan");
        Assert.That(Unmap(m, b, op.Handle, 0x500), Is.EqualTo(Gntst.Okay));
    }
}

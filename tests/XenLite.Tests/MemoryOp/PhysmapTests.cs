using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Dispatch;
using XenLite.Hv.Common.Memory;
using static XenLite.Tests.MemoryOp.MemGuest;

namespace XenLite.Tests.MemoryOp;

[Category("memory_op")]
public class PhysmapTests : OwnershipCheckedTest
{
    static XenAddToPhysmap Atp(uint space, ulong idx, ulong gpfn, ushort size = 0, ushort dom = Self) =>
        new() { DomId = dom, Size = size, Space = space, Idx = idx, Gpfn = gpfn };

    [Test]
    public void GmfnMovesAFrameToANewPlace()
    {
        var m = Machine();
        var d = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        Mfn f = Frame(d, 5);
        m.PokeStruct(d, ArgGpa, Atp(XenMapSpace.Gmfn, 5, 0x300));
        Assert.That(Op(m, d, XenMem.AddToPhysmap), Is.EqualTo(0));
        Assert.That(Frame(d, 0x300).Value, Is.EqualTo(f.Value));
        Assert.That(Frame(d, 5).IsValid, Is.False);
        Assert.That(m.Hv.Memory.GfnOf(f), Is.EqualTo(0x300UL));
    }

    [Test]
    public void GmfnOntoRamReleasesThatRam()
    {
        var m = Machine();
        var d = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        Mfn victim = Frame(d, 6);
        m.PokeStruct(d, ArgGpa, Atp(XenMapSpace.Gmfn, 5, 6));
        Assert.That(Op(m, d, XenMem.AddToPhysmap), Is.EqualTo(0));
        Assert.That(m.Hv.Memory.OwnerOf(victim), Is.EqualTo(MachineMemory.OwnerFree));
        Assert.That(d.TotPages, Is.EqualTo(63UL));
    }

    [Test]
    public void GmfnErrorsFollowXen()
    {
        var m = Machine();
        var d = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        m.PokeStruct(d, ArgGpa, Atp(XenMapSpace.Gmfn, 0x5000, 0x300));
        Assert.That(Op(m, d, XenMem.AddToPhysmap), Is.EqualTo(-Errno.EACCES), "a hole is not RAM");
        m.PokeStruct(d, ArgGpa, Atp(XenMapSpace.Gmfn, 5, ulong.MaxValue));
        Assert.That(Op(m, d, XenMem.AddToPhysmap), Is.EqualTo(-Errno.EINVAL), "INVALID_GFN");
        m.PokeStruct(d, ArgGpa, Atp(XenMapSpace.GmfnForeign, 5, 0x300));
        Assert.That(Op(m, d, XenMem.AddToPhysmap), Is.EqualTo(-Errno.ENOSYS), "foreign only through the batch");
        m.PokeStruct(d, ArgGpa, Atp(XenMapSpace.DevMmio, 5, 0x300));
        Assert.That(Op(m, d, XenMem.AddToPhysmap), Is.EqualTo(-Errno.EACCES), "dev_mmio is the hardware domain's");
        m.PokeStruct(d, ArgGpa, Atp(XenMapSpace.Gmfn, 5, 0x300, dom: 0));
        Assert.That(Op(m, d, XenMem.AddToPhysmap), Is.EqualTo(-Errno.ESRCH));
        Assert.That(Op(m, d, XenMem.AddToPhysmap | (0x10000UL << 6)), Is.EqualTo(-Errno.EDOM));
    }

    [Test]
    public void PvGuestsManageTheirOwnPhysmap()
    {
        var m = Machine();
        var d = m.NewDomain(GuestMode.Pv64, id: 1, privileged: false);
        m.PokeStruct(d, ArgGpa, Atp(XenMapSpace.Gmfn, 5, 0x300));
        Assert.That(Op(m, d, XenMem.AddToPhysmap), Is.EqualTo(-Errno.EACCES));
        m.PokeStruct(d, ArgGpa, new XenRemoveFromPhysmap { DomId = Self, Gpfn = 5 });
        Assert.That(Op(m, d, XenMem.RemoveFromPhysmap), Is.EqualTo(-Errno.EACCES));
    }

    [Test]
    public void GrantTableFramesAppearWhereAskedAndTheTableGrows()
    {
        var m = Machine();
        var d = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        m.PokeStruct(d, ArgGpa, Atp(XenMapSpace.GrantTable, 2, 0x1000));
        Assert.That(Op(m, d, XenMem.AddToPhysmap), Is.EqualTo(0));
        Assert.That(d.Grants.NrFrames, Is.EqualTo(3u));
        Assert.That(Frame(d, 0x1000).Value, Is.EqualTo(d.Grants.SharedFrame(2).Value));
        m.PokeStruct(d, ArgGpa, Atp(XenMapSpace.GrantTable, 64, 0x1001));
        Assert.That(Op(m, d, XenMem.AddToPhysmap), Is.EqualTo(-Errno.EINVAL), "beyond max_grant_frames");
        Assert.That(d.TotPages, Is.EqualTo(64UL), "grant frames are not the domain's RAM");
    }

    [Test]
    public void StatusFramesNeedVersion2()
    {
        var m = Machine();
        var d = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        m.PokeStruct(d, ArgGpa, Atp(XenMapSpace.GrantTable, XenMapSpace.GrantTableStatusIdx, 0x1000));
        Assert.That(Op(m, d, XenMem.AddToPhysmap), Is.EqualTo(-Errno.EINVAL), "v1: idx 0x80000000 is a shared frame far beyond the limit");
        d.Grants.Version = 2;
        d.Grants.PopulateStatus(d.Grants.NrFrames);
        Assert.That(Op(m, d, XenMem.AddToPhysmap), Is.EqualTo(0));
        Assert.That(Frame(d, 0x1000).Value, Is.EqualTo(d.Grants.StatusFrame(0).Value));
    }

    [Test]
    public void SharedInfoIsPlacedThroughTheEventChannelCode()
    {
        var m = Machine();
        var d = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        Mfn ram = Frame(d, 9);
        m.PokeStruct(d, ArgGpa, Atp(XenMapSpace.SharedInfo, 0, 9));
        Assert.That(Op(m, d, XenMem.AddToPhysmap), Is.EqualTo(0));
        Assert.That(Frame(d, 9).Value, Is.EqualTo(d.SharedInfo.Frame.Value));
        Assert.That(m.Hv.Memory.OwnerOf(ram), Is.EqualTo(MachineMemory.OwnerFree), "the RAM it replaced went back");
        Assert.That(d.TotPages, Is.EqualTo(63UL));
        m.PokeStruct(d, ArgGpa, Atp(XenMapSpace.SharedInfo, 1, 10));
        Assert.That(Op(m, d, XenMem.AddToPhysmap), Is.EqualTo(-Errno.EINVAL));
    }

    [Test]
    public void GmfnRangeMovesEveryFrameAndContinues()
    {
        var m = Machine();
        var d = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        ulong[] before = { Frame(d, 10).Value, Frame(d, 11).Value, Frame(d, 12).Value };
        m.PokeStruct(d, ArgGpa, Atp(XenMapSpace.GmfnRange, 10, 0x500, size: 3));
        m.Platform.PreemptAfterChecks = 1;
        Op(m, d, XenMem.AddToPhysmap);
        Assert.That(m.LastCallRestarted, Is.True);
        Assert.That(d.Vcpus[0].Regs[HypercallRegisters.ArgRegister(d.Mode, 0)] >> XenMem.ExtentShift, Is.EqualTo(2UL));
        m.Platform.PreemptAfterChecks = int.MaxValue;
        Assert.That(m.Resume(d.Vcpus[0]), Is.EqualTo(0));
        for (int i = 0; i < 3; i++) Assert.That(Frame(d, 0x500 + (ulong)i).Value, Is.EqualTo(before[i]));
    }

    [Test]
    public void OverlappingRangeUpwardsIsProcessedBackwards()
    {
        var m = Machine();
        var d = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        d.MaxPages = 64;
        ulong[] before = { Frame(d, 10).Value, Frame(d, 11).Value, Frame(d, 12).Value };
        Mfn lost = Frame(d, 13);
        m.PokeStruct(d, ArgGpa, Atp(XenMapSpace.GmfnRange, 10, 11, size: 3));
        Assert.That(Op(m, d, XenMem.AddToPhysmap), Is.EqualTo(0));
        for (int i = 0; i < 3; i++) Assert.That(Frame(d, 11 + (ulong)i).Value, Is.EqualTo(before[i]));
        Assert.That(Frame(d, 10).IsValid, Is.False);
        Assert.That(m.Hv.Memory.OwnerOf(lost), Is.EqualTo(MachineMemory.OwnerFree));
    }

    [Test]
    public void GmfnRangeChecksItsBounds()
    {
        var m = Machine();
        var d = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        m.PokeStruct(d, ArgGpa, Atp(XenMapSpace.GmfnRange, ulong.MaxValue - 1, 0x500, size: 3));
        Assert.That(Op(m, d, XenMem.AddToPhysmap), Is.EqualTo(-Errno.EOVERFLOW));
        m.PokeStruct(d, ArgGpa, Atp(XenMapSpace.GmfnRange, 10, 0x500, size: 3));
        Assert.That(Op(m, d, XenMem.AddToPhysmap | (4UL << 6)), Is.EqualTo(-Errno.EILSEQ));
    }

    [Test]
    public void BatchReportsAnErrnoPerEntry()
    {
        var m = Machine();
        var d = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        PutList(m, d, ListGpa, 20, 0x7000, 21);
        PutList(m, d, List2Gpa, 0x600, 0x601, 0x602);
        m.PokeStruct(d, ArgGpa, new XenAddToPhysmapBatch { DomId = Self, Space = (ushort)XenMapSpace.Gmfn, Size = 3, Idxs = ListGpa, Gpfns = List2Gpa, Errs = List3Gpa });
        Assert.That(Op(m, d, XenMem.AddToPhysmapBatch), Is.EqualTo(0));
        Assert.That(m.PeekStruct<int>(d, List3Gpa), Is.EqualTo(0));
        Assert.That(m.PeekStruct<int>(d, List3Gpa + 4), Is.EqualTo(-Errno.EACCES));
        Assert.That(m.PeekStruct<int>(d, List3Gpa + 8), Is.EqualTo(0));
        Assert.That(Frame(d, 0x602).IsValid, Is.True);
    }

    [Test]
    public void BatchRefusesRangesAndBadProgress()
    {
        var m = Machine();
        var d = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        var b = new XenAddToPhysmapBatch { DomId = Self, Space = (ushort)XenMapSpace.GmfnRange, Size = 1, Idxs = ListGpa, Gpfns = List2Gpa, Errs = List3Gpa };
        m.PokeStruct(d, ArgGpa, b);
        Assert.That(Op(m, d, XenMem.AddToPhysmapBatch), Is.EqualTo(-Errno.EOPNOTSUPP));
        b.Space = (ushort)XenMapSpace.Gmfn;
        m.PokeStruct(d, ArgGpa, b);
        Assert.That(Op(m, d, XenMem.AddToPhysmapBatch | (1UL << 6)), Is.EqualTo(-Errno.EILSEQ), "start == size, nonzero");
        Assert.That(Op(m, d, XenMem.AddToPhysmapBatch | (2UL << 6)), Is.EqualTo(-Errno.EILSEQ), "start beyond size");
        b.Size = 0;
        m.PokeStruct(d, ArgGpa, b);
        Assert.That(Op(m, d, XenMem.AddToPhysmapBatch), Is.EqualTo(0));
    }

    [Test]
    public void APrivilegedDomainMapsAnotherDomainsRamThroughTheBatch()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64, id: 0);
        var d1 = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        m.Poke(d1, 30 * 4096, new byte[] { 0x5A, 0xA5 });
        PutList(m, d0, ListGpa, 30);
        PutList(m, d0, List2Gpa, 0x700);
        m.PokeStruct(d0, ArgGpa, new XenAddToPhysmapBatch { DomId = Self, Space = (ushort)XenMapSpace.GmfnForeign, Size = 1, ForeignDomId = 1, Idxs = ListGpa, Gpfns = List2Gpa, Errs = List3Gpa });
        Assert.That(Op(m, d0, XenMem.AddToPhysmapBatch), Is.EqualTo(0));
        Assert.That(m.PeekStruct<int>(d0, List3Gpa), Is.EqualTo(0));
        Assert.That(d0.P2m.TypeOf(new Gfn(0x700)), Is.EqualTo(P2mType.Foreign));
        Assert.That(m.Peek(d0, 0x700 * 4096, 2), Is.EqualTo(new byte[] { 0x5A, 0xA5 }));
        Assert.That(m.Hv.Memory.RefCount(Frame(d1, 30)), Is.EqualTo(2u));

        m.PokeStruct(d0, ArgGpa, new XenRemoveFromPhysmap { DomId = Self, Gpfn = 0x700 });
        Assert.That(Op(m, d0, XenMem.RemoveFromPhysmap), Is.EqualTo(0));
        Assert.That(m.Hv.Memory.RefCount(Frame(d1, 30)), Is.EqualTo(1u));
    }

    [Test]
    public void ForeignMappingIsRefusedToOrdinaryGuestsAndOfOneself()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64, id: 0);
        var d1 = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        PutList(m, d1, ListGpa, 30);
        PutList(m, d1, List2Gpa, 0x700);
        m.PokeStruct(d1, ArgGpa, new XenAddToPhysmapBatch { DomId = Self, Space = (ushort)XenMapSpace.GmfnForeign, Size = 1, ForeignDomId = 0, Idxs = ListGpa, Gpfns = List2Gpa, Errs = List3Gpa });
        Assert.That(Op(m, d1, XenMem.AddToPhysmapBatch), Is.EqualTo(0));
        Assert.That(m.PeekStruct<int>(d1, List3Gpa), Is.EqualTo(-Errno.EPERM));
        PutList(m, d0, ListGpa, 30);
        PutList(m, d0, List2Gpa, 0x700);
        m.PokeStruct(d0, ArgGpa, new XenAddToPhysmapBatch { DomId = Self, Space = (ushort)XenMapSpace.GmfnForeign, Size = 1, ForeignDomId = 0, Idxs = ListGpa, Gpfns = List2Gpa, Errs = List3Gpa });
        Assert.That(Op(m, d0, XenMem.AddToPhysmapBatch), Is.EqualTo(0));
        Assert.That(m.PeekStruct<int>(d0, List3Gpa), Is.EqualTo(-Errno.EPERM), "rcu_lock_remote_domain_by_id refuses oneself");
        Assert.That(d0.P2m.TypeOf(new Gfn(0x700)), Is.EqualTo(P2mType.Invalid));
    }

    [Test]
    public void RemoveFromPhysmapUnhooksRamButKeepsItCounted()
    {
        var m = Machine();
        var d = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        Mfn f = Frame(d, 7);
        m.PokeStruct(d, ArgGpa, new XenRemoveFromPhysmap { DomId = Self, Gpfn = 7 });
        Assert.That(Op(m, d, XenMem.RemoveFromPhysmap), Is.EqualTo(0));
        Assert.That(Frame(d, 7).IsValid, Is.False);
        Assert.That(m.Hv.Memory.OwnerOf(f), Is.EqualTo(d.Id));
        Assert.That(d.TotPages, Is.EqualTo(64UL));
        Assert.That(Op(m, d, XenMem.RemoveFromPhysmap), Is.EqualTo(-Errno.ENOENT));
        Assert.That(Op(m, d, XenMem.RemoveFromPhysmap | (1UL << 6)), Is.EqualTo(-Errno.EINVAL));
    }

    [Test]
    public void CompatAddToPhysmapUsesTheShortLayout()
    {
        var m = Machine();
        var d = m.NewDomain(GuestMode.Hvm32, id: 1, privileged: false);
        Mfn f = Frame(d, 5);
        m.PokeStruct(d, ArgGpa, new XenAddToPhysmapCompat { DomId = Self, Space = XenMapSpace.Gmfn, Idx = 5, Gpfn = 0x300 });
        Assert.That(Op(m, d, XenMem.AddToPhysmap), Is.EqualTo(0));
        Assert.That(Frame(d, 0x300).Value, Is.EqualTo(f.Value));
        m.PokeStruct(d, ArgGpa, new XenAddToPhysmapCompat { DomId = Self, Space = XenMapSpace.Gmfn, Idx = 6, Gpfn = uint.MaxValue });
        Assert.That(Op(m, d, XenMem.AddToPhysmap), Is.EqualTo(-Errno.EINVAL), "a 32-bit INVALID_GFN");
    }
}

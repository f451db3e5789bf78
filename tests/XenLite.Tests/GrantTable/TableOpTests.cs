using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common.Memory;
using XenLite.Hv.Dispatch;
using XenLite.Tests.MemoryOp;
using static XenLite.Tests.Grants.GntGuest;

namespace XenLite.Tests.Grants;

[Category("grant_table_op")]
public class TableOpTests : OwnershipCheckedTest
{
    [Test]
    public void SetupTableGrowsTheTableAndListsItsFrames()
    {
        var m = Machine();
        var d = m.NewDomain(GuestMode.Pv64, id: 1, privileged: false);
        m.PokeStruct(d, OpGpa, new GnttabSetupTable { Dom = Self, NrFrames = 3, FrameList = MemGuest.Addr(d, ListGpa) });
        Assert.That(Op(m, d, GnttabOp.SetupTable), Is.EqualTo(0));
        Assert.That(m.PeekStruct<GnttabSetupTable>(d, OpGpa).Status, Is.EqualTo(Gntst.Okay));
        Assert.That(d.Grants.NrFrames, Is.EqualTo(3u));
        for (int i = 0; i < 3; i++)
            Assert.That(MemGuest.Entry(m, d, ListGpa, i), Is.EqualTo(d.Grants.SharedFrame((uint)i).Value), "PV guests get MFNs");
        Assert.That(d.TotPages, Is.EqualTo(64UL));
    }

    [Test]
    public void SetupTableTellsTranslatedGuestsWhereTheFramesAreMapped()
    {
        var m = Machine();
        var d = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        m.PokeStruct(d, MemGuest.ArgGpa, new XenAddToPhysmap { DomId = Self, Space = XenMapSpace.GrantTable, Idx = 0, Gpfn = 0x900 });
        Assert.That(MemGuest.Op(m, d, XenMem.AddToPhysmap), Is.EqualTo(0));
        m.PokeStruct(d, OpGpa, new GnttabSetupTable { Dom = Self, NrFrames = 2, FrameList = ListGpa });
        Assert.That(Op(m, d, GnttabOp.SetupTable), Is.EqualTo(0));
        Assert.That(MemGuest.Entry(m, d, ListGpa, 0), Is.EqualTo(0x900UL));
        Assert.That(MemGuest.Entry(m, d, ListGpa, 1), Is.EqualTo(ulong.MaxValue), "an unmapped frame is INVALID_GFN");
    }

    [Test]
    public void SetupTableRefusals()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64, id: 0);
        var d = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        m.PokeStruct(d, OpGpa, new GnttabSetupTable { Dom = Self, NrFrames = 65, FrameList = ListGpa });
        Assert.That(Op(m, d, GnttabOp.SetupTable), Is.EqualTo(0));
        Assert.That(m.PeekStruct<GnttabSetupTable>(d, OpGpa).Status, Is.EqualTo(Gntst.GeneralError), "above max_grant_frames");
        Assert.That(Op(m, d, GnttabOp.SetupTable, count: 2), Is.EqualTo(-Errno.EINVAL));
        m.PokeStruct(d, OpGpa, new GnttabSetupTable { Dom = 0, NrFrames = 1, FrameList = ListGpa });
        Op(m, d, GnttabOp.SetupTable);
        Assert.That(m.PeekStruct<GnttabSetupTable>(d, OpGpa).Status, Is.EqualTo(Gntst.PermissionDenied));
        m.PokeStruct(d, OpGpa, new GnttabSetupTable { Dom = 9, NrFrames = 1, FrameList = ListGpa });
        Op(m, d, GnttabOp.SetupTable);
        Assert.That(m.PeekStruct<GnttabSetupTable>(d, OpGpa).Status, Is.EqualTo(Gntst.BadDomain));
        m.PokeStruct(d0, OpGpa, new GnttabSetupTable { Dom = 1, NrFrames = 2, FrameList = ListGpa });
        Op(m, d0, GnttabOp.SetupTable);
        Assert.That(m.PeekStruct<GnttabSetupTable>(d0, OpGpa).Status, Is.EqualTo(Gntst.Okay), "the control domain may set up others' tables");
        Assert.That(d.Grants.NrFrames, Is.EqualTo(2u));
        Assert.That(m.Call(d.Vcpus[0], HypercallNumber.GrantTableOp, GnttabOp.SetupTable, 0xFFFF_FFFF_F000, 1), Is.EqualTo(-Errno.EFAULT));
    }

    [Test]
    public void CompatSetupTableCannotReportFramesAbove32Bits()
    {
        var m = Machine();
        var d = m.NewDomain(GuestMode.Hvm32, id: 1, privileged: false);
        m.PokeStruct(d, OpGpa, new GnttabSetupTableCompat { Dom = Self, NrFrames = 1, FrameList = (uint)ListGpa });
        Assert.That(Op(m, d, GnttabOp.SetupTable), Is.EqualTo(0));
        Assert.That(m.PeekStruct<GnttabSetupTableCompat>(d, OpGpa).Status, Is.EqualTo(Gntst.AddressTooBig), "INVALID_GFN does not fit");
        m.PokeStruct(d, MemGuest.ArgGpa, new XenAddToPhysmapCompat { DomId = Self, Space = XenMapSpace.GrantTable, Idx = 0, Gpfn = 0x900 });
        Assert.That(MemGuest.Op(m, d, XenMem.AddToPhysmap), Is.EqualTo(0));
        m.PokeStruct(d, OpGpa, new GnttabSetupTableCompat { Dom = Self, NrFrames = 1, FrameList = (uint)ListGpa });
        Assert.That(Op(m, d, GnttabOp.SetupTable), Is.EqualTo(0));
        Assert.That(m.PeekStruct<GnttabSetupTableCompat>(d, OpGpa).Status, Is.EqualTo(Gntst.Okay));
        Assert.That(m.PeekStruct<uint>(d, ListGpa), Is.EqualTo(0x900u));
    }

    [Test]
    public void QuerySizeReportsCurrentAndMaximumFrames()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64, id: 0);
        var d = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        m.PokeStruct(d, OpGpa, new GnttabQuerySize { Dom = Self });
        Assert.That(Op(m, d, GnttabOp.QuerySize), Is.EqualTo(0));
        var q = m.PeekStruct<GnttabQuerySize>(d, OpGpa);
        Assert.That((q.Status, q.NrFrames, q.MaxNrFrames), Is.EqualTo((Gntst.Okay, 1u, 64u)));
        m.PokeStruct(d, OpGpa, new GnttabQuerySize { Dom = 0 });
        Op(m, d, GnttabOp.QuerySize);
        Assert.That(m.PeekStruct<GnttabQuerySize>(d, OpGpa).Status, Is.EqualTo(Gntst.PermissionDenied));
        m.PokeStruct(d, OpGpa, new GnttabQuerySize { Dom = 40 });
        Op(m, d, GnttabOp.QuerySize);
        Assert.That(m.PeekStruct<GnttabQuerySize>(d, OpGpa).Status, Is.EqualTo(Gntst.BadDomain));
        Assert.That(Op(m, d, GnttabOp.QuerySize, count: 0), Is.EqualTo(-Errno.EINVAL));
        m.PokeStruct(d0, OpGpa, new GnttabQuerySize { Dom = 1 });
        Op(m, d0, GnttabOp.QuerySize);
        Assert.That(m.PeekStruct<GnttabQuerySize>(d0, OpGpa).Status, Is.EqualTo(Gntst.Okay));
    }

    [Test]
    public void SetVersionSwitchesBothWaysKeepingTheReservedEntries()
    {
        var m = Machine();
        var d = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        GrantV1(d, 1, Gtf.PermitAccess, 0, 33);   // the xenstore ring, as a toolstack seeds it
        GrantV1(d, 20, Gtf.PermitAccess, 0, 34);
        m.PokeStruct(d, OpGpa, new GnttabSetVersion { Version = 2 });
        Assert.That(Op(m, d, GnttabOp.SetVersion), Is.EqualTo(0));
        Assert.That(d.Grants.Version, Is.EqualTo(2u));
        Assert.That(d.Grants.NrStatusFrames, Is.EqualTo(1u));
        unsafe
        {
            Assert.That((d.Grants.V2(1)->Flags, d.Grants.V2(1)->DomId, d.Grants.V2(1)->Frame), Is.EqualTo((Gtf.PermitAccess, (ushort)0, 33UL)));
            Assert.That(d.Grants.V2(20)->Flags, Is.Zero, "entries beyond the reserved ones are wiped");
        }
        m.PokeStruct(d, OpGpa, new GnttabSetVersion { Version = 1 });
        Assert.That(Op(m, d, GnttabOp.SetVersion), Is.EqualTo(0));
        Assert.That(d.Grants.NrStatusFrames, Is.Zero, "status frames are given back");
        unsafe { Assert.That(d.Grants.V1(1)->Frame, Is.EqualTo(33u)); }
    }

    [Test]
    public void SetVersionRefusals()
    {
        var m = Machine();
        var a = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        var b = m.NewDomain(GuestMode.Hvm64, id: 2, privileged: false);
        m.PokeStruct(a, OpGpa, new GnttabSetVersion { Version = 3 });
        Assert.That(Op(m, a, GnttabOp.SetVersion), Is.EqualTo(-Errno.EINVAL));
        Assert.That(m.PeekStruct<GnttabSetVersion>(a, OpGpa).Version, Is.EqualTo(1u), "the version in force is written back");

        GrantV1(a, 8, Gtf.PermitAccess, b.Id, 20);
        var op = Map(m, b, a, 8, 0x500);
        m.PokeStruct(a, OpGpa, new GnttabSetVersion { Version = 2 });
        Assert.That(Op(m, a, GnttabOp.SetVersion), Is.EqualTo(-Errno.EBUSY), "a grant is in use");
        Assert.That(Unmap(m, b, op.Handle, 0x500), Is.EqualTo(Gntst.Okay));
        m.PokeStruct(a, OpGpa, new GnttabSetVersion { Version = 2 });
        Assert.That(Op(m, a, GnttabOp.SetVersion), Is.EqualTo(0));

        GrantV2(a, 2, Gtf.PermitAccess, b.Id, 1UL << 40);
        m.PokeStruct(a, OpGpa, new GnttabSetVersion { Version = 1 });
        Assert.That(Op(m, a, GnttabOp.SetVersion), Is.EqualTo(-Errno.ERANGE), "a reserved v2 entry v1 cannot hold");
        b.Grants.MaxVersion = 1;
        m.PokeStruct(b, OpGpa, new GnttabSetVersion { Version = 2 });
        Assert.That(Op(m, b, GnttabOp.SetVersion), Is.EqualTo(-Errno.ENOSYS), "v2 disabled for the domain");
    }

    [Test]
    public void GetVersionOfSelfAndOthers()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64, id: 0);
        var d = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        d.Grants.Version = 2;
        d.Grants.PopulateStatus(d.Grants.NrFrames);
        m.PokeStruct(d, OpGpa, new GnttabGetVersion { Dom = Self });
        Assert.That(Op(m, d, GnttabOp.GetVersion), Is.EqualTo(0));
        Assert.That(m.PeekStruct<GnttabGetVersion>(d, OpGpa).Version, Is.EqualTo(2u));
        m.PokeStruct(d0, OpGpa, new GnttabGetVersion { Dom = 1 });
        Assert.That(Op(m, d0, GnttabOp.GetVersion), Is.EqualTo(0));
        Assert.That(m.PeekStruct<GnttabGetVersion>(d0, OpGpa).Version, Is.EqualTo(2u));
        m.PokeStruct(d, OpGpa, new GnttabGetVersion { Dom = 0 });
        Assert.That(Op(m, d, GnttabOp.GetVersion), Is.EqualTo(-Errno.EPERM));
        m.PokeStruct(d, OpGpa, new GnttabGetVersion { Dom = 30 });
        Assert.That(Op(m, d, GnttabOp.GetVersion), Is.EqualTo(-Errno.ESRCH));
    }

    [Test]
    public void GetStatusFramesListsTheV2StatusFrames()
    {
        var m = Machine();
        var d = m.NewDomain(GuestMode.Pv64, id: 1, privileged: false);
        m.PokeStruct(d, OpGpa, new GnttabGetStatusFrames { NrFrames = 1, Dom = Self, FrameList = MemGuest.Addr(d, ListGpa) });
        Assert.That(Op(m, d, GnttabOp.GetStatusFrames), Is.EqualTo(0));
        Assert.That(m.PeekStruct<GnttabGetStatusFrames>(d, OpGpa).Status, Is.EqualTo(Gntst.GeneralError), "v1 has none");
        m.PokeStruct(d, 0x3000, new GnttabSetVersion { Version = 2 });
        Assert.That(Op(m, d, GnttabOp.SetVersion, gpa: 0x3000), Is.EqualTo(0));
        Assert.That(Op(m, d, GnttabOp.GetStatusFrames), Is.EqualTo(0));
        Assert.That(m.PeekStruct<GnttabGetStatusFrames>(d, OpGpa).Status, Is.EqualTo(Gntst.Okay));
        Assert.That(MemGuest.Entry(m, d, ListGpa, 0), Is.EqualTo(d.Grants.StatusFrame(0).Value));
        Assert.That(Op(m, d, GnttabOp.GetStatusFrames, count: 2), Is.EqualTo(-Errno.EINVAL));
    }

    [Test]
    public void CompatGetStatusFramesStillWrites64BitFrames()
    {
        var m = Machine();
        var d = m.NewDomain(GuestMode.Pv32, id: 1, privileged: false);
        m.PokeStruct(d, 0x3000, new GnttabSetVersion { Version = 2 });
        Assert.That(Op(m, d, GnttabOp.SetVersion, gpa: 0x3000), Is.EqualTo(0));
        m.PokeStruct(d, OpGpa, new GnttabGetStatusFramesCompat { NrFrames = 1, Dom = Self, FrameList = (uint)MemGuest.Addr(d, ListGpa) });
        Assert.That(Op(m, d, GnttabOp.GetStatusFrames), Is.EqualTo(0));
        Assert.That(m.PeekStruct<GnttabGetStatusFramesCompat>(d, OpGpa).Status, Is.EqualTo(Gntst.Okay));
        Assert.That(m.PeekStruct<ulong>(d, ListGpa), Is.EqualTo(d.Grants.StatusFrame(0).Value));
    }

    [Test]
    public void SwapGrantRefExchangesEntriesUnlessInUse()
    {
        var m = Machine();
        var a = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        var b = m.NewDomain(GuestMode.Hvm64, id: 2, privileged: false);
        GrantV1(a, 8, Gtf.PermitAccess, b.Id, 20);
        GrantV1(a, 9, Gtf.PermitAccess | Gtf.Readonly, b.Id, 21);
        m.PokeStruct(a, OpGpa, new GnttabSwapGrantRef { RefA = 8, RefB = 9 });
        Assert.That(Op(m, a, GnttabOp.SwapGrantRef), Is.EqualTo(0));
        Assert.That(m.PeekStruct<GnttabSwapGrantRef>(a, OpGpa).Status, Is.EqualTo(Gntst.Okay));
        unsafe { Assert.That((a.Grants.V1(8)->Frame, a.Grants.V1(9)->Frame), Is.EqualTo((21u, 20u))); }

        var op = Map(m, b, a, 9, 0x500);
        m.PokeStruct(a, OpGpa, new GnttabSwapGrantRef { RefA = 8, RefB = 9 });
        Op(m, a, GnttabOp.SwapGrantRef);
        Assert.That(m.PeekStruct<GnttabSwapGrantRef>(a, OpGpa).Status, Is.EqualTo(Gntst.Eagain));
        m.PokeStruct(a, OpGpa, new GnttabSwapGrantRef { RefA = 8, RefB = 600 });
        Op(m, a, GnttabOp.SwapGrantRef);
        Assert.That(m.PeekStruct<GnttabSwapGrantRef>(a, OpGpa).Status, Is.EqualTo(Gntst.BadGntref));
        m.PokeStruct(a, OpGpa, new GnttabSwapGrantRef { RefA = 9, RefB = 9 });
        Op(m, a, GnttabOp.SwapGrantRef);
        Assert.That(m.PeekStruct<GnttabSwapGrantRef>(a, OpGpa).Status, Is.EqualTo(Gntst.Okay), "swapping a ref with itself is a no-op");
        Assert.That(Unmap(m, b, op.Handle, 0x500), Is.EqualTo(Gntst.Okay));
    }

    [Test]
    public void HvmGuestsGetOnlyTheAuditedSubOps()
    {
        var m = Machine();
        var d = m.NewDomain(GuestMode.Hvm64, id: 0);
        foreach (uint op in new[] { GnttabOp.DumpTable, GnttabOp.Transfer, GnttabOp.UnmapAndReplace, GnttabOp.GetStatusFrames, GnttabOp.CacheFlush, 13u, GnttabOp.MapGrantRef | 0x1000 })
            Assert.That(Op(m, d, op), Is.EqualTo(-Errno.ENOSYS), $"cmd {op:x}");
    }

    [Test]
    public void CallLevelErrorsAreErrnos()
    {
        var m = Machine();
        var d = m.NewDomain(GuestMode.Pv64, id: 1, privileged: false);
        Assert.That(Op(m, d, GnttabOp.DumpTable), Is.EqualTo(-Errno.ENOSYS), "dump_table is gone from Xen");
        Assert.That(Op(m, d, GnttabOp.CacheFlush), Is.EqualTo(-Errno.ENOSYS), "x86 has no cache flush");
        Assert.That(Op(m, d, GnttabOp.MapGrantRef, count: 0x8000_0000), Is.EqualTo(-Errno.EINVAL), "negative count");
        Assert.That(Op(m, d, GnttabOp.MapGrantRef | 0x1000), Is.EqualTo(-Errno.EINVAL), "continuation bits on a batch op");
        Assert.That(m.Call(d.Vcpus[0], HypercallNumber.GrantTableOp, GnttabOp.MapGrantRef, 0xFFFF_8000_0000_0000, 1), Is.EqualTo(-Errno.EFAULT));
        Assert.That(Op(m, d, GnttabOp.MapGrantRef, count: 0), Is.EqualTo(0));
    }

    [Test]
    public void APreemptedBatchContinuesWithTheRest()
    {
        var m = Machine();
        var a = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        var b = m.NewDomain(GuestMode.Hvm64, id: 2, privileged: false);
        for (uint r = 8; r < 11; r++) GrantV1(a, r, Gtf.PermitAccess, b.Id, 20 + r);
        for (uint i = 0; i < 3; i++)
            m.PokeStruct(b, OpGpa + i * 32, new GnttabMapGrantRef { HostAddr = (0x500UL + i) << 12, Flags = GntMap.HostMap, Ref = 8 + i, Dom = a.Id, Status = 99 });
        m.Platform.PreemptAfterChecks = 0;
        Op(m, b, GnttabOp.MapGrantRef, count: 3);
        Assert.That(m.LastCallRestarted, Is.True);
        var v = b.Vcpus[0];
        Assert.That(v.Regs[HypercallRegisters.ArgRegister(b.Mode, 1)], Is.EqualTo(OpGpa + 32), "uop advanced past the done entry");
        Assert.That(v.Regs[HypercallRegisters.ArgRegister(b.Mode, 2)], Is.EqualTo(2UL));
        m.Platform.PreemptAfterChecks = int.MaxValue;
        Assert.That(m.Resume(v), Is.EqualTo(0));
        for (uint i = 0; i < 3; i++) Assert.That(m.PeekStruct<GnttabMapGrantRef>(b, OpGpa + i * 32).Status, Is.EqualTo(Gntst.Okay));
        for (uint i = 0; i < 3; i++) Assert.That(Unmap(m, b, i, 0x500 + i), Is.EqualTo(Gntst.Okay));
    }
}

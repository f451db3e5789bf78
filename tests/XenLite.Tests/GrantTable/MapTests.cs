using System.Text;
using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common.Grants;
using XenLite.Hv.Common.Memory;
using XenLite.Tests.MemoryOp;
using static XenLite.Tests.Grants.GntGuest;

namespace XenLite.Tests.Grants;

[Category("grant_table_op")]
public class MapTests : OwnershipCheckedTest
{
    [Test]
    public void TwoHvmGuestsShareAPageThroughAV1Grant()
    {
        var m = Machine();
        var a = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        var b = m.NewDomain(GuestMode.Hvm64, id: 2, privileged: false);
        GrantV1(a, 8, Gtf.PermitAccess, b.Id, 20);
        var op = Map(m, b, a, 8, 0x500);
        Assert.That(op.Status, Is.EqualTo(Gntst.Okay));
        Assert.That(op.DevBusAddr, Is.EqualTo(MfnOf(a, 20) << 12));
        Assert.That(b.P2m.TypeOf(new Gfn(0x500)), Is.EqualTo(P2mType.GrantMapRw));
        Assert.That(Flags(a, 8) & (Gtf.Reading | Gtf.Writing), Is.EqualTo(Gtf.Reading | Gtf.Writing));

        m.Poke(a, 20 * 4096, Encoding.ASCII.GetBytes("ping"));
        Assert.That(Encoding.ASCII.GetString(m.Peek(b, 0x500 * 4096, 4)), Is.EqualTo("ping"));
        m.Poke(b, 0x500 * 4096 + 100, Encoding.ASCII.GetBytes("pong"));
        Assert.That(Encoding.ASCII.GetString(m.Peek(a, 20 * 4096 + 100, 4)), Is.EqualTo("pong"));

        Assert.That(Unmap(m, b, op.Handle, 0x500), Is.EqualTo(Gntst.Okay));
        Assert.That(b.P2m.TypeOf(new Gfn(0x500)), Is.EqualTo(P2mType.Invalid));
        Assert.That(Flags(a, 8), Is.EqualTo(Gtf.PermitAccess), "reading/writing cleared with the last pin");
        Assert.That(a.Grants.Active(8).Pin, Is.Zero);
        Assert.That(m.Hv.Memory.RefCount(new Mfn(MfnOf(a, 20))), Is.EqualTo(1u));
    }

    [Test]
    public void TwoArmGuestsShareAPageThroughAV2Grant()
    {
        var m = Machine();
        var a = m.NewDomain(GuestMode.Arm, id: 1, privileged: false);
        var b = m.NewDomain(GuestMode.Arm, id: 2, privileged: false);
        m.PokeStruct(a, OpGpa, new GnttabSetVersion { Version = 2 });
        Assert.That(Op(m, a, GnttabOp.SetVersion), Is.EqualTo(0));
        GrantV2(a, 9, Gtf.PermitAccess, b.Id, 21);
        var op = Map(m, b, a, 9, 0x600);
        Assert.That(op.Status, Is.EqualTo(Gntst.Okay));
        Assert.That(Status(a, 9), Is.EqualTo(Gtf.Reading | Gtf.Writing), "v2 keeps reading/writing in the status frame");
        Assert.That(Flags(a, 9), Is.EqualTo(Gtf.PermitAccess));
        m.Poke(b, 0x600 * 4096, new byte[] { 1, 2, 3 });
        Assert.That(m.Peek(a, 21 * 4096, 3), Is.EqualTo(new byte[] { 1, 2, 3 }));
        m.Poke(a, 21 * 4096 + 8, new byte[] { 9 });
        Assert.That(m.Peek(b, 0x600 * 4096 + 8, 1)[0], Is.EqualTo(9));
        Assert.That(Unmap(m, b, op.Handle, 0x600), Is.EqualTo(Gntst.Okay));
        Assert.That(Status(a, 9), Is.Zero);
    }

    [Test]
    public void AReadOnlyGrantMapsOnlyReadOnly()
    {
        var m = Machine();
        var a = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        var b = m.NewDomain(GuestMode.Hvm64, id: 2, privileged: false);
        GrantV1(a, 8, Gtf.PermitAccess | Gtf.Readonly, b.Id, 20);
        Assert.That(Map(m, b, a, 8, 0x500).Status, Is.EqualTo(Gntst.GeneralError));
        Assert.That(b.P2m.TypeOf(new Gfn(0x500)), Is.EqualTo(P2mType.Invalid));
        var op = Map(m, b, a, 8, 0x500, GntMap.HostMap | GntMap.Readonly);
        Assert.That(op.Status, Is.EqualTo(Gntst.Okay));
        Assert.That(b.P2m.TypeOf(new Gfn(0x500)), Is.EqualTo(P2mType.GrantMapRo));
        Assert.That(Flags(a, 8) & (Gtf.Reading | Gtf.Writing), Is.EqualTo(Gtf.Reading));
        Assert.That(Unmap(m, b, op.Handle, 0x500), Is.EqualTo(Gntst.Okay));
    }

    [Test]
    public void MapRefusalsCarryXensStatusCodes()
    {
        var m = Machine();
        var a = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        var b = m.NewDomain(GuestMode.Hvm64, id: 2, privileged: false);
        var c = m.NewDomain(GuestMode.Hvm64, id: 3, privileged: false);
        GrantV1(a, 8, Gtf.PermitAccess, c.Id, 20);
        GrantV1(a, 10, Gtf.PermitAccess, b.Id, 5000);
        GrantV1(a, 11, Gtf.AcceptTransfer, b.Id, 20);
        Assert.That(Map(m, b, a, 8, 0x500, 0).Status, Is.EqualTo(Gntst.BadGntref), "neither host nor device");
        Assert.That(Map(m, b, a, 512, 0x500).Status, Is.EqualTo(Gntst.BadGntref), "beyond the table");
        Assert.That(Map(m, b, a, 8, 0x500).Status, Is.EqualTo(Gntst.GeneralError), "granted to someone else");
        Assert.That(Flags(a, 8), Is.EqualTo(Gtf.PermitAccess), "a refused map leaves the entry alone");
        Assert.That(Map(m, b, a, 10, 0x500).Status, Is.EqualTo(Gntst.BadPage), "a hole");
        Assert.That(Flags(a, 10), Is.EqualTo(Gtf.PermitAccess));
        Assert.That(Map(m, b, a, 11, 0x500).Status, Is.EqualTo(Gntst.GeneralError), "not an access grant");
        Assert.That(Map(m, b, a, 9, 0x500).Status, Is.EqualTo(Gntst.GeneralError), "an invalid entry");
        Assert.That(Map(m, b, a, 8, 0x500, GntMap.HostMap | GntMap.DeviceMap).Status, Is.EqualTo(Gntst.GeneralError), "HVM has no device mappings");
        m.PokeStruct(b, OpGpa, new GnttabMapGrantRef { HostAddr = 0x500000, Flags = GntMap.HostMap, Ref = 8, Dom = 9 });
        Op(m, b, GnttabOp.MapGrantRef);
        Assert.That(m.PeekStruct<GnttabMapGrantRef>(b, OpGpa).Status, Is.EqualTo(Gntst.BadDomain));
        m.PokeStruct(b, OpGpa, new GnttabMapGrantRef { HostAddr = 0x500000, Flags = GntMap.HostMap, Ref = 8, Dom = Self });
        Op(m, b, GnttabOp.MapGrantRef);
        Assert.That(m.PeekStruct<GnttabMapGrantRef>(b, OpGpa).Status, Is.EqualTo(Gntst.BadDomain), "DOMID_SELF is not looked up");
    }

    [Test]
    public void AGrantMapMayNotReplaceAnotherGrantMap()
    {
        var m = Machine();
        var a = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        var b = m.NewDomain(GuestMode.Hvm64, id: 2, privileged: false);
        GrantV1(a, 8, Gtf.PermitAccess, b.Id, 20);
        GrantV1(a, 9, Gtf.PermitAccess, b.Id, 21);
        var first = Map(m, b, a, 8, 0x500);
        Assert.That(Map(m, b, a, 9, 0x500).Status, Is.EqualTo(Gntst.GeneralError));
        Assert.That(a.Grants.Active(9).Pin, Is.Zero);
        Assert.That(Flags(a, 9), Is.EqualTo(Gtf.PermitAccess));
        Assert.That(Unmap(m, b, first.Handle, 0x500), Is.EqualTo(Gntst.Okay));
    }

    [Test]
    public void MappingOverRamHidesThatRamWhichStaysTheDomains()
    {
        var m = Machine();
        var a = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        var b = m.NewDomain(GuestMode.Hvm64, id: 2, privileged: false);
        Mfn ram = b.P2m.Lookup(new Gfn(30));
        GrantV1(a, 8, Gtf.PermitAccess, b.Id, 20);
        var op = Map(m, b, a, 8, 30);
        Assert.That(op.Status, Is.EqualTo(Gntst.Okay));
        Assert.That(m.Hv.Memory.OwnerOf(ram), Is.EqualTo(b.Id));
        Assert.That(b.TotPages, Is.EqualTo(64UL));
        Assert.That(Unmap(m, b, op.Handle, 30), Is.EqualTo(Gntst.Okay));
    }

    [Test]
    public void TheMaptrackLimitGivesNoSpace()
    {
        var m = Machine();
        var a = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        var b = m.NewDomain(GuestMode.Hvm64, id: 2, privileged: false);
        b.Grants.MaxMaptrackFrames = 1;
        for (uint r = 8; r < 12; r++) GrantV1(a, r, Gtf.PermitAccess | Gtf.Readonly, b.Id, 20 + r);
        for (uint i = 0; i < GrantTable.MaptrackPerPage; i++)
            Assert.That(Map(m, b, a, 8 + i % 4, 0x1000 + i, GntMap.HostMap | GntMap.Readonly).Status, Is.EqualTo(Gntst.Okay), $"map {i}");
        Assert.That(Map(m, b, a, 8, 0x2000, GntMap.HostMap | GntMap.Readonly).Status, Is.EqualTo(Gntst.NoSpace));
        Assert.That(Unmap(m, b, 5, 0x1005), Is.EqualTo(Gntst.Okay));
        Assert.That(Map(m, b, a, 8, 0x2000, GntMap.HostMap | GntMap.Readonly).Handle, Is.EqualTo(5u), "a freed handle is reused");
    }

    [Test]
    public void APinCounterMayNotOverflow()
    {
        var m = Machine();
        var a = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        var b = m.NewDomain(GuestMode.Hvm64, id: 2, privileged: false);
        GrantV1(a, 8, Gtf.PermitAccess, b.Id, 20);
        for (uint i = 0; i < 255; i++) Assert.That(Map(m, b, a, 8, 0x1000 + i).Status, Is.EqualTo(Gntst.Okay));
        Assert.That(Map(m, b, a, 8, 0x2000).Status, Is.EqualTo(Gntst.GeneralError));
        Assert.That(a.Grants.Active(8).Pin, Is.EqualTo(255u));
        Assert.That(Map(m, b, a, 8, 0x2000, GntMap.HostMap | GntMap.Readonly).Status, Is.EqualTo(Gntst.Okay), "the read counter is separate");
    }

    [Test]
    public void UnmapRefusals()
    {
        var m = Machine();
        var a = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        var b = m.NewDomain(GuestMode.Hvm64, id: 2, privileged: false);
        GrantV1(a, 8, Gtf.PermitAccess, b.Id, 20);
        var op = Map(m, b, a, 8, 0x500);
        Assert.That(Unmap(m, b, 77, 0x500), Is.EqualTo(Gntst.BadHandle), "beyond the maptrack");
        Assert.That(Unmap(m, b, op.Handle + 1, 0x500), Is.EqualTo(Gntst.BadHandle), "a free handle");
        Assert.That(Unmap(m, b, op.Handle, 0x501), Is.EqualTo(Gntst.GeneralError), "not where it is mapped");
        Assert.That(Unmap(m, b, op.Handle, 0x500), Is.EqualTo(Gntst.Okay));
        Assert.That(Unmap(m, b, op.Handle, 0x500), Is.EqualTo(Gntst.BadHandle), "already gone");
    }

    [Test]
    public void UnmapAndReplaceIsArmOrPvOnlyAndCannotReplace()
    {
        var m = Machine();
        var a = m.NewDomain(GuestMode.Arm, id: 1, privileged: false);
        var b = m.NewDomain(GuestMode.Arm, id: 2, privileged: false);
        var h = m.NewDomain(GuestMode.Hvm64, id: 3, privileged: false);
        GrantV1(a, 8, Gtf.PermitAccess, b.Id, 20);
        var op = Map(m, b, a, 8, 0x500);
        m.PokeStruct(b, OpGpa, new GnttabUnmapAndReplace { HostAddr = 0x500000, NewAddr = 0x501000, Handle = op.Handle });
        Assert.That(Op(m, b, GnttabOp.UnmapAndReplace), Is.EqualTo(0));
        Assert.That(m.PeekStruct<GnttabUnmapAndReplace>(b, OpGpa).Status, Is.EqualTo(Gntst.GeneralError));
        m.PokeStruct(b, OpGpa, new GnttabUnmapAndReplace { HostAddr = 0x500000, Handle = op.Handle });
        Assert.That(Op(m, b, GnttabOp.UnmapAndReplace), Is.EqualTo(0));
        Assert.That(m.PeekStruct<GnttabUnmapAndReplace>(b, OpGpa).Status, Is.EqualTo(Gntst.Okay));
        Assert.That(b.P2m.TypeOf(new Gfn(0x500)), Is.EqualTo(P2mType.Invalid));
        Assert.That(Op(m, h, GnttabOp.UnmapAndReplace), Is.EqualTo(-Errno.ENOSYS));
    }

    [Test]
    public void PvGuestsGetDeviceMappingsWithTheBusAddress()
    {
        var m = Machine();
        var a = m.NewDomain(GuestMode.Pv64, id: 1, privileged: false);
        var b = m.NewDomain(GuestMode.Pv64, id: 2, privileged: false);
        ulong mfn = MfnOf(a, 20);
        GrantV1(a, 8, Gtf.PermitAccess, b.Id, (uint)mfn);
        var op = Map(m, b, a, 8, 0, GntMap.DeviceMap);
        Assert.That(op.Status, Is.EqualTo(Gntst.Okay));
        Assert.That(op.DevBusAddr, Is.EqualTo(mfn << 12));
        Assert.That(m.Hv.Memory.TypeCount(new Mfn(mfn)), Is.EqualTo(1u), "a writable device mapping types the page");
        Assert.That(Map(m, b, a, 8, 0x500, GntMap.HostMap).Status, Is.EqualTo(Gntst.GeneralError), "PV page-table mappings are not modelled");
        Assert.That(Unmap(m, b, op.Handle, 0, op.DevBusAddr + 4096), Is.EqualTo(Gntst.BadDevAddr));
        Assert.That(Unmap(m, b, op.Handle, 0, op.DevBusAddr), Is.EqualTo(Gntst.Okay));
        Assert.That(m.Hv.Memory.TypeCount(new Mfn(mfn)), Is.Zero);
        Assert.That(a.Grants.Active(8).Pin, Is.Zero);
    }

    [Test]
    public void AGrantedPageOutlivesItsOwnersDecreaseReservationUntilUnmapped()
    {
        var m = Machine();
        var a = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        var b = m.NewDomain(GuestMode.Hvm64, id: 2, privileged: false);
        var frame = new Mfn(MfnOf(a, 20));
        GrantV1(a, 8, Gtf.PermitAccess, b.Id, 20);
        var op = Map(m, b, a, 8, 0x500);
        MemGuest.PutList(m, a, MemGuest.ListGpa, 20);
        Assert.That(MemGuest.Reservation(m, a, XenMem.DecreaseReservation, MemGuest.Res(a, 1)), Is.EqualTo(1));
        Assert.That(m.Hv.Memory.OwnerOf(frame), Is.EqualTo(a.Id), "still referenced by b's mapping");
        Assert.That(a.TotPages, Is.EqualTo(64UL), "and still counted, as in Xen");
        Assert.That(Unmap(m, b, op.Handle, 0x500), Is.EqualTo(Gntst.Okay));
        Assert.That(m.Hv.Memory.OwnerOf(frame), Is.EqualTo(MachineMemory.OwnerFree));
        Assert.That(a.TotPages, Is.EqualTo(63UL));
    }

    [Test]
    public void DestroyingTheGranterRevokesItsPagesFromTheMapper()
    {
        var m = Machine();
        var a = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        var b = m.NewDomain(GuestMode.Hvm64, id: 2, privileged: false);
        GrantV1(a, 8, Gtf.PermitAccess, b.Id, 20);
        var op = Map(m, b, a, 8, 0x500);
        m.Hv.DestroyDomain(a);
        Assert.That(b.P2m.TypeOf(new Gfn(0x500)), Is.EqualTo(P2mType.Invalid));
        Assert.That(b.Grants.Map(op.Handle).Flags, Is.Zero);
    }

    [Test]
    public void DestroyingTheMapperUnpinsTheGrant()
    {
        var m = Machine();
        var a = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        var b = m.NewDomain(GuestMode.Hvm64, id: 2, privileged: false);
        GrantV1(a, 8, Gtf.PermitAccess, b.Id, 20);
        Map(m, b, a, 8, 0x500);
        m.Hv.DestroyDomain(b);
        Assert.That(a.Grants.Active(8).Pin, Is.Zero);
        Assert.That(Flags(a, 8), Is.EqualTo(Gtf.PermitAccess));
        Assert.That(m.Hv.Memory.RefCount(new Mfn(MfnOf(a, 20))), Is.EqualTo(1u));
    }

    [Test]
    public void TheGrantFramesAGuestMapsAreWhereItsGrantsLive()
    {
        var m = Machine();
        var a = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        var b = m.NewDomain(GuestMode.Hvm64, id: 2, privileged: false);
        m.PokeStruct(a, MemGuest.ArgGpa, new XenAddToPhysmap { DomId = Self, Space = XenMapSpace.GrantTable, Idx = 0, Gpfn = 0x900 });
        Assert.That(MemGuest.Op(m, a, XenMem.AddToPhysmap), Is.EqualTo(0));
        // The guest fills entry 8 through its own mapping of the frame: domid and frame first, flags last.
        m.PokeStruct(a, 0x900 * 4096 + 8 * 8, new GrantEntryV1 { DomId = b.Id, Frame = 20 });
        m.PokeStruct(a, 0x900 * 4096 + 8 * 8, new GrantEntryV1 { Flags = Gtf.PermitAccess, DomId = b.Id, Frame = 20 });
        var op = Map(m, b, a, 8, 0x500);
        Assert.That(op.Status, Is.EqualTo(Gntst.Okay));
        Assert.That(m.PeekStruct<ushort>(a, 0x900 * 4096 + 8 * 8) & Gtf.Writing, Is.EqualTo(Gtf.Writing), "the guest sees the status bits");
        Assert.That(Unmap(m, b, op.Handle, 0x500), Is.EqualTo(Gntst.Okay));
    }
}

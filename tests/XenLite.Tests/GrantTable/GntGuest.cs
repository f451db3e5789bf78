using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;
using XenLite.Tests.Harness;

namespace XenLite.Tests.Grants;

/// <summary>A guest's side of grant_table_op: entries written into its grant frames, ops at fixed guest places.</summary>
static unsafe class GntGuest
{
    public const ulong OpGpa = 0x1000;
    public const ulong ListGpa = 0x2000;
    public const ushort Self = (ushort)DomainIds.Self;

    /// <summary>What the guest writes into its (mapped) grant frame for a v1 grant.</summary>
    public static void GrantV1(Domain d, uint r, ushort flags, ushort domid, uint frame)
    {
        GrantEntryV1* e = d.Grants.V1(r);
        e->DomId = domid;
        e->Frame = frame;
        e->Flags = flags;
    }

    public static void GrantV2(Domain d, uint r, ushort flags, ushort domid, ulong frame, ushort pageOff = 0, ushort length = 0)
    {
        GrantEntryV2* e = d.Grants.V2(r);
        e->DomId = domid;
        e->Frame = frame;
        e->PageOff = pageOff;
        e->Length = length;
        e->Flags = flags;
    }

    public static ushort Flags(Domain d, uint r) => *d.Grants.HeaderFlags(r);
    public static ushort Status(Domain d, uint r) => *d.Grants.Status(r);

    public static long Op(TestMachine m, Domain d, uint cmd, uint count = 1, ulong gpa = OpGpa) =>
        m.Call(d.Vcpus[0], HypercallNumber.GrantTableOp, cmd, TestMachine.GuestAddr(d, gpa), count);

    /// <summary>Maps grant <paramref name="r"/> of <paramref name="granter"/> at guest frame <paramref name="gfn"/>; returns the op as written back.</summary>
    public static GnttabMapGrantRef Map(TestMachine m, Domain d, Domain granter, uint r, ulong gfn, uint flags = GntMap.HostMap)
    {
        m.PokeStruct(d, OpGpa, new GnttabMapGrantRef { HostAddr = gfn << 12, Flags = flags, Ref = r, Dom = granter.Id, Status = 99 });
        long rc = Op(m, d, GnttabOp.MapGrantRef);
        if (rc != 0) throw new System.InvalidOperationException($"map_grant_ref returned {rc}");
        return m.PeekStruct<GnttabMapGrantRef>(d, OpGpa);
    }

    public static short Unmap(TestMachine m, Domain d, uint handle, ulong gfn, ulong devBusAddr = 0)
    {
        m.PokeStruct(d, OpGpa, new GnttabUnmapGrantRef { HostAddr = gfn << 12, DevBusAddr = devBusAddr, Handle = handle, Status = 99 });
        long rc = Op(m, d, GnttabOp.UnmapGrantRef);
        if (rc != 0) throw new System.InvalidOperationException($"unmap_grant_ref returned {rc}");
        return m.PeekStruct<GnttabUnmapGrantRef>(d, OpGpa).Status;
    }

    public static ulong MfnOf(Domain d, ulong gfn) => d.P2m.Lookup(new Gfn(gfn)).Value;
}

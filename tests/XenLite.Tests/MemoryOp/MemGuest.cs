using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;
using XenLite.Tests.Harness;

namespace XenLite.Tests.MemoryOp;

/// <summary>A guest's side of memory_op: argument structs and frame lists at fixed guest-physical places.</summary>
static class MemGuest
{
    public const ulong ArgGpa = 0x1000;
    public const ulong ListGpa = 0x2000;
    public const ulong List2Gpa = 0x3000;
    public const ulong List3Gpa = 0x4000;
    public const ushort Self = (ushort)DomainIds.Self;

    public static long Op(TestMachine m, Domain d, ulong cmd, ulong argGpa = ArgGpa, int vcpu = 0) =>
        m.Call(d.Vcpus[vcpu], HypercallNumber.MemoryOp, cmd, TestMachine.GuestAddr(d, argGpa));

    public static ulong Addr(Domain d, ulong gpa) => TestMachine.GuestAddr(d, gpa);

    public static void PutList(TestMachine m, Domain d, ulong gpa, params ulong[] values)
    {
        for (int i = 0; i < values.Length; i++) m.PokeStruct(d, gpa + (ulong)i * 8, values[i]);
    }

    public static void PutList32(TestMachine m, Domain d, ulong gpa, params uint[] values)
    {
        for (int i = 0; i < values.Length; i++) m.PokeStruct(d, gpa + (ulong)i * 4, values[i]);
    }

    public static ulong Entry(TestMachine m, Domain d, ulong gpa, int i) => m.PeekStruct<ulong>(d, gpa + (ulong)i * 8);

    public static XenMemoryReservation Res(Domain d, ulong n, uint order = 0, uint flags = 0, ushort dom = Self, ulong listGpa = ListGpa) =>
        new() { ExtentStart = Addr(d, listGpa), NrExtents = n, ExtentOrder = order, MemFlags = flags, DomId = dom };

    public static long Reservation(TestMachine m, Domain d, int op, in XenMemoryReservation r)
    {
        m.PokeStruct(d, ArgGpa, r);
        return Op(m, d, (ulong)op);
    }

    public static Mfn Frame(Domain d, ulong gfn) => d.P2m.Lookup(new Gfn(gfn));
}

using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Tests.Harness;

namespace XenLite.Tests.HvmOp;

/// <summary>hvm_op calls as a guest makes them: the argument struct at a fixed guest address.</summary>
static class HvmOpRig
{
    public const ulong ArgGpa = 0x4000;
    /// <summary>A guest address no domain here has memory at.</summary>
    public const ulong Unmapped = 0x7FFF_F000;

    public static long SetParam(TestMachine m, Vcpu v, uint domid, uint index, ulong value)
    {
        m.PokeStruct(v.Domain, ArgGpa, new XenHvmParam { DomId = (ushort)domid, Index = index, Value = value });
        return m.Call(v, HypercallNumber.HvmOp, HvmOpCmd.SetParam, TestMachine.GuestAddr(v.Domain, ArgGpa));
    }

    public static long GetParam(TestMachine m, Vcpu v, uint domid, uint index, out ulong value)
    {
        m.PokeStruct(v.Domain, ArgGpa, new XenHvmParam { DomId = (ushort)domid, Index = index, Value = 0xDEAD });
        long rc = m.Call(v, HypercallNumber.HvmOp, HvmOpCmd.GetParam, TestMachine.GuestAddr(v.Domain, ArgGpa));
        value = m.PeekStruct<XenHvmParam>(v.Domain, ArgGpa).Value;
        return rc;
    }

    /// <summary>A toolstack domain 0 and a guest domain 1 of the same mode.</summary>
    public static (Domain Dom0, Domain Guest) Pair(TestMachine m, GuestMode mode = GuestMode.Hvm64, int guestVcpus = 1) =>
        (m.NewDomain(mode, 0), m.NewDomain(mode, 1, vcpus: guestVcpus));
}

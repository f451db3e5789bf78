using System;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Tests.Harness;

namespace XenLite.Tests.PlatformOp;

/// <summary>platform_op calls: a struct xen_platform_op at a fixed guest address, union filled from a struct.</summary>
static unsafe class PlatformRig
{
    public const ulong OpGpa = 0x4000;
    public const ulong UnionGpa = OpGpa + 8;
    public const ulong Unmapped = 0x7FFF_F000;

    public static long Call(TestMachine m, Vcpu v, int cmd) => CallBytes(m, v, cmd, new byte[0], XenPf.InterfaceVersion);

    public static long Call<T>(TestMachine m, Vcpu v, int cmd, T u, uint version = XenPf.InterfaceVersion) where T : unmanaged
    {
        var bytes = new byte[sizeof(T)];
        fixed (byte* b = bytes) *(T*)b = u;
        return CallBytes(m, v, cmd, bytes, version);
    }

    static long CallBytes(TestMachine m, Vcpu v, int cmd, byte[] u, uint version)
    {
        var op = new XenPlatformOp { Cmd = (uint)cmd, InterfaceVersion = version };
        for (int i = 0; i < u.Length; i++) op.U[i] = u[i];
        m.PokeStruct(v.Domain, OpGpa, op);
        return m.Call(v, HypercallNumber.PlatformOp, TestMachine.GuestAddr(v.Domain, OpGpa));
    }

    public static T Result<T>(TestMachine m, Domain d) where T : unmanaged => m.PeekStruct<T>(d, UnionGpa);
}

using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Tests.Harness;

namespace XenLite.Tests.DmOp;

/// <summary>dm_op as a device model issues it: buffer array at BufsGpa, xen_dm_op at OpGpa, optional second buffer.</summary>
static unsafe class DmOpRig
{
    public const ulong BufsGpa = 0x4000, OpGpa = 0x5000, Buf1Gpa = 0x6000;
    public const ulong Unmapped = 0x7FFF_F000;

    /// <summary>Writes xen_dm_op {op, pad, u} and the buffer descriptors, then calls dm_op.</summary>
    public static long Call<T>(TestMachine m, Vcpu v, uint domid, int op, T u, ulong buf0Size = 0, uint nrBufs = 1, ulong buf1Size = 0, uint pad = 0)
        where T : unmanaged
    {
        var dmop = new XenDmOp { Op = (uint)op, Pad = pad };
        T* p = (T*)dmop.U;
        *p = u;
        m.PokeStruct(v.Domain, OpGpa, dmop);
        if (buf0Size == 0) buf0Size = 8 + (ulong)sizeof(T);
        WriteBufs(m, v, buf0Size, buf1Size);
        return m.Call(v, HypercallNumber.DmOp, domid, nrBufs, BufsGpa);
    }

    public static void WriteBufs(TestMachine m, Vcpu v, ulong buf0Size, ulong buf1Size)
    {
        if (GuestModes.Is32Bit(v.Mode))
        {
            m.PokeStruct(v.Domain, BufsGpa, new XenDmOpBufCompat { Handle = (uint)OpGpa, Size = (uint)buf0Size });
            m.PokeStruct(v.Domain, BufsGpa + 8, new XenDmOpBufCompat { Handle = (uint)Buf1Gpa, Size = (uint)buf1Size });
        }
        else
        {
            m.PokeStruct(v.Domain, BufsGpa, new XenDmOpBuf { Handle = OpGpa, Size = buf0Size });
            m.PokeStruct(v.Domain, BufsGpa + 16, new XenDmOpBuf { Handle = Buf1Gpa, Size = buf1Size });
        }
    }

    public static T Result<T>(TestMachine m, Vcpu v) where T : unmanaged => m.PeekStruct<T>(v.Domain, OpGpa + 8);
}

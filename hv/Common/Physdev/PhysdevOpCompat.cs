using XenLite.Hv.Abi;
using XenLite.Hv.Common.Memory;
using XenLite.Hv.Dispatch;

namespace XenLite.Hv.Common.Physdev;

/// <summary>
/// physdev_op_compat (19), the pre-3.0.2 form for PV guests: one struct physdev_op holding the
/// command and, in its union, the argument. Xen forwards it to physdev_op with the union's
/// address; arm's row is "dep" (-ENOSYS).
/// </summary>
public static unsafe class PhysdevOpCompat
{
    public static long Handle(Vcpu v, ref HypercallArgs a)
    {
        bool compat = GuestModes.Is32Bit(v.Mode);
        ulong arg = a[0];
        // The whole struct must be readable, as Xen copies it in one go.
        ulong size = compat ? PhysdevOpCompatLayout.SizeCompat : PhysdevOpCompatLayout.Size;
        byte* op = stackalloc byte[(int)PhysdevOpCompatLayout.Size];
        if (GuestMemory.CopyFrom(v, arg, op, size) != 0) return -Errno.EFAULT;
        uint cmd = *(uint*)op;
        ulong union = compat ? PhysdevOpCompatLayout.UnionOffsetCompat : PhysdevOpCompatLayout.UnionOffset;
        return PhysdevOp.Do(v, (int)cmd, arg + union);
    }

    public static long Deprecated(Vcpu v, ref HypercallArgs a) => -Errno.ENOSYS;
}

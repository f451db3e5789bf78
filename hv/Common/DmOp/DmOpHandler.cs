using XenLite.Hv.Abi;
using XenLite.Hv.Common.Memory;
using XenLite.Hv.Dispatch;

namespace XenLite.Hv.Common.DmOp;

/// <summary>
/// dm_op (41): a device model acting on the domain it serves (Xen's do_dm_op / compat_dm_op and
/// dm_op). The arguments are a domain id and an array of up to two (handle, size) buffers; the
/// first holds struct xen_dm_op. The caller must be another domain and pass XSM (the target's
/// device model, or privileged).
/// </summary>
public static unsafe class DmOpHandler
{
    public static long Handle(Vcpu v, ref HypercallArgs a) => Enter(v, (ushort)a[0], (uint)a[1], a[2], false);

    public static long HandleCompat(Vcpu v, ref HypercallArgs a) => Enter(v, (ushort)a[0], (uint)a[1], a[2], true);

    static long Enter(Vcpu v, ushort domid, uint nrBufs, ulong bufs, bool compat)
    {
        if (nrBufs == 0) return -Errno.ENODATA;
        if (nrBufs > XenDmop.MaxBufs) return -Errno.E2BIG;
        DmBuffers b = default;
        b.Count = nrBufs;
        for (uint i = 0; i < nrBufs; i++)
        {
            if (compat)
            {
                if (GuestMemory.Read(v, bufs + i * 8, out XenDmOpBufCompat c) != 0) return -Errno.EFAULT;
                b.Set(i, c.Handle, c.Size);
            }
            else
            {
                if (GuestMemory.Read(v, bufs + i * 16, out XenDmOpBuf n) != 0) return -Errno.EFAULT;
                b.Set(i, n.Handle, n.Size);
            }
        }
        return DmOps.Run(v, domid, ref b);
    }
}

/// <summary>struct dmop_args's buffers, already in native form.</summary>
public unsafe struct DmBuffers
{
    public uint Count;
    public fixed ulong Handle[2];
    public fixed ulong Size[2];

    public void Set(uint i, ulong handle, ulong size)
    {
        Handle[i] = handle;
        Size[i] = size;
    }
}

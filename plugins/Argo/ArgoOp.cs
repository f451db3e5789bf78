using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;
using XenLite.Hv.Dispatch;

namespace XenLite.Plugin.Argo;

/// <summary>
/// argo_op(cmd, arg1, arg2, arg3, arg4) for 64-bit guests and arm (Xen's do_argo_op) and for
/// 32-bit guests (compat_argo_op: only sendv's iov layout differs).
/// </summary>
public static unsafe class ArgoOp
{
    public static long Handle(Vcpu v, ref HypercallArgs a)
    {
        uint cmd = (uint)a[0];
        ulong arg1 = a[1], arg2 = a[2], arg3 = a[3], arg4 = a[4];
        // Numeric arguments are 32-bit values: reject anything wider before looking further.
        if (arg3 != (uint)arg3 || arg4 != (uint)arg4) return -Errno.EINVAL;
        int rc = Admit(v);
        if (rc != 0) return rc;

        switch (cmd)
        {
            case ArgoAbi.OpRegisterRing:
                if (arg3 > ArgoAbi.MaxRingSize >> Page.Shift) return -Errno.EINVAL;
                if (!GuestMemory.RangeOkay(v, arg2, arg3 * sizeof(ulong))) return -Errno.EFAULT;
                return RingRegistration.Register(v, arg1, arg2, (uint)arg3, (uint)arg4);
            case ArgoAbi.OpUnregisterRing:
                if (arg2 != 0 || arg3 != 0 || arg4 != 0) return -Errno.EINVAL;
                return RingRegistration.Unregister(v, arg1);
            case ArgoAbi.OpSendv:
            {
                ArgoSendAddr addr;
                if (GuestMemory.Read(v, arg1, out addr) != 0) return -Errno.EFAULT;
                if (arg3 > ArgoAbi.MaxIov) return -Errno.EINVAL;
                ArgoIov* iovs = stackalloc ArgoIov[(int)ArgoAbi.MaxIov];
                if (GuestMemory.CopyFrom(v, arg2, iovs, arg3 * (ulong)sizeof(ArgoIov)) != 0) return -Errno.EFAULT;
                return Sendv.Send(v, ref addr, iovs, (uint)arg3, (uint)arg4);
            }
            case ArgoAbi.OpNotify:
                if (arg2 != 0 || arg3 != 0 || arg4 != 0) return -Errno.EINVAL;
                return Notify.Query(v, arg1);
            default:
                return -Errno.EOPNOTSUPP;
        }
    }

    public static long HandleCompat(Vcpu v, ref HypercallArgs a)
    {
        if ((uint)a[0] != ArgoAbi.OpSendv) return Handle(v, ref a);
        int rc = Admit(v);
        if (rc != 0) return rc;

        ArgoSendAddr addr;
        if (GuestMemory.Read(v, a[1], out addr) != 0) return -Errno.EFAULT;
        ulong niov = a[3];
        if (niov > ArgoAbi.MaxIov) return -Errno.EINVAL;
        ArgoIovCompat* compat = stackalloc ArgoIovCompat[(int)ArgoAbi.MaxIov];
        if (GuestMemory.CopyFrom(v, a[2], compat, niov * (ulong)sizeof(ArgoIovCompat)) != 0) return -Errno.EFAULT;
        ArgoIov* iovs = stackalloc ArgoIov[(int)ArgoAbi.MaxIov];
        for (ulong i = 0; i < niov; i++)
        {
            iovs[i].Handle = compat[i].Handle;
            iovs[i].Len = compat[i].Len;
            iovs[i].Pad = compat[i].Pad;
        }
        return Sendv.Send(v, ref addr, iovs, (uint)niov, (uint)a[4]);
    }

    // Argo must be enabled on the command line, and XSM must let the caller use it.
    static int Admit(Vcpu v)
    {
        if (!ArgoState.Of(v.Hv).Enabled) return -Errno.EOPNOTSUPP;
        return v.Hv.Xsm.ArgoEnable(v.Domain);
    }
}

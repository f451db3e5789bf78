using XenLite.Hv.Abi;
using XenLite.Hv.Common.Memory;
using XenLite.Hv.Dispatch;

namespace XenLite.Hv.Common.Paging;

/// <summary>
/// paging_domctl_cont (49), x86: Xen re-enters a preempted XEN_DOMCTL_shadow_op through it.
/// XenLite has no shadow paging or log-dirty mode, so no paging op is ever left unfinished:
/// after Xen's checks, resuming one finds none and is -EBUSY.
/// </summary>
public static class PagingDomctlCont
{
    const uint DomctlInterfaceVersion = 0x00000018;
    const uint DomctlShadowOp = 10;
    /// <summary>sizeof(struct xen_domctl), offsetof(u), sizeof(xen_domctl_shadow_op).</summary>
    const int DomctlSize = 144, UnionOffset = 16, ShadowOpSize = 40;

    public static unsafe long Handle(Vcpu v, ref HypercallArgs a)
    {
        ulong arg = a[0];
        byte* op = stackalloc byte[DomctlSize];
        if (GuestMemory.CopyFrom(v, arg, op, DomctlSize) != 0) return -Errno.EFAULT;
        uint cmd = *(uint*)op;
        if (*(uint*)(op + 4) != DomctlInterfaceVersion || cmd != DomctlShadowOp) return -Errno.EOPNOTSUPP;
        Domain d = v.Hv.Lookup(*(ushort*)(op + 8));
        if (d == null) return -Errno.ESRCH;
        long rc = v.Hv.Xsm.Domctl(v.Domain, d, cmd, 0);
        if (rc == 0)
        {
            if (d == v.Domain || d.State == DomainState.Dying) rc = -Errno.EINVAL;
            else rc = -Errno.EBUSY; // no preempted paging op of this caller to resume
        }
        // Xen writes u.shadow_op back whatever the outcome.
        return GuestMemory.CopyTo(v, arg + UnionOffset, op + UnionOffset, ShadowOpSize) != 0 ? -Errno.EFAULT : rc;
    }
}

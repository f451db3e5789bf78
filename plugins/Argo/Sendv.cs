using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Events;

namespace XenLite.Plugin.Argo;

/// <summary>XEN_ARGO_OP_sendv: one message, gathered from up to 8 iovs, into the destination's ring.</summary>
static unsafe class Sendv
{
    /// <summary>Returns the payload length sent, or a negative errno.</summary>
    public static long Send(Vcpu v, ref ArgoSendAddr addr, ArgoIov* iovs, uint niov, uint messageType)
    {
        Domain src = v.Domain;
        Hypervisor hv = src.Hv;
        if (addr.Src.Pad != 0 || addr.Dst.Pad != 0) return -Errno.EINVAL;
        if (addr.Src.DomainId == ArgoAbi.DomidAny) addr.Src.DomainId = src.Id;
        // No domain may send on behalf of another.
        if (addr.Src.DomainId != src.Id) return -Errno.EPERM;

        Domain dst = hv.Lookup(addr.Dst.DomainId);
        if (dst == null) return -Errno.ESRCH;
        int rc = hv.Xsm.ArgoSend(src, dst);
        if (rc != 0) return rc;

        ArgoState state = ArgoState.Of(hv);
        if (state.For(src) == null) return -Errno.ENODEV;
        ArgoDomain target = state.For(dst);
        if (target == null) return -Errno.ECONNREFUSED;
        ArgoRing ring = target.FindByMatch(addr.Dst.Aport, src.Id);
        if (ring == null) return -Errno.ECONNREFUSED;

        uint len;
        rc = CountIovs(iovs, niov, out len);
        if (rc == 0)
        {
            rc = ring.Insert(v, addr.Src.Aport, iovs, niov, messageType, len);
            if (rc == -Errno.EAGAIN)
            {
                // Full now: ask to be signalled when this message fits.
                int q = ring.Requeue(src.Id, len);
                if (q != 0) rc = q;
            }
        }
        if (rc < 0) return rc;
        Virqs.SendDomain(dst, Virq.Argo);
        return len;
    }

    // Xen's iov_count: pads must be zero, each length and the total bounded by the largest message.
    static int CountIovs(ArgoIov* iovs, uint niov, out uint total)
    {
        total = 0;
        if (niov > ArgoAbi.MaxIov) return -Errno.EINVAL;
        uint sum = 0;
        for (uint i = 0; i < niov; i++)
        {
            if (iovs[i].Pad != 0) return -Errno.EINVAL;
            if (iovs[i].Len > ArgoAbi.MaxMessageSize) return -Errno.EINVAL;
            sum += iovs[i].Len;
            if (sum > ArgoAbi.MaxMessageSize) return -Errno.EMSGSIZE;
        }
        total = sum;
        return 0;
    }
}

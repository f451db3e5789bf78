using XenLite.Hv.Abi;
using XenLite.Hv.Common.Memory;
using XenLite.Hv.Dispatch;

namespace XenLite.Hv.Common.Grants;

/// <summary>
/// GNTTABOP_cache_flush (arm): clean/invalidate part of a frame the caller owns or has
/// mapped through a grant. The hosted machine has no caches, so the work is the checking.
/// </summary>
public static unsafe class GrantCacheFlush
{
    /// <summary>Xen scans at most this many grant entries per step when looking for the caller's mapping.</summary>
    const uint ScanStep = 1u << GnttabOp.ContinuationArgShift;

    public static long Batch(Vcpu v, ulong uop, ref uint cur, uint count)
    {
        for (uint i = 0; i < count; i++)
        {
            if (i != 0 && Continuation.PreemptCheck(v)) return i;
            if (GuestMemory.Read(v, uop + i * (ulong)sizeof(GnttabCacheFlush), out GnttabCacheFlush op) != 0) return -Errno.EFAULT;
            while (true)
            {
                int ret = One(v, in op, ref cur);
                if (ret < 0) return ret;
                if (ret == 0) break;
                if (Continuation.PreemptCheck(v)) return i;
            }
            cur = 0;
        }
        cur = 0;
        return 0;
    }

    /// <summary>0 when done, 1 when the grant scan must continue from <paramref name="cur"/>, or -errno.</summary>
    static int One(Vcpu v, in GnttabCacheFlush op, ref uint cur)
    {
        if (op.Offset >= Page.Size || op.Length > Page.Size || op.Offset + op.Length > (int)Page.Size ||
            (op.Op & ~(GnttabCache.Inval | GnttabCache.Clean)) != 0)
            return -Errno.EINVAL;
        if (op.Length == 0 || op.Op == 0) return cur == 0 ? 0 : -Errno.EILSEQ;
        MachineMemory mem = v.Hv.Memory;
        Mfn mfn = new Maddr(op.A).Frame;
        if (!mem.Contains(mfn)) return -Errno.EINVAL;
        Domain owner = v.Hv.Lookup(mem.OwnerOf(mfn));
        if (owner == null || owner.Grants == null || mem.RefCount(mfn) == 0) return -Errno.EPERM;
        if (owner == v.Domain) return 0;

        GrantTable gt = owner.Grants;
        uint end = cur + ScanStep < gt.NrEntries ? cur + ScanStep : gt.NrEntries;
        for (uint r = cur; r < end; r++)
        {
            ref ActiveGrant act = ref gt.Active(r);
            if (act.Pin != 0 && act.Domid == v.Domain.Id && act.Mfn == mfn.Value) return 0;
        }
        if (end < gt.NrEntries)
        {
            cur = end;
            return 1;
        }
        return -Errno.EINVAL;
    }
}

namespace XenLite.Hv.Common.Memory;

/// <summary>
/// Domain-heap pages with exact accounting: every frame a domain owns as RAM is counted in
/// its tot_pages from allocation until its last reference goes (Xen's assign_pages /
/// free_domheap_pages), and never beyond max_pages. Claims (XENMEM_claim_pages) reserve
/// free frames for one domain.
/// </summary>
public static class DomainPages
{
    /// <summary>A zeroed frame for <paramref name="d"/> below machine frame <paramref name="limit"/>; Mfn.Invalid when over max_pages or out of memory.</summary>
    public static Mfn Allocate(Domain d, ulong limit = ulong.MaxValue)
    {
        if (d.State == DomainState.Dying || d.TotPages >= d.MaxPages) return Mfn.Invalid;
        MachineMemory mem = d.Hv.Memory;
        // Frames claimed by other domains are not ours to take.
        ulong othersClaims = mem.OutstandingClaims - d.OutstandingPages;
        if (mem.FreeFrames <= othersClaims) return Mfn.Invalid;
        Mfn mfn = mem.AllocateDomHeap(d.Id, limit);
        if (!mfn.IsValid) return mfn;
        d.TotPages++;
        if (d.OutstandingPages != 0)
        {
            d.OutstandingPages--;
            mem.OutstandingClaims--;
        }
        return mfn;
    }

    /// <summary>An extent of 2^<paramref name="order"/> contiguous frames for <paramref name="d"/>; its base or Mfn.Invalid.</summary>
    public static Mfn AllocateExtent(Domain d, int order, ulong limit = ulong.MaxValue)
    {
        if (order == 0) return Allocate(d, limit);
        ulong count = 1UL << order;
        if (d.State == DomainState.Dying || d.TotPages + count > d.MaxPages) return Mfn.Invalid;
        MachineMemory mem = d.Hv.Memory;
        ulong othersClaims = mem.OutstandingClaims - d.OutstandingPages;
        if (mem.FreeFrames < othersClaims + count) return Mfn.Invalid;
        Mfn mfn = mem.AllocateDomHeapRun(d.Id, order, limit);
        if (!mfn.IsValid) return mfn;
        d.TotPages += count;
        ulong used = count < d.OutstandingPages ? count : d.OutstandingPages;
        d.OutstandingPages -= used;
        mem.OutstandingClaims -= used;
        return mfn;
    }

    /// <summary>Xen's get_page(page, d).</summary>
    public static bool Get(Domain d, Mfn mfn) => d.Hv.Memory.GetRef(mfn, d.Id);

    /// <summary>Xen's put_page: the last reference frees the frame and leaves its owner's tot_pages.</summary>
    public static void Put(Hypervisor hv, Mfn mfn)
    {
        MachineMemory mem = hv.Memory;
        if (mem.RefCount(mfn) == 0) return;
        if (mem.DropRef(mfn) != 0) return;
        if (mem.KindOf(mfn) == FrameKind.DomHeap)
        {
            Domain owner = hv.Lookup(mem.OwnerOf(mfn));
            if (owner != null && owner.TotPages != 0) owner.TotPages--;
        }
        mem.Free(mfn);
    }

    /// <summary>Xen's domain_set_outstanding_pages: 0 cancels; otherwise the claim must fit in free memory.</summary>
    public static int SetClaim(Domain d, ulong pages)
    {
        MachineMemory mem = d.Hv.Memory;
        if (pages == 0)
        {
            mem.OutstandingClaims -= d.OutstandingPages;
            d.OutstandingPages = 0;
            return 0;
        }
        // A domain may claim only once; it must cancel before claiming again.
        if (d.OutstandingPages != 0) return -Abi.Errno.EINVAL;
        // The claim is for what the domain does not have yet, within its max_pages.
        if (pages <= d.TotPages || pages > d.MaxPages) return -Abi.Errno.EINVAL;
        ulong need = pages - d.TotPages;
        if (need > mem.FreeFrames - mem.OutstandingClaims) return -Abi.Errno.ENOMEM;
        d.OutstandingPages = need;
        mem.OutstandingClaims += need;
        return 0;
    }
}

using XenLite.Hv.Abi;
using XenLite.Hv.Common.Memory;

namespace XenLite.Hv.Common.Grants;

/// <summary>
/// GNTTABOP_transfer (PV callers): the caller gives one of its pages to another domain that
/// offered a GTF_accept_transfer entry. The page leaves the caller first; when the transfer
/// then fails it is freed, as in Xen.
/// </summary>
public static unsafe class GrantTransfer
{
    public static short One(Vcpu v, ulong frame, ushort domid, uint gref)
    {
        Domain d = v.Domain;
        Hypervisor hv = v.Hv;
        MachineMemory mem = hv.Memory;
        Mfn mfn = Physmap.Resolve(d, frame, out P2mType type);
        if (type != P2mType.RamRw || !mfn.IsValid) return Gntst.BadPage;
        if (!Steal(d, mfn)) return Gntst.BadPage;
        Physmap.RemoveMfn(d, mfn);

        Domain e = hv.Lookup(domid);
        if (e == null) return Drop(mem, mfn, Gntst.BadDomain);
        if (hv.Xsm.GrantTransfer(d, e) != 0) return Drop(mem, mfn, Gntst.PermissionDenied);
        if (e.State == DomainState.Dying || e.TotPages >= e.MaxPages) return Drop(mem, mfn, Gntst.GeneralError);

        GrantTable egt = e.Grants;
        if (gref >= egt.NrEntries) return Drop(mem, mfn, Gntst.GeneralError);
        ushort* flags = egt.HeaderFlags(gref);
        if (*flags != Gtf.AcceptTransfer || egt.HeaderDomid(gref) != d.Id) return Drop(mem, mfn, Gntst.GeneralError);
        *flags |= Gtf.TransferCommitted;

        mem.SetOwner(mfn, e.Id);
        e.TotPages++;
        ulong gfn = egt.EntryFrame(gref);
        int rc = Physmap.IsTranslated(e) ? Physmap.AddOwn(e, new Gfn(gfn), mfn) : 0;
        if (!Physmap.IsTranslated(e))
        {
            if (egt.Version == 1) egt.V1(gref)->Frame = (uint)mfn.Value;
            else egt.V2(gref)->Frame = mfn.Value;
        }
        *flags |= Gtf.TransferCompleted;
        return rc == 0 ? Gntst.Okay : Gntst.GeneralError;
    }

    /// <summary>Xen's steal_page: only a page of d's RAM that nobody else references or types.</summary>
    static bool Steal(Domain d, Mfn mfn)
    {
        MachineMemory mem = d.Hv.Memory;
        if (mem.OwnerOf(mfn) != d.Id || mem.KindOf(mfn) != FrameKind.DomHeap) return false;
        if (mem.RefCount(mfn) != 1 || mem.TypeCount(mfn) != 0) return false;
        if (d.TotPages != 0) d.TotPages--;
        return true;
    }

    /// <summary>The stolen page had no taker: back to the free pool.</summary>
    static short Drop(MachineMemory mem, Mfn mfn, short status)
    {
        mem.Free(mfn);
        return status;
    }
}

using XenLite.Hv.Abi;
using XenLite.Hv.Common.Memory;

namespace XenLite.Hv.Common.Grants;

/// <summary>Finding the frame behind a grant: Xen's get_paged_frame and acquire/release_grant_for_copy.</summary>
public static unsafe class GrantFrames
{
    /// <summary>The granter's own RAM at <paramref name="gfn"/> (an MFN for PV granters), with a reference taken; GNTST_bad_page otherwise.</summary>
    public static short GetPaged(Domain rd, ulong gfn, out Mfn mfn)
    {
        mfn = Physmap.Resolve(rd, gfn, out P2mType type);
        if (type != P2mType.RamRw || !mfn.IsValid || !DomainPages.Get(rd, mfn))
        {
            mfn = Mfn.Invalid;
            return Gntst.BadPage;
        }
        return Gntst.Okay;
    }

    /// <summary>
    /// Pins grant <paramref name="gref"/> of <paramref name="rd"/> for a copy by domain
    /// <paramref name="ldom"/> and takes a reference on its frame. Transitive grants are
    /// refused (as Xen with gnttab=transitive:0).
    /// </summary>
    public static short AcquireForCopy(Domain rd, uint gref, ushort ldom, bool ro, out Mfn mfn, out ushort start, out ushort length)
    {
        mfn = Mfn.Invalid;
        start = 0;
        length = 0;
        GrantTable rgt = rd.Grants;
        uint pinIncr = ro ? GrantTable.PinHostRead : GrantTable.PinHostWrite;
        if (gref >= rgt.NrEntries) return Gntst.BadGntref;
        ref ActiveGrant act = ref rgt.Active(gref);
        if (act.Pin != 0 && (act.Domid != ldom || GrantTable.WouldOverflow(act.Pin, pinIncr))) return Gntst.GeneralError;

        ushort flags = *rgt.HeaderFlags(gref);
        if (rgt.Version == 2 && (flags & Gtf.TypeMask) == Gtf.Transitive)
        {
            short rc = Gntst.Okay;
            if (act.Pin == 0 || (!ro && (act.Pin & GrantTable.PinWriteMask) == 0))
                rc = rgt.SetStatus(gref, act.Pin, ro, false, ldom);
            if (rc == Gntst.Okay) rgt.ReduceStatusForPin(gref, ro);
            return Gntst.GeneralError;
        }
        if (act.Pin == 0 || (!ro && (act.Pin & GrantTable.PinWriteMask) == 0))
        {
            short rc = rgt.SetStatus(gref, act.Pin, ro, false, ldom);
            if (rc != Gntst.Okay) return rc;
            ulong frame = rgt.EntryFrame(gref);
            bool subPage = rgt.Version == 2 && (flags & Gtf.SubPage) != 0;
            ushort off = subPage ? rgt.V2(gref)->PageOff : (ushort)0;
            ushort len = subPage ? rgt.V2(gref)->Length : (ushort)0x1000;
            rc = GetPaged(rd, frame, out Mfn got);
            if (rc != Gntst.Okay)
            {
                rgt.ReduceStatusForPin(gref, ro);
                return rc;
            }
            if (act.Pin == 0)
            {
                act.Domid = ldom;
                act.SubPage = subPage;
                act.Start = off;
                act.Length = len;
                act.Mfn = got.Value;
            }
            else if (act.Mfn != got.Value || (act.SubPage && (!subPage || act.Start != off || act.Length != len)))
            {
                DomainPages.Put(rd.Hv, got);
                rgt.ReduceStatusForPin(gref, ro);
                return Gntst.GeneralError;
            }
        }
        else if (!DomainPages.Get(rd, new Mfn(act.Mfn)) || rd.State == DomainState.Dying)
        {
            return Gntst.BadDomain;
        }
        act.Pin += pinIncr;
        start = act.Start;
        length = act.Length;
        mfn = new Mfn(act.Mfn);
        return Gntst.Okay;
    }

    /// <summary>Undoes <see cref="AcquireForCopy"/>'s pin (the caller drops the frame reference).</summary>
    public static void ReleaseForCopy(Domain rd, uint gref, bool ro)
    {
        GrantTable rgt = rd.Grants;
        ref ActiveGrant act = ref rgt.Active(gref);
        act.Pin -= ro ? GrantTable.PinHostRead : GrantTable.PinHostWrite;
        rgt.ReduceStatusForPin(gref, ro);
    }
}

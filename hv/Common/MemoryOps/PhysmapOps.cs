using XenLite.Hv.Abi;
using XenLite.Hv.Common.Memory;
using XenLite.Hv.Dispatch;

namespace XenLite.Hv.Common.MemoryOps;

/// <summary>
/// add_to_physmap, add_to_physmap_batch and remove_from_physmap: translated guests place
/// shared-info and grant-table frames, move their own frames, and (privileged) map foreign
/// ones. PV guests manage their own physical map: -EACCES.
/// </summary>
public static class PhysmapOps
{
    const ulong InvalidGfn = ulong.MaxValue;

    public static long AddToPhysmap(Vcpu v, ulong start, ulong arg, bool compat)
    {
        if (start != (ushort)start) return -Errno.EDOM;
        XenAddToPhysmap x;
        if (compat)
        {
            if (GuestMemory.Read(v, arg, out XenAddToPhysmapCompat c) != 0) return -Errno.EFAULT;
            x = new XenAddToPhysmap { DomId = c.DomId, Size = c.Size, Space = c.Space, Idx = c.Idx, Gpfn = c.Gpfn == uint.MaxValue ? InvalidGfn : c.Gpfn };
        }
        else if (GuestMemory.Read(v, arg, out x) != 0) return -Errno.EFAULT;
        if (x.Space == XenMapSpace.GmfnForeign) return -Errno.ENOSYS;
        Domain d = v.Hv.LookupOrSelf(v, x.DomId);
        if (d == null) return -Errno.ESRCH;
        int rc = PermissionCheck(v, d, x.Space);
        if (rc != 0) return rc;
        if (x.Gpfn == InvalidGfn) return -Errno.EINVAL;
        if (x.Space != XenMapSpace.GmfnRange) return AddOne(v, d, x.Space, 0, x.Idx, x.Gpfn);

        long r = AddRange(v, d, ref x, (uint)start);
        if (r > 0) return MemoryOp.Continue(v, XenMem.AddToPhysmap, (ulong)r, arg);
        return r;
    }

    static int PermissionCheck(Vcpu v, Domain d, uint space)
    {
        if (!Physmap.IsTranslated(d)) return -Errno.EACCES;
        if (space == XenMapSpace.DevMmio && (!d.IsHardware || d != v.Domain)) return -Errno.EACCES;
        return v.Hv.Xsm.AddToPhysmap(v.Domain, d);
    }

    /// <summary>Xen's xenmem_add_to_physmap for gmfn_range: size frames from idx to gpfn, backwards when the ranges overlap upwards.</summary>
    static long AddRange(Vcpu v, Domain d, ref XenAddToPhysmap x, uint start)
    {
        if (x.Size < start) return -Errno.EILSEQ;
        if (x.Gpfn + x.Size < x.Gpfn || x.Idx + x.Size < x.Idx) return -Errno.EOVERFLOW;
        long adjust = 1;
        uint size = x.Size;
        ulong idx = x.Idx, gpfn = x.Gpfn;
        if (gpfn > idx && gpfn < idx + size)
        {
            adjust = -1;
            idx += size - start - 1u;
            gpfn += size - start - 1u;
        }
        else
        {
            idx += start;
            gpfn += start;
        }
        uint todo = size - start;
        uint done = 0;
        while (todo > done)
        {
            int rc = AddOne(v, d, XenMapSpace.Gmfn, 0, idx, gpfn);
            if (rc < 0) return rc;
            idx = (ulong)((long)idx + adjust);
            gpfn = (ulong)((long)gpfn + adjust);
            if (todo > ++done && Continuation.PreemptCheck(v)) return start + done;
        }
        return 0;
    }

    /// <summary>Xen's xenmem_add_to_physmap_one.</summary>
    static int AddOne(Vcpu v, Domain d, uint space, ushort foreignDom, ulong idx, ulong gpfn)
    {
        MachineMemory mem = v.Hv.Memory;
        Mfn mfn = Mfn.Invalid;
        bool gotRef = false;
        switch (space)
        {
            case XenMapSpace.SharedInfo:
                return idx == 0 ? MapSharedInfo(d, new Gfn(gpfn)) : -Errno.EINVAL;
            case XenMapSpace.GrantTable:
            {
                int rc = GrantFrame(d, idx, out mfn);
                if (rc != 0) return rc;
                break;
            }
            case XenMapSpace.Gmfn:
            {
                P2mType t = d.P2m.TypeOf(new Gfn(idx));
                if (t != P2mType.RamRw) return -Errno.EACCES;
                mfn = d.P2m.Lookup(new Gfn(idx));
                if (!DomainPages.Get(d, mfn)) mfn = Mfn.Invalid;
                else gotRef = true;
                break;
            }
            case XenMapSpace.GmfnForeign:
                return AddForeign(v, d, idx, gpfn, foreignDom);
        }
        if (!mfn.IsValid) return -Errno.EINVAL;

        int result = 0;
        var gfn = new Gfn(gpfn);
        ulong oldGfn = mem.GfnOf(mfn);
        if (space == XenMapSpace.Gmfn && oldGfn != idx) result = -Errno.EXDEV;
        if (result == 0) result = ClearSlot(d, gfn, mfn);
        if (result == 0) result = Physmap.AddOwn(d, gfn, mfn);
        if (gotRef) DomainPages.Put(d.Hv, mfn);
        return result;
    }

    /// <summary>What sits at <paramref name="gfn"/> goes first: a Xen-shared frame is unhooked, RAM is given back.</summary>
    static int ClearSlot(Domain d, Gfn gfn, Mfn incoming)
    {
        Mfn prev = d.P2m.Lookup(gfn);
        if (!prev.IsValid || prev.Value == incoming.Value) return 0;
        MachineMemory mem = d.Hv.Memory;
        if (d.P2m.TypeOf(gfn) == P2mType.RamRw && mem.KindOf(prev) == FrameKind.Xen)
        {
            Physmap.Remove(d, gfn);
            return 0;
        }
        return Physmap.GuestRemovePage(d, gfn.Value);
    }

    /// <summary>shared_info belongs to the event-channel code (Domain.SharedInfo); the slot is cleared here first, so RAM there is released with its references.</summary>
    static int MapSharedInfo(Domain d, Gfn gfn)
    {
        if (d.SharedInfo == null) return -Errno.EINVAL;
        Mfn frame = d.SharedInfo.Frame;
        int rc = ClearSlot(d, gfn, frame);
        if (rc == 0) rc = d.SharedInfo.MapAt(gfn);
        if (rc == 0) d.Hv.Memory.SetGfn(frame, gfn.Value);
        return rc;
    }

    /// <summary>Xen's gnttab_map_frame_begin: shared frame idx (growing the table), or a v2 status frame.</summary>
    static int GrantFrame(Domain d, ulong idx, out Mfn mfn)
    {
        mfn = Mfn.Invalid;
        Grants.GrantTable gt = d.Grants;
        if (gt.Version == 2 && (idx & XenMapSpace.GrantTableStatusIdx) != 0)
        {
            idx &= ~XenMapSpace.GrantTableStatusIdx;
            int rc = AcquireResource.StatusFrame(gt, idx, out mfn);
            return rc;
        }
        return AcquireResource.SharedFrame(gt, idx, out mfn);
    }

    /// <summary>Xen's p2m_add_foreign: a privileged domain maps another domain's RAM frame.</summary>
    static int AddForeign(Vcpu v, Domain d, ulong fgfn, ulong gpfn, ushort foreignDom)
    {
        Domain f = v.Hv.Lookup(foreignDom);
        if (f == null) return -Errno.ESRCH;
        if (f == v.Domain) return -Errno.EPERM;
        if (f == d) return -Errno.EINVAL;
        int rc = v.Hv.Xsm.MapGmfnForeign(d, f);
        if (rc != 0) return rc;
        Mfn mfn = Physmap.Resolve(f, fgfn, out P2mType type);
        if (type != P2mType.RamRw || !mfn.IsValid || !DomainPages.Get(f, mfn)) return -Errno.EINVAL;
        rc = ClearSlot(d, new Gfn(gpfn), Mfn.Invalid);
        if (rc == 0) rc = Physmap.AddForeign(d, new Gfn(gpfn), mfn, P2mType.Foreign);
        // On success the mapping keeps the reference just taken (set_foreign_p2m_entry's own).
        if (rc != 0) DomainPages.Put(v.Hv, mfn);
        return rc;
    }

    public static long AddToPhysmapBatch(Vcpu v, ulong start, ulong arg, bool compat)
    {
        if (start != (ushort)start) return -Errno.EDOM;
        XenAddToPhysmapBatch b;
        if (compat)
        {
            if (GuestMemory.Read(v, arg, out XenAddToPhysmapBatchCompat c) != 0) return -Errno.EFAULT;
            b = new XenAddToPhysmapBatch { DomId = c.DomId, Space = c.Space, Size = c.Size, ForeignDomId = c.ForeignDomId, Idxs = c.Idxs, Gpfns = c.Gpfns, Errs = c.Errs };
        }
        else if (GuestMemory.Read(v, arg, out b) != 0) return -Errno.EFAULT;
        if (b.Space == XenMapSpace.GmfnRange) return -Errno.EOPNOTSUPP;
        Domain d = v.Hv.LookupOrSelf(v, b.DomId);
        if (d == null) return -Errno.ESRCH;
        int rc = PermissionCheck(v, d, b.Space);
        if (rc != 0) return rc;

        uint extent = (uint)start;
        if (b.Size < extent) return -Errno.EILSEQ;
        if (b.Size == extent) return extent != 0 ? -Errno.EILSEQ : 0;
        uint width = GuestArray.Width(compat);
        if (!GuestArray.SubrangeOkay(v, b.Idxs, extent, b.Size - 1u, width) ||
            !GuestArray.SubrangeOkay(v, b.Gpfns, extent, b.Size - 1u, width) ||
            !GuestArray.SubrangeOkay(v, b.Errs, extent, b.Size - 1u, 4))
            return -Errno.EFAULT;
        if (b.Space == XenMapSpace.DevMmio && b.ForeignDomId != 0) return -Errno.EOPNOTSUPP;
        ushort foreign = b.Space == XenMapSpace.GmfnForeign ? b.ForeignDomId : (ushort)0;

        while (b.Size > extent)
        {
            if (GuestArray.Read(v, b.Idxs, extent, width, out ulong idx) != 0 ||
                GuestArray.Read(v, b.Gpfns, extent, width, out ulong gpfn) != 0)
                return -Errno.EFAULT;
            if (compat && gpfn == uint.MaxValue) gpfn = InvalidGfn;
            if (gpfn == InvalidGfn) return -Errno.EINVAL;
            int one = AddOne(v, d, b.Space, foreign, idx, gpfn);
            if (GuestArray.Write(v, b.Errs, extent, 4, (uint)one) != 0) return -Errno.EFAULT;
            if (b.Size > ++extent && Continuation.PreemptCheck(v))
                return MemoryOp.Continue(v, XenMem.AddToPhysmapBatch, extent, arg);
        }
        return 0;
    }

    public static long RemoveFromPhysmap(Vcpu v, ulong arg, bool compat)
    {
        ulong gpfn;
        ushort domid;
        if (compat)
        {
            if (GuestMemory.Read(v, arg, out XenRemoveFromPhysmapCompat c) != 0) return -Errno.EFAULT;
            gpfn = c.Gpfn; domid = c.DomId;
        }
        else
        {
            if (GuestMemory.Read(v, arg, out XenRemoveFromPhysmap x) != 0) return -Errno.EFAULT;
            gpfn = x.Gpfn; domid = x.DomId;
        }
        Domain d = v.Hv.LookupOrSelf(v, domid);
        if (d == null) return -Errno.ESRCH;
        int rc = Physmap.IsTranslated(d) ? v.Hv.Xsm.RemoveFromPhysmap(v.Domain, d) : -Errno.EACCES;
        if (rc != 0) return rc;
        var gfn = new Gfn(gpfn);
        P2mType type = d.P2m.TypeOf(gfn);
        Mfn mfn = d.P2m.Lookup(gfn);
        switch (type)
        {
            case P2mType.RamRw:
                // The frame leaves the map but stays the domain's (and in its tot_pages), as in Xen.
                Physmap.Remove(d, gfn);
                return 0;
            case P2mType.Foreign:
                Physmap.Remove(d, gfn);
                DomainPages.Put(v.Hv, mfn);
                return 0;
            default:
                // Empty slots, and grant mappings, which only GNTTABOP_unmap_grant_ref may undo.
                return -Errno.ENOENT;
        }
    }
}

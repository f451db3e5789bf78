using XenLite.Hv.Abi;
using XenLite.Hv.Common.Grants;
using XenLite.Hv.Common.Memory;
using XenLite.Hv.Dispatch;

namespace XenLite.Hv.Common.MemoryOps;

/// <summary>
/// XENMEM_acquire_resource: a device model or toolstack maps another domain's grant-table
/// frames (shared or v2 status). PV callers get the MFNs; translated callers pass gfns that
/// become foreign mappings. No ioreq servers or vmtrace buffers exist here.
/// </summary>
public static class AcquireResource
{
    const uint Batch = 32;

    public static long Handle(Vcpu v, ulong start, ulong arg, bool compat)
    {
        XenMemAcquireResource x;
        if (compat)
        {
            if (GuestMemory.Read(v, arg, out XenMemAcquireResourceCompat c) != 0) return -Errno.EFAULT;
            x = new XenMemAcquireResource { DomId = c.DomId, Type = c.Type, Id = c.Id, NrFrames = c.NrFrames, Pad = c.Pad, Frame = c.Frame, FrameList = c.FrameList };
        }
        else if (GuestMemory.Read(v, arg, out x) != 0) return -Errno.EFAULT;
        if (x.Pad != 0) return -Errno.EINVAL;
        if ((x.Frame >> 32) != 0 || ((x.Frame + x.NrFrames) >> 32) != 0) return -Errno.EINVAL;

        Domain d = v.Hv.Lookup(x.DomId);
        if (d == null) return -Errno.ESRCH;
        if (d == v.Domain) return -Errno.EPERM;
        int rc = v.Hv.Xsm.DomainResourceMap(v.Domain, d);
        if (rc != 0) return rc;
        uint max = MaxFrames(d, x.Type, x.Id);
        if (max == 0) return -Errno.EINVAL;

        if (x.FrameList == 0)
        {
            if (x.NrFrames != 0 || start != 0) return -Errno.EINVAL;
            return GuestMemory.Write(v, arg + 8, in max) != 0 ? -Errno.EFAULT : 0;
        }
        if (start >= x.NrFrames || x.NrFrames > (uint.MaxValue >> XenMem.ExtentShift)) return -Errno.EINVAL;

        uint width = GuestArray.Width(compat);
        ulong left = x.NrFrames - start;
        ulong frame = x.Frame + start;
        ulong list = x.FrameList + start * width;
        while (left != 0)
        {
            uint todo = left < Batch ? (uint)left : Batch;
            for (uint i = 0; i < todo; i++)
            {
                rc = FrameOf(d, x.Type, x.Id, frame + i, frame + todo - 1, out Mfn mfn);
                if (rc != 0) return rc;
                rc = Deliver(v, d, list, i, width, mfn);
                if (rc != 0) return i != 0 && rc != -Errno.EFAULT ? -Errno.EIO : rc;
            }
            left -= todo;
            frame += todo;
            list += (ulong)todo * width;
            start += todo;
            if (left != 0 && Continuation.PreemptCheck(v)) return MemoryOp.Continue(v, XenMem.AcquireResource, start, arg);
        }
        return 0;
    }

    /// <summary>Xen's resource_max_frames (0 = no such resource).</summary>
    static uint MaxFrames(Domain d, ushort type, uint id)
    {
        if (type != XenMemResource.GrantTable) return 0;
        return id switch
        {
            XenMemResource.GrantTableIdShared => d.Grants.MaxFrames,
            XenMemResource.GrantTableIdStatus => GrantTable.StatusFramesFor(d.Grants.MaxFrames),
            _ => 0,
        };
    }

    static int FrameOf(Domain d, ushort type, uint id, ulong frame, ulong finalFrame, out Mfn mfn)
    {
        mfn = Mfn.Invalid;
        GrantTable gt = d.Grants;
        // Grow first so the whole batch exists, as gnttab_acquire_resource does.
        int rc = id == XenMemResource.GrantTableIdShared ? SharedFrame(gt, finalFrame, out _) : StatusFrame(gt, finalFrame, out _);
        if (rc != 0) return rc;
        return id == XenMemResource.GrantTableIdShared ? SharedFrame(gt, frame, out mfn) : StatusFrame(gt, frame, out mfn);
    }

    /// <summary>Xen's gnttab_get_shared_frame_mfn: grows the table to include idx when allowed.</summary>
    public static int SharedFrame(GrantTable gt, ulong idx, out Mfn mfn)
    {
        mfn = Mfn.Invalid;
        if (idx >= gt.NrFrames)
        {
            if (idx + 1 <= gt.MaxFrames) gt.Grow((uint)idx + 1);
            if (idx >= gt.NrFrames) return -Errno.EINVAL;
        }
        mfn = gt.SharedFrame((uint)idx);
        return 0;
    }

    /// <summary>Xen's gnttab_get_status_frame_mfn: v2 only; grows the table to include idx when allowed.</summary>
    public static int StatusFrame(GrantTable gt, ulong idx, out Mfn mfn)
    {
        mfn = Mfn.Invalid;
        if (gt.Version != 2) return -Errno.EINVAL;
        if (idx >= gt.NrStatusFrames)
        {
            ulong nrGrant = ((idx + 1) * Gnttab.StatusPerPage + Gnttab.V2PerPage - 1) / Gnttab.V2PerPage;
            if (nrGrant <= gt.MaxFrames) gt.Grow((uint)nrGrant);
            if (idx >= gt.NrStatusFrames) return -Errno.EINVAL;
        }
        mfn = gt.StatusFrame((uint)idx);
        return 0;
    }

    /// <summary>PV: writes the MFN; translated: maps it at the gfn the caller listed (Xen's set_foreign_p2m_entry).</summary>
    static int Deliver(Vcpu v, Domain d, ulong list, uint i, uint width, Mfn mfn)
    {
        Domain caller = v.Domain;
        if (!Physmap.IsTranslated(caller)) return GuestArray.Write(v, list, i, width, mfn.Value) != 0 ? -Errno.EFAULT : 0;
        if (GuestArray.Read(v, list, i, width, out ulong gfn) != 0) return -Errno.EFAULT;
        var g = new Gfn(gfn);
        P2mType old = caller.P2m.TypeOf(g);
        if (old == P2mType.Foreign && caller.P2m.Lookup(g).Value == mfn.Value) return 0;
        if (old != P2mType.Invalid && old != P2mType.RamRw) return -Errno.EBUSY;
        if (!DomainPages.Get(d, mfn)) return -Errno.EINVAL;
        int rc = Physmap.AddForeign(caller, g, mfn, P2mType.Foreign);
        if (rc != 0) DomainPages.Put(v.Hv, mfn);
        return rc;
    }
}

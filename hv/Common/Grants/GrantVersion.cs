using XenLite.Hv.Abi;
using XenLite.Hv.Common.Memory;
using XenLite.Hv.Common.MemoryOps;

namespace XenLite.Hv.Common.Grants;

/// <summary>GNTTABOP_set_version, get_version and get_status_frames.</summary>
public static unsafe class GrantVersion
{
    /// <summary>
    /// Switches the caller's table between v1 and v2. Only the 8 reserved entries may be in
    /// use; they survive the switch, everything else is cleared. The version in force is
    /// always written back.
    /// </summary>
    public static long Set(Vcpu v, ulong uop)
    {
        if (GuestMemory.Read(v, uop, out GnttabSetVersion op) != 0) return -Errno.EFAULT;
        GrantTable gt = v.Domain.Grants;
        long res = Switch(gt, op.Version);
        op.Version = gt.Version;
        if (GuestMemory.Write(v, uop, in op) != 0) res = -Errno.EFAULT;
        return res;
    }

    static long Switch(GrantTable gt, uint version)
    {
        if (version != 1 && version != 2) return -Errno.EINVAL;
        if (version == 2 && gt.MaxVersion == 1) return -Errno.ENOSYS;
        if (gt.Version == version) return 0;
        for (uint i = Gnttab.NrReservedEntries; i < gt.NrEntries; i++)
            if (gt.Active(i).Pin != 0) return -Errno.EBUSY;

        if (gt.Version == 1)
        {
            if (gt.PopulateStatus(gt.NrFrames) != 0) return -Errno.ENOMEM;
        }
        else
        {
            for (uint i = 0; i < Gnttab.NrReservedEntries; i++)
            {
                GrantEntryV2* e = gt.V2(i);
                uint type = (uint)(e->Flags & Gtf.TypeMask);
                if (type == Gtf.Transitive || (type == Gtf.PermitAccess && (e->Frame >> 32) != 0)) return -Errno.ERANGE;
            }
        }

        // Keep the reserved entries in v1 form while the frames are wiped.
        var keep = stackalloc GrantEntryV1[(int)Gnttab.NrReservedEntries];
        for (uint i = 0; i < Gnttab.NrReservedEntries; i++)
        {
            if (gt.Version == 1)
            {
                keep[i] = *gt.V1(i);
                continue;
            }
            GrantEntryV2* e = gt.V2(i);
            keep[i] = (e->Flags & Gtf.TypeMask) == Gtf.PermitAccess
                ? new GrantEntryV1 { Flags = (ushort)(e->Flags | *gt.Status(i)), DomId = e->DomId, Frame = (uint)e->Frame }
                : default;
        }
        if (version < 2 && gt.Version == 2)
        {
            int rc = gt.UnpopulateStatus();
            if (rc != 0) return rc;
        }
        MachineMemory mem = gt.Domain.Hv.Memory;
        for (uint f = 0; f < gt.NrFrames; f++)
        {
            ulong* p = (ulong*)mem.Map(gt.SharedFrame(f));
            for (int k = 0; k < (int)(Page.Size / 8); k++) p[k] = 0;
        }
        gt.Version = version;
        for (uint i = 0; i < Gnttab.NrReservedEntries; i++)
        {
            if (version == 1)
            {
                *gt.V1(i) = keep[i];
                continue;
            }
            *gt.Status(i) = (ushort)(keep[i].Flags & (Gtf.Reading | Gtf.Writing));
            GrantEntryV2* e = gt.V2(i);
            e->Flags = (ushort)(keep[i].Flags & ~(Gtf.Reading | Gtf.Writing));
            e->DomId = keep[i].DomId;
            e->Frame = keep[i].Frame;
        }
        return 0;
    }

    public static long Get(Vcpu v, ulong uop)
    {
        if (GuestMemory.Read(v, uop, out GnttabGetVersion op) != 0) return -Errno.EFAULT;
        Domain d = v.Hv.LookupOrSelf(v, op.Dom);
        if (d == null) return -Errno.ESRCH;
        int rc = v.Hv.Xsm.GrantQuerySize(v.Domain, d);
        if (rc != 0) return rc;
        uint version = d.Grants.Version;
        return GuestMemory.Write(v, uop + 4, in version) != 0 ? -Errno.EFAULT : 0;
    }

    /// <summary>Lists the v2 status frames (uint64_t entries for every caller).</summary>
    public static long GetStatusFrames(Vcpu v, ulong uop, uint count, bool compat)
    {
        if (count != 1) return -Errno.EINVAL;
        GnttabGetStatusFrames op;
        if (compat)
        {
            if (GuestMemory.Read(v, uop, out GnttabGetStatusFramesCompat c) != 0) return -Errno.EFAULT;
            op = new GnttabGetStatusFrames { NrFrames = c.NrFrames, Dom = c.Dom, FrameList = c.FrameList };
        }
        else if (GuestMemory.Read(v, uop, out op) != 0) return -Errno.EFAULT;
        if (!GuestMemory.RangeOkay(v, op.FrameList, (ulong)op.NrFrames * 8)) return -Errno.EFAULT;

        Domain d = v.Hv.LookupOrSelf(v, op.Dom);
        if (d == null) op.Status = Gntst.BadDomain;
        else if (v.Hv.Xsm.GrantSetup(v.Domain, d) != 0) op.Status = Gntst.PermissionDenied;
        else if (op.NrFrames > d.Grants.NrStatusFrames) op.Status = Gntst.GeneralError;
        else
        {
            op.Status = Gntst.Okay;
            for (uint i = 0; i < op.NrFrames; i++)
            {
                ulong frame = d.Grants.GuestFrameOf(d.Grants.StatusFrame(i));
                if (GuestArray.Write(v, op.FrameList, i, 8, frame) != 0)
                {
                    op.Status = Gntst.BadVirtAddr;
                    break;
                }
            }
        }
        return GuestMemory.Write(v, uop + 6, in op.Status) != 0 ? -Errno.EFAULT : 0;
    }
}

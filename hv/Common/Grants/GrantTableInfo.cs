using XenLite.Hv.Abi;
using XenLite.Hv.Common.Memory;
using XenLite.Hv.Common.MemoryOps;

namespace XenLite.Hv.Common.Grants;

/// <summary>GNTTABOP_setup_table, query_size and swap_grant_ref.</summary>
public static unsafe class GrantTableInfo
{
    /// <summary>Grows the table to nr_frames and lists its frames (gfns for translated guests, MFNs for PV).</summary>
    public static long SetupTable(Vcpu v, ulong uop, uint count, bool compat)
    {
        if (count != 1) return -Errno.EINVAL;
        GnttabSetupTable op;
        if (compat)
        {
            if (GuestMemory.Read(v, uop, out GnttabSetupTableCompat c) != 0) return -Errno.EFAULT;
            op = new GnttabSetupTable { Dom = c.Dom, NrFrames = c.NrFrames, FrameList = c.FrameList };
        }
        else if (GuestMemory.Read(v, uop, out op) != 0) return -Errno.EFAULT;
        uint width = GuestArray.Width(compat);
        if (!GuestMemory.RangeOkay(v, op.FrameList, (ulong)op.NrFrames * width)) return -Errno.EFAULT;

        op.Status = Fill(v, ref op, width, compat);
        return GuestMemory.Write(v, uop + 8, in op.Status) != 0 ? -Errno.EFAULT : 0;
    }

    static short Fill(Vcpu v, ref GnttabSetupTable op, uint width, bool compat)
    {
        Domain d = v.Hv.LookupOrSelf(v, op.Dom);
        if (d == null) return Gntst.BadDomain;
        if (v.Hv.Xsm.GrantSetup(v.Domain, d) != 0) return Gntst.PermissionDenied;
        GrantTable gt = d.Grants;
        if (op.NrFrames > gt.MaxFrames) return Gntst.GeneralError;
        if ((op.NrFrames > gt.NrFrames || (gt.Version > 1 && GrantTable.StatusFramesFor(op.NrFrames) > gt.NrStatusFrames))
            && gt.Grow(op.NrFrames) != 0)
            return Gntst.GeneralError;
        for (uint i = 0; i < op.NrFrames; i++)
        {
            ulong frame = gt.GuestFrameOf(gt.SharedFrame(i));
            // A 32-bit guest cannot be told a frame number above 32 bits (INVALID_GFN included).
            if (compat && frame > uint.MaxValue) return Gntst.AddressTooBig;
            if (GuestArray.Write(v, op.FrameList, i, width, frame) != 0) return Gntst.BadVirtAddr;
        }
        return Gntst.Okay;
    }

    public static long QuerySize(Vcpu v, ulong uop, uint count)
    {
        if (count != 1) return -Errno.EINVAL;
        if (GuestMemory.Read(v, uop, out GnttabQuerySize op) != 0) return -Errno.EFAULT;
        Domain d = v.Hv.LookupOrSelf(v, op.Dom);
        if (d == null) op.Status = Gntst.BadDomain;
        else if (v.Hv.Xsm.GrantQuerySize(v.Domain, d) != 0) op.Status = Gntst.PermissionDenied;
        else
        {
            op.NrFrames = d.Grants.NrFrames;
            op.MaxNrFrames = d.Grants.MaxFrames;
            op.Status = Gntst.Okay;
        }
        return GuestMemory.Write(v, uop, in op) != 0 ? -Errno.EFAULT : 0;
    }

    /// <summary>Swaps two of the caller's own entries (and their v2 status); refused while either is in use.</summary>
    public static short Swap(Domain d, uint a, uint b)
    {
        GrantTable gt = d.Grants;
        if (a >= gt.NrEntries || b >= gt.NrEntries) return Gntst.BadGntref;
        if (a == b) return Gntst.Okay;
        if (gt.Active(a).Pin != 0 || gt.Active(b).Pin != 0) return Gntst.Eagain;
        if (gt.Version == 1)
        {
            GrantEntryV1 t = *gt.V1(a);
            *gt.V1(a) = *gt.V1(b);
            *gt.V1(b) = t;
        }
        else
        {
            GrantEntryV2 t = *gt.V2(a);
            *gt.V2(a) = *gt.V2(b);
            *gt.V2(b) = t;
            ushort s = *gt.Status(a);
            *gt.Status(a) = *gt.Status(b);
            *gt.Status(b) = s;
        }
        return Gntst.Okay;
    }
}

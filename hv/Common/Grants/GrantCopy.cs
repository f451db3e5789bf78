using XenLite.Hv.Abi;
using XenLite.Hv.Common.Memory;

namespace XenLite.Hv.Common.Grants;

/// <summary>
/// GNTTABOP_copy for one operation: each side is a grant of that domain (flag set) or, for
/// DOMID_SELF only, one of the caller's own frames. The copy must stay inside one page and
/// inside the granted part of it.
/// </summary>
public static unsafe class GrantCopy
{
    struct Side
    {
        public Domain Domain;
        public Mfn Mfn;
        public ushort Start, Length;
        public bool HaveGrant, HaveType, HaveRef;
        public uint Ref;
    }

    public static short One(Vcpu v, in GnttabCopy op)
    {
        if (op.Len == 0) return Gntst.Okay;
        bool srcGref = (op.Flags & GntCopy.SourceGref) != 0;
        bool dstGref = (op.Flags & GntCopy.DestGref) != 0;
        Side src = default, dst = default;
        short rc = Lock(v, op.SourceDomId, srcGref, out src.Domain);
        if (rc == Gntst.Okay) rc = Lock(v, op.DestDomId, dstGref, out dst.Domain);
        if (rc == Gntst.Okay && v.Hv.Xsm.GrantCopy(src.Domain, dst.Domain) != 0) rc = Gntst.PermissionDenied;
        if (rc != Gntst.Okay) return rc;

        rc = Claim(v, ref src, op.SourceU, srcGref, true);
        if (rc == Gntst.Okay) rc = Claim(v, ref dst, op.DestU, dstGref, false);
        if (rc == Gntst.Okay) rc = CopyBytes(in op, in src, in dst);
        Release(v, ref dst, false);
        Release(v, ref src, true);
        return rc;
    }

    static short Lock(Vcpu v, ushort domid, bool isGref, out Domain d)
    {
        d = null;
        if (domid != DomainIds.Self && !isGref) return Gntst.PermissionDenied;
        d = v.Hv.LookupOrSelf(v, domid);
        return d == null ? Gntst.BadDomain : Gntst.Okay;
    }

    static short Claim(Vcpu v, ref Side s, ulong u, bool isGref, bool readOnly)
    {
        short rc;
        if (isGref)
        {
            rc = GrantFrames.AcquireForCopy(s.Domain, (uint)u, v.Domain.Id, readOnly, out s.Mfn, out s.Start, out s.Length);
            if (rc != Gntst.Okay) return rc;
            s.HaveGrant = true;
            s.Ref = (uint)u;
        }
        else
        {
            rc = GrantFrames.GetPaged(s.Domain, u, out s.Mfn);
            if (rc != Gntst.Okay) return rc;
            s.Start = 0;
            s.Length = (ushort)0x1000;
        }
        s.HaveRef = true;
        if (!readOnly)
        {
            if (!v.Hv.Memory.GetWritableType(s.Mfn)) return Gntst.GeneralError;
            s.HaveType = true;
        }
        return Gntst.Okay;
    }

    static void Release(Vcpu v, ref Side s, bool readOnly)
    {
        if (s.HaveGrant) GrantFrames.ReleaseForCopy(s.Domain, s.Ref, readOnly);
        if (s.HaveType) v.Hv.Memory.PutWritableType(s.Mfn);
        if (s.HaveRef) DomainPages.Put(v.Hv, s.Mfn);
    }

    static short CopyBytes(in GnttabCopy op, in Side src, in Side dst)
    {
        if (op.SourceOffset + op.Len > (int)Page.Size || op.DestOffset + op.Len > (int)Page.Size) return Gntst.BadCopyArg;
        if (op.SourceOffset < src.Start || op.SourceOffset + op.Len > src.Start + src.Length) return Gntst.GeneralError;
        if (op.DestOffset < dst.Start || op.DestOffset + op.Len > dst.Start + dst.Length) return Gntst.GeneralError;
        MachineMemory mem = src.Domain.Hv.Memory;
        byte* from = mem.Map(src.Mfn) + op.SourceOffset;
        byte* to = mem.Map(dst.Mfn) + op.DestOffset;
        for (int i = 0; i < op.Len; i++) to[i] = from[i];
        return Gntst.Okay;
    }
}

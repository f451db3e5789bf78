using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;

namespace XenLite.Flask;

// xsm_op (FLASK_*): the argument struct is read whole, its version checked, the sub-op run, and
// the struct written back for the sub-ops that return data (Xen's flask_do_xsm_op). Permission
// checks are Xen's: most sub-ops ask the security class of the security initial SID.
public sealed partial class FlaskXsm
{
    public override int DoXsmOp(Vcpu caller, ulong arg)
    {
        if (GuestMemory.Read(caller, arg, out FlaskOp op) != 0) return -Errno.EFAULT;
        if (op.InterfaceVersion != FlaskOpAbi.InterfaceVersion) return -Errno.ENOSYS;
        int rc = Op(caller, ref op);
        if (rc < 0 || !FlaskOpAbi.CopiesOut(op.Cmd)) return rc;
        return GuestMemory.Write(caller, arg, in op) != 0 ? -Errno.EFAULT : rc;
    }

    public override int DoCompatOp(Vcpu caller, ulong arg)
    {
        if (GuestMemory.Read(caller, arg, out FlaskOpCompat compat) != 0) return -Errno.EFAULT;
        if (compat.InterfaceVersion != FlaskOpAbi.InterfaceVersion) return -Errno.ENOSYS;
        FlaskOpAbi.Widen(in compat, out FlaskOp op);
        int rc = Op(caller, ref op);
        if (rc < 0 || !FlaskOpAbi.CopiesOut(op.Cmd)) return rc;
        FlaskOpAbi.Narrow(in op, ref compat);
        return GuestMemory.Write(caller, arg, in compat) != 0 ? -Errno.EFAULT : rc;
    }

    /// <summary>One sub-op; a non-negative result is the hypercall's return value.</summary>
    int Op(Vcpu v, ref FlaskOp op)
    {
        Domain d = v.Domain;
        switch (op.Cmd)
        {
            case FlaskOpAbi.Load: return LoadOp(v, op.LoadBuffer, op.LoadSize);
            case FlaskOpAbi.GetEnforce: return Enforcing ? 1 : 0;
            case FlaskOpAbi.SetEnforce: return SetEnforce(d, op.Enforcing != 0);
            case FlaskOpAbi.ContextToSid: return ContextToSidOp(v, ref op);
            case FlaskOpAbi.SidToContext: return SidToContextOp(v, ref op);
            case FlaskOpAbi.Access: return AccessOp(d, ref op);
            case FlaskOpAbi.Create: return ComputeSid(d, Perm.Security.ComputeCreate, ref op, true);
            case FlaskOpAbi.Relabel: return ComputeSid(d, Perm.Security.ComputeRelabel, ref op, false);
            case FlaskOpAbi.Member: return ComputeSid(d, Perm.Security.ComputeMember, ref op, false);
            case FlaskOpAbi.PolicyVers: return FlaskOpAbi.PolicyDbVersionMax;
            case FlaskOpAbi.GetBool: return GetBool(v, ref op);
            case FlaskOpAbi.SetBool: return SetBool(v, ref op);
            case FlaskOpAbi.CommitBools: return CommitBools(d);
            case FlaskOpAbi.Mls: return 0; // compiled policies carry no MLS levels
            case FlaskOpAbi.GetAvcThreshold: return (int)AvcThreshold;
            case FlaskOpAbi.SetAvcThreshold: return SetAvcThreshold(d, op.Threshold);
            case FlaskOpAbi.AvcHashStats: return HashStats(ref op);
            case FlaskOpAbi.AvcCacheStats: return CacheStats(ref op);
            case FlaskOpAbi.AddOcontext: return AddOcontextOp(d, ref op);
            case FlaskOpAbi.DelOcontext: return DelOcontextOp(d, ref op);
            case FlaskOpAbi.GetPeerSid: return GetPeerSid(d, ref op);
            case FlaskOpAbi.RelabelDomain: return RelabelDomain(v, op.RelabelDomid, op.RelabelSid);
            case FlaskOpAbi.DevicetreeLabel: return DevicetreeLabelOp(v, op.DtSid, op.DtLength, op.DtPath);
            default: return -Errno.ENOSYS; // FLASK_USER and FLASK_DISABLE are gone from Xen too
        }
    }

    /// <summary>domain_has_security: d asks the security server (SECINITSID_SECURITY) for perms.</summary>
    int HasSecurity(Domain d, uint perms) => HasPerm(d, DomainSid(d), Initial(PolicyFormat.SidSecurity), FlaskSchema.ClassSecurity, perms);

    int SetEnforce(Domain d, bool enforce)
    {
        if (enforce == Enforcing) return 0;
        int rc = HasSecurity(d, Perm.Security.Setenforce);
        if (rc != 0) return rc;
        Enforcing = enforce;
        return 0;
    }

    /// <summary>security_compute_av. The class is a u16 in Xen's security server, numbered from 1.</summary>
    int AccessOp(Domain d, ref FlaskOp op)
    {
        int rc = HasSecurity(d, Perm.Security.ComputeAv);
        if (rc != 0) return rc;
        op.AccessSeqno = Seqno;
        if (_policy == null)
        {
            op.AccessAllowed = 0xFFFFFFFF;
            op.AccessAuditAllow = 0;
            op.AccessAuditDeny = 0xFFFFFFFF;
            return 0;
        }
        ushort tclass = (ushort)op.AccessTclass;
        if (tclass == 0 || tclass > FlaskSchema.ClassCount) return -Errno.EINVAL;
        _policy.Decide(op.AccessSsid, op.AccessTsid, tclass - 1, out uint allowed, out uint auditallow, out uint dontaudit);
        op.AccessAllowed = allowed;
        op.AccessAuditAllow = auditallow;
        op.AccessAuditDeny = ~dontaudit;
        return 0;
    }

    /// <summary>security_transition_sid (create) or security_change_sid / security_member_sid:
    /// compiled policies hold only type_transition rules, so relabel and member give the default.</summary>
    int ComputeSid(Domain d, uint perm, ref FlaskOp op, bool transition)
    {
        int rc = HasSecurity(d, perm);
        if (rc != 0) return rc;
        uint ssid = op.TransitionSsid, tsid = op.TransitionTsid;
        int cls = (ushort)op.TransitionTclass - 1;
        if (_policy == null) op.TransitionNewsid = cls == FlaskSchema.ClassDomain ? ssid : tsid;
        else op.TransitionNewsid = transition ? _policy.Transition(ssid, tsid, cls) : _policy.DefaultType(ssid, tsid, cls);
        return 0;
    }

    int SetAvcThreshold(Domain d, uint threshold)
    {
        if (threshold == AvcThreshold) return 0;
        int rc = HasSecurity(d, Perm.Security.Setsecparam);
        if (rc != 0) return rc;
        AvcThreshold = threshold;
        return 0;
    }

    /// <summary>avc_get_hash_stats: there is no cache, so no entries in any of Xen's 512 slots.</summary>
    static int HashStats(ref FlaskOp op)
    {
        op.HashEntries = 0;
        op.HashBucketsUsed = 0;
        op.HashBucketsTotal = FlaskOpAbi.AvcCacheSlots;
        op.HashMaxChainLen = 0;
        return 0;
    }

    /// <summary>flask_security_avc_cachestats: one set of counters, reported as CPU 0; every
    /// lookup hits the table, nothing is allocated, reclaimed or freed.</summary>
    int CacheStats(ref FlaskOp op)
    {
        if (op.CacheCpu != 0) return -Errno.ENOENT;
        op.CacheLookups = (uint)Lookups;
        op.CacheHits = (uint)Lookups;
        op.CacheMisses = 0;
        op.CacheAllocations = 0;
        op.CacheReclaims = 0;
        op.CacheFrees = 0;
        return 0;
    }
}

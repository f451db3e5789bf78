using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Events;
using XenLite.Hv.Common.Memory;

namespace XenLite.Flask;

// FLASK_LOAD and the sub-ops that change or read labels: resource labels (ocontexts, device-tree
// paths), a domain's own label, and the label of an event channel's peer.
public sealed partial class FlaskXsm
{
    /// <summary>flask_security_load: the blob is checked whole before anything changes, so a bad
    /// one (-EINVAL) leaves the policy in force untouched.</summary>
    unsafe int LoadOp(Vcpu v, ulong buffer, uint size)
    {
        int rc = HasSecurity(v.Domain, Perm.Security.LoadPolicy);
        if (rc != 0) return rc;
        if (size > FlaskOpAbi.MaxPolicySize) return -Errno.EINVAL;
        var blob = new byte[size];
        fixed (byte* p = blob)
            if (GuestMemory.CopyFrom(v, buffer, p, size) != 0) return -Errno.EFAULT;
        rc = PolicyReader.Read(blob, out FlaskPolicy policy);
        if (rc != 0) return rc;
        bool first = _policy == null;
        Load(policy);
        if (first)
        {
            HvConsole c = v.Hv.Console;
            c.Write("(XEN) Flask: Policy loaded, continuing in ");
            c.Write(Enforcing ? "enforcing" : "permissive");
            c.WriteLine(" mode.");
        }
        return 0;
    }

    // Ocontexts need a policy to hold them; before the first load Xen's would be dropped by it anyway.
    int AddOcontextOp(Domain d, ref FlaskOp op)
    {
        if (op.OconLow > op.OconHigh) return -Errno.EINVAL;
        int rc = HasSecurity(d, Perm.Security.AddOcontext);
        if (rc != 0) return rc;
        return _policy != null ? _policy.AddOcontext(op.Ocon, op.OconLow, op.OconHigh, op.OconSid) : -Errno.EINVAL;
    }

    int DelOcontextOp(Domain d, ref FlaskOp op)
    {
        if (op.OconLow > op.OconHigh) return -Errno.EINVAL;
        int rc = HasSecurity(d, Perm.Security.DelOcontext);
        if (rc != 0) return rc;
        return _policy != null ? _policy.DelOcontext(op.Ocon, op.OconLow, op.OconHigh) : -Errno.EINVAL;
    }

    /// <summary>flask_devicetree_label: SID 0 removes the path's label (del_ocontext), any other adds one.</summary>
    int DevicetreeLabelOp(Vcpu v, uint sid, uint length, ulong path)
    {
        int rc = HasSecurity(v.Domain, sid != 0 ? Perm.Security.AddOcontext : Perm.Security.DelOcontext);
        if (rc != 0) return rc;
        rc = ReadString(v, path, length, out int n);
        if (rc != 0) return rc;
        return _policy != null ? _policy.SetDevicetreeLabel(StringRead(n), sid) : -Errno.EINVAL;
    }

    /// <summary>flask_get_peer_sid: the label of the domain at the other end of one of the
    /// caller's interdomain channels; -EINVAL for any other port. No permission is asked.</summary>
    int GetPeerSid(Domain d, ref FlaskOp op)
    {
        EventChannels e = d.Events;
        uint port = op.PeerEvtchn;
        if (e == null || !e.IsValid(port)) return -Errno.EINVAL;
        ref EventChannel ch = ref e[port];
        if (ch.State != ChannelState.Interdomain) return -Errno.EINVAL;
        Domain peer = d.Hv.Lookup(ch.RemoteDom);
        if (peer == null) return -Errno.EINVAL;
        op.PeerSid = DomainSid(peer);
        return 0;
    }

    /// <summary>flask_relabel_domain: a domain relabels itself with relabelself, another with
    /// relabelfrom/relabelto; either way its old label must be allowed to transition to the new.
    /// Its self and device-model-target labels follow.</summary>
    int RelabelDomain(Vcpu v, uint domid, uint sid)
    {
        Domain c = v.Domain;
        Domain d = v.Hv.LookupOrSelf(v, domid);
        if (d == null) return -Errno.ESRCH;
        uint dsid = DomainSid(d);
        int rc;
        if (domid == DomainIds.Self) rc = HasPerm(c, dsid, sid, FlaskSchema.ClassDomain2, Perm.Domain2.Relabelself);
        else
        {
            rc = HasPerm(c, DomainSid(c), dsid, FlaskSchema.ClassDomain2, Perm.Domain2.Relabelfrom);
            if (rc == 0) rc = HasPerm(c, DomainSid(c), sid, FlaskSchema.ClassDomain2, Perm.Domain2.Relabelto);
        }
        if (rc == 0) rc = HasPerm(c, dsid, sid, FlaskSchema.ClassDomain, Perm.Domain.Transition);
        if (rc != 0) return rc;
        int slot = Slot(d.Id);
        if (_policy == null)
        {
            _sid[slot] = _selfSid[slot] = sid;
            return 0;
        }
        uint label = _policy.TypeOf(sid) + 1;
        _sid[slot] = label;
        _selfSid[slot] = _policy.Transition(label, label, FlaskSchema.ClassDomain);
        if (d.Target != null) _targetSid[slot] = _policy.Transition(DomainSid(d.Target), label, FlaskSchema.ClassDomain);
        return 0;
    }
}

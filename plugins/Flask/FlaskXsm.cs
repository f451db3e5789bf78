using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Xsm;

namespace XenLite.Flask;

/// <summary>
/// The XSM module that decides with the loaded policy, hook by hook as Xen's xsm/flask/hooks.c
/// does: each hook names the subject SID, object SID, class and permissions and asks
/// <see cref="HasPerm"/>, which reads the table and audits. Without a policy everything is
/// allowed (Xen: "access controls disabled until policy is loaded").
/// </summary>
public sealed partial class FlaskXsm : XsmModule
{
    public override string Name => "flask";

    FlaskPolicy _policy;
    /// <summary>flask_enforcing: denials fail with -EACCES; when false they are only logged.</summary>
    public bool Enforcing;
    public readonly AvcLog Avc = new AvcLog();
    /// <summary>Bumped by every policy load and boolean commit (Xen's latest_granting, FLASK_ACCESS's seqno).</summary>
    public uint Seqno;
    /// <summary>avc_cache_threshold: kept and reported for tools; the table needs no cache to trim.</summary>
    public uint AvcThreshold = FlaskOpAbi.AvcDefaultThreshold;
    /// <summary>Decisions taken (FLASK_AVC_CACHESTATS: every lookup is a hit, the table being complete).</summary>
    public ulong Lookups;

    // Per-domain labels by slot (see Slot): sid, self_sid (acting on itself), target_sid (acting on
    // the domain it is device model for), and the labels of its event channel ports.
    const int SlotIdle = Hypervisor.MaxDomains, SlotIo = Hypervisor.MaxDomains + 1, SlotXen = Hypervisor.MaxDomains + 2;
    readonly uint[] _sid = new uint[Hypervisor.MaxDomains + 3];
    readonly uint[] _selfSid = new uint[Hypervisor.MaxDomains + 3];
    readonly uint[] _targetSid = new uint[Hypervisor.MaxDomains + 3];
    readonly uint[][] _portSid = new uint[Hypervisor.MaxDomains + 3][];
    bool _dom0Created;

    public FlaskXsm(FlaskPolicy policy, bool enforcing)
    {
        _policy = policy;
        Enforcing = enforcing;
        if (policy != null) Seqno = 1;
    }

    public FlaskPolicy Policy => _policy;

    /// <summary>Replaces the policy in force (FLASK_LOAD after the blob was read successfully).
    /// SIDs are type indexes, so every label held (domains, ports) is carried over by type name,
    /// as Xen's security server converts its SID table; a type the new policy lacks becomes 0
    /// (read as unlabeled). Booleans keep their values by name, as Xen preserves them.</summary>
    public void Load(FlaskPolicy policy)
    {
        FlaskPolicy old = _policy;
        _policy = policy;
        Seqno++;
        if (policy == null) return;
        if (old != null) policy.PreserveBooleans(old);
        for (int i = 0; i < _sid.Length; i++)
        {
            _sid[i] = Remap(old, policy, _sid[i]);
            _selfSid[i] = Remap(old, policy, _selfSid[i]);
            _targetSid[i] = Remap(old, policy, _targetSid[i]);
            uint[] ports = _portSid[i];
            if (ports != null) for (int p = 0; p < ports.Length; p++) ports[p] = Remap(old, policy, ports[p]);
        }
    }

    /// <summary>Before the first policy, labels are Xen's initial SID numbers; the first policy
    /// says which types they are (anything else reads as unlabeled, as in Xen's SID table).</summary>
    static uint Remap(FlaskPolicy from, FlaskPolicy to, uint sid)
    {
        if (sid == 0) return 0;
        if (from != null) return to.TypeSid(from.TypeName(sid));
        return to.InitialSid(sid <= PolicyFormat.InitialSidCount ? sid : PolicyFormat.SidUnlabeled);
    }

    static int Slot(uint domid)
    {
        if (domid < Hypervisor.MaxDomains) return (int)domid;
        if (domid == DomainIds.Idle) return SlotIdle;
        if (domid == DomainIds.Io) return SlotIo;
        if (domid == DomainIds.Xen) return SlotXen;
        return -1;
    }

    uint Unlabeled => _policy != null ? _policy.InitialSid(PolicyFormat.SidUnlabeled) : PolicyFormat.SidUnlabeled;

    uint Initial(uint sid) => _policy != null ? _policy.InitialSid(sid) : sid;

    public uint DomainSid(Domain d)
    {
        int slot = Slot(d.Id);
        return slot >= 0 && _sid[slot] != 0 ? _sid[slot] : Unlabeled;
    }

    /// <summary>domain_target_sid: how src sees dst (itself, its device-model target, or plainly).</summary>
    uint TargetSid(Domain src, Domain dst)
    {
        int s = Slot(src.Id);
        if (src == dst && s >= 0 && _selfSid[s] != 0) return _selfSid[s];
        if (dst != null && src.Target == dst && s >= 0 && _targetSid[s] != 0) return _targetSid[s];
        return DomainSid(dst);
    }

    /// <summary>The label of one of d's event channel ports (0 when it has none).</summary>
    public uint PortSid(Domain d, uint port)
    {
        int slot = Slot(d.Id);
        uint[] ports = slot >= 0 ? _portSid[slot] : null;
        return ports != null && port < (uint)ports.Length ? ports[port] : 0;
    }

    void SetPortSid(Domain d, uint port, uint sid)
    {
        int slot = Slot(d.Id);
        if (slot < 0) return;
        uint[] ports = _portSid[slot];
        if (ports == null || port >= (uint)ports.Length)
        {
            uint size = ports == null ? 64u : (uint)ports.Length;
            while (size <= port) size *= 2;
            var grown = new uint[size];
            if (ports != null) for (int i = 0; i < ports.Length; i++) grown[i] = ports[i];
            _portSid[slot] = ports = grown;
        }
        ports[port] = sid;
    }

    /// <summary>avc_has_perm: looks up (ssid, tsid, class), audits what the policy asks to audit,
    /// and fails with -EACCES when something is denied while enforcing (unless the subject type is permissive).</summary>
    public int HasPerm(Domain subject, uint ssid, uint tsid, int cls, uint perms)
    {
        FlaskPolicy p = _policy;
        if (p == null) return 0;
        Lookups++;
        p.Decide(ssid, tsid, cls, out uint allowed, out uint auditallow, out uint dontaudit);
        uint denied = perms & ~allowed;
        uint audited = denied != 0 ? denied & ~dontaudit : perms & auditallow;
        if (audited != 0 && subject != null)
            Avc.Audit(subject.Hv.Console, subject.Hv.Platform.NowNs(), p, denied != 0, audited, cls, subject.Id, ssid, tsid);
        if (denied == 0 || !Enforcing || p.IsPermissive(ssid)) return 0;
        return -Errno.EACCES;
    }

    /// <summary>domain_has_perm: d1 acting on d2, d2 seen through d1's self/target labels.</summary>
    int DomainHasPerm(Domain d1, Domain d2, int cls, uint perms) => HasPerm(d1, DomainSid(d1), TargetSid(d1, d2), cls, perms);

    /// <summary>domain_has_xen: d acting on the hypervisor itself (SECINITSID_XEN).</summary>
    int DomainHasXen(Domain d, int cls, uint perms) => HasPerm(d, DomainSid(d), Initial(PolicyFormat.SidXen), cls, perms);

    int OnInitial(Domain caller, uint initial, int cls, uint perms) => HasPerm(caller, DomainSid(caller), Initial(initial), cls, perms);

    uint ResourceSid(uint kind, ulong value) => _policy != null ? _policy.ResourceSid(kind, value) : 0;

    /// <summary>flask_iommu_resource_use_perm: XenLite has no IOMMU, so assigned resources are
    /// always used without one.</summary>
    static uint UsePerm(Domain d) => Perm.Resource.UseNoiommu;

    /// <summary>avc_unknown_permission: an operation the policy has no permission for.</summary>
    int Unknown() => !Enforcing || _policy == null ? 0 : -Errno.EPERM;
}

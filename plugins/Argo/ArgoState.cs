using XenLite.Hv.Common;
using XenLite.Hv.Dispatch;

namespace XenLite.Plugin.Argo;

/// <summary>
/// Argo's state in one hypervisor: the boot options and, per domain, the rings it registered.
/// Xen creates d->argo when a domain is built (argo_init); here it is created on first use,
/// under the same condition (Argo enabled and xsm_argo_enable allowing the domain).
/// </summary>
public sealed class ArgoState : PluginState
{
    static readonly int Slot = SlotOf(Feature.Argo);

    public readonly Hypervisor Hv;
    /// <summary>argo=1: without it every argo_op answers -EOPNOTSUPP.</summary>
    public bool Enabled;
    /// <summary>argo=mac-permissive: rings open to any sender (XEN_ARGO_DOMID_ANY) may be registered.</summary>
    public bool MacPermissive;
    readonly ArgoDomain[] _domains = new ArgoDomain[Hypervisor.MaxDomains];

    ArgoState(Hypervisor hv) => Hv = hv;

    public static ArgoState Of(Hypervisor hv)
    {
        PluginState s = hv.Plugins[Slot];
        if (s != null) return (ArgoState)s;
        var a = new ArgoState(hv);
        ArgoOptions.Read(hv, a);
        hv.Plugins[Slot] = a;
        return a;
    }

    /// <summary>The domain's Argo state (Xen's d->argo), or null when Argo is not enabled for it.</summary>
    public ArgoDomain For(Domain d)
    {
        if (d == null || d.Id >= Hypervisor.MaxDomains) return null;
        ArgoDomain a = _domains[d.Id];
        if (a != null && a.Domain == d) return a;
        if (!Enabled || Hv.Xsm.ArgoEnable(d) != 0) return null;
        a = new ArgoDomain(d);
        _domains[d.Id] = a;
        return a;
    }

    /// <summary>Xen's argo_destroy: the domain's rings go, so do the rings it was the only sender
    /// to, and so do its waits for space on other domains' rings.</summary>
    public override void DomainDestroyed(Domain d)
    {
        ArgoDomain gone = _domains[d.Id];
        if (gone == null || gone.Domain != d) return;
        gone.RemoveAll();
        _domains[d.Id] = null;
        for (int i = 0; i < _domains.Length; i++)
        {
            ArgoDomain other = _domains[i];
            if (other == null) continue;
            other.RemovePartnerRings(d.Id);
            other.CancelPending(d.Id);
        }
    }
}

/// <summary>One domain's registered rings (Xen's struct argo_domain).</summary>
public sealed class ArgoDomain
{
    public readonly Domain Domain;
    readonly ArgoRing[] _rings = new ArgoRing[ArgoAbi.MaxRingsPerDomain];
    int _count;

    public ArgoDomain(Domain d) => Domain = d;

    public int RingCount => _count;

    public ArgoRing Find(uint aport, ushort partner)
    {
        for (int i = 0; i < _rings.Length; i++)
        {
            ArgoRing r = _rings[i];
            if (r != null && r.Aport == aport && r.Partner == partner) return r;
        }
        return null;
    }

    /// <summary>The ring a message from <paramref name="sender"/> to <paramref name="aport"/> goes to:
    /// one registered for that sender, else one open to any sender.</summary>
    public ArgoRing FindByMatch(uint aport, ushort sender) => Find(aport, sender) ?? Find(aport, ArgoAbi.DomidAny);

    /// <summary>Adds a ring; false when the domain has its maximum.</summary>
    public bool Add(ArgoRing r)
    {
        for (int i = 0; i < _rings.Length; i++)
        {
            if (_rings[i] != null) continue;
            _rings[i] = r;
            _count++;
            return true;
        }
        return false;
    }

    /// <summary>Removes a ring and releases its pages.</summary>
    public void Remove(ArgoRing r)
    {
        for (int i = 0; i < _rings.Length; i++)
        {
            if (_rings[i] != r) continue;
            r.ReleasePages();
            _rings[i] = null;
            _count--;
            return;
        }
    }

    public void RemoveAll()
    {
        for (int i = 0; i < _rings.Length; i++)
            if (_rings[i] != null) Remove(_rings[i]);
    }

    public void RemovePartnerRings(ushort partner)
    {
        for (int i = 0; i < _rings.Length; i++)
            if (_rings[i] != null && _rings[i].Partner == partner) Remove(_rings[i]);
    }

    public void CancelPending(ushort waiter)
    {
        for (int i = 0; i < _rings.Length; i++)
            if (_rings[i] != null) _rings[i].CancelPending(waiter);
    }

    /// <summary>Xen's notify_check_pending: wakes every domain waiting for space that is now there.</summary>
    public void SignalSpace()
    {
        for (int i = 0; i < _rings.Length; i++)
            if (_rings[i] != null) _rings[i].SignalWaiters(Domain.Hv);
    }
}

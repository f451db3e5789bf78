using XenLite.Hv.Abi;

namespace XenLite.Hv.Common.Events;

/// <summary>Who a VIRQ belongs to (Xen's enum virq_type).</summary>
public enum VirqType : byte
{
    /// <summary>One handler domain system-wide (the hardware domain unless another was chosen), bound on its vCPU 0.</summary>
    Global,
    /// <summary>Per domain, bound on vCPU 0.</summary>
    Domain,
    /// <summary>Per vCPU, each vCPU binds its own.</summary>
    Vcpu,
}

/// <summary>Raising virtual IRQs (Xen's send_guest_vcpu_virq, send_guest_domain_virq, send_global_virq).</summary>
public static class Virqs
{
    /// <summary>The caller keeps virq below Virq.NrVirqs. Every arch-specific VIRQ is global on x86 and arm.</summary>
    public static VirqType TypeOf(uint virq) => virq switch
    {
        (uint)Virq.Timer or (uint)Virq.Debug or (uint)Virq.Xenoprof or (uint)Virq.Xenpmu => VirqType.Vcpu,
        (uint)Virq.Argo => VirqType.Domain,
        _ => VirqType.Global,
    };

    /// <summary>A per-vCPU VIRQ (VIRQ_TIMER, VIRQ_DEBUG…) to <paramref name="v"/>, if it bound one.</summary>
    public static void SendVcpu(Vcpu v, uint virq)
    {
        uint port = v.Events.VirqToPort[virq];
        if (port != 0) v.Domain.Events.SetPending((uint)v.Id, port);
    }

    /// <summary>A per-domain or global VIRQ to <paramref name="d"/>, delivered to the vCPU its port is bound to.</summary>
    public static void SendDomain(Domain d, uint virq)
    {
        if (d == null || d.Events == null) return;
        uint port = d.Vcpus[0].Events.VirqToPort[virq];
        if (port == 0) return;
        d.Events.SetPending(d.Events[port].NotifyVcpu, port);
    }

    /// <summary>A global VIRQ (VIRQ_CONSOLE, VIRQ_DOM_EXC…) to its handler domain.</summary>
    public static void SendGlobal(Hypervisor hv, uint virq) => SendDomain(hv.GlobalVirqs.HandlerOf(virq), virq);

    /// <summary>Xen's evtchn_virq_enabled: has <paramref name="v"/> (vCPU 0 for non-per-vCPU VIRQs) bound it?</summary>
    public static bool Enabled(Vcpu v, uint virq)
    {
        if (v == null || virq >= Virq.NrVirqs) return false;
        if (TypeOf(virq) != VirqType.Vcpu) v = v.Domain.Vcpus[0];
        return v.Events.VirqToPort[virq] != 0;
    }
}

/// <summary>Which domain handles each global VIRQ (Xen's global_virq_handlers); the hardware domain by default.</summary>
public sealed class GlobalVirqHandlers
{
    readonly Hypervisor _hv;
    readonly Domain[] _handlers = new Domain[Virq.NrVirqs];

    public GlobalVirqHandlers(Hypervisor hv) => _hv = hv;

    public Domain HandlerOf(uint virq)
    {
        Domain d = virq < Virq.NrVirqs ? _handlers[virq] : null;
        return d ?? HardwareDomain();
    }

    Domain HardwareDomain()
    {
        for (uint id = 0; id < Hypervisor.MaxDomains; id++)
        {
            Domain d = _hv.Lookup(id);
            if (d != null && d.IsHardware) return d;
        }
        return null;
    }

    /// <summary>
    /// Xen's set_global_virq_handler (XEN_DOMCTL_set_virq_handler): -EINVAL for a non-global
    /// VIRQ or a dying domain, -EBUSY while the current handler still has it bound.
    /// </summary>
    public int Set(Domain d, uint virq)
    {
        if (virq >= Virq.NrVirqs || Virqs.TypeOf(virq) != VirqType.Global) return -Errno.EINVAL;
        if (_handlers[virq] == d) return 0;
        if (d.State == DomainState.Dying) return -Errno.EINVAL;
        Domain current = HandlerOf(virq);
        if (current != null && current != d && current.Vcpus[0].Events.VirqToPort[virq] != 0) return -Errno.EBUSY;
        _handlers[virq] = d;
        return 0;
    }

    /// <summary>A dying domain stops handling anything (Xen's clear_global_virq_handlers).</summary>
    public void Clear(Domain d)
    {
        for (int i = 0; i < _handlers.Length; i++)
            if (_handlers[i] == d) _handlers[i] = null;
    }
}

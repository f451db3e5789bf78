using XenLite.Hv.Abi;

namespace XenLite.Hv.Common.Domctl;

/// <summary>destroydomain, pausedomain, unpausedomain: the toolstack's side of a domain's life.</summary>
public static class Lifecycle
{
    /// <summary>Xen caps the controller's pause count so repeated pauses cannot overflow it.</summary>
    public const int MaxPauseCount = 255;

    /// <summary>
    /// Xen's domain_kill: a domain cannot destroy itself (-EINVAL). Teardown here finishes at once
    /// (Xen's -ERESTART continuation is never needed), then VIRQ_DOM_EXC tells the toolstack.
    /// </summary>
    public static long Destroy(Vcpu caller, Domain d)
    {
        if (d == caller.Domain) return -Errno.EINVAL;
        Hypervisor hv = d.Hv;
        ClearTargetsOf(hv, d);
        hv.DestroyDomain(d);
        Events.Virqs.SendGlobal(hv, Virq.DomExc);
        return 0;
    }

    /// <summary>Xen's domain_pause_by_systemcontroller: not on oneself (-EINVAL), at most 255 deep (-EOVERFLOW).</summary>
    public static long Pause(Vcpu caller, Domain d)
    {
        if (d == caller.Domain) return -Errno.EINVAL;
        if (d.Control.PauseCount + 1 > MaxPauseCount) return -Errno.EOVERFLOW;
        d.Control.PauseCount++;
        return 0;
    }

    /// <summary>Xen's domain_unpause_by_systemcontroller: -EINVAL below zero; reaching zero the first time finishes creation.</summary>
    public static long Unpause(Domain d)
    {
        if (d.Control.PauseCount == 0) return -Errno.EINVAL;
        d.Control.PauseCount--;
        if (d.Control.PauseCount == 0) d.Control.CreationFinished = true;
        return 0;
    }

    /// <summary>Device models of the domain going away lose their target (Xen holds a reference instead).</summary>
    static void ClearTargetsOf(Hypervisor hv, Domain d)
    {
        for (uint id = 0; id < Hypervisor.MaxDomains; id++)
        {
            Domain o = hv.Lookup(id);
            if (o != null && o.Target == d) o.Target = null;
        }
    }
}

namespace XenLite.Hv.Common.Sched;

/// <summary>
/// Destroys shut-down domains nobody else will. In Xen the control domain's toolstack sees
/// VIRQ_DOM_EXC and destroys (or rebuilds) a domain that shut down; while a control domain is
/// running that stays its job. With none left (dom0less, embedded images, or dom0 itself gone)
/// the hypervisor destroys them, and DestroyDomain powers the machine off after the last one.
/// </summary>
public static class ShutdownReaper
{
    public static void Run(Hypervisor hv)
    {
        if (HasRunningControlDomain(hv)) return;
        for (uint id = 0; id < Hypervisor.MaxDomains; id++)
        {
            Domain d = hv.Lookup(id);
            if (d != null && d.State == DomainState.Shutdown) hv.DestroyDomain(d);
        }
    }

    static bool HasRunningControlDomain(Hypervisor hv)
    {
        for (uint id = 0; id < Hypervisor.MaxDomains; id++)
        {
            Domain d = hv.Lookup(id);
            if (d != null && d.IsPrivileged && d.State == DomainState.Running) return true;
        }
        return false;
    }
}

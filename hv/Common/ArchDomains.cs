namespace XenLite.Hv.Common;

/// <summary>
/// The arch code's share of a domain's end (Xen's arch_domain_destroy): what it keeps for the
/// domain outside the domain's own memory (VMID, stage-2 tables, vCPU context frames). Set by the
/// arch host at start; <see cref="Hypervisor.DestroyDomain"/> calls it before the memory goes.
/// </summary>
public abstract class ArchDomains
{
    public abstract void Destroyed(Domain d);
}

using XenLite.Hv.Abi;

namespace XenLite.Hv.Common.Domctl;

/// <summary>
/// iomem_permission, ioport_permission and irq_permission: grant or revoke a domain's access to
/// machine frames, I/O ports or IRQs. The caller must itself have access to what it hands out
/// (-EPERM). I/O ports and IRQs are x86 only (-ENOSYS on arm, as Xen's arch_do_domctl).
/// </summary>
public static class IoCaps
{
    /// <summary>Xen's MAX_IOPORTS.</summary>
    public const uint MaxIoports = 0x10000;
    /// <summary>IRQs (and pirqs per domain) this build knows.</summary>
    public const uint NrIrqs = 256;

    public static long Iomem(Vcpu caller, Domain d, ref DomctlIomemPermission p)
    {
        ulong s = p.FirstMfn, e = p.FirstMfn + p.NrMfns - 1;
        if (e < s) return -Errno.EINVAL;
        bool allow = p.AllowAccess != 0;
        int rc = caller.Hv.Xsm.IomemPermission(caller.Domain, d, s, e, (byte)(allow ? 1 : 0));
        if (rc != 0) return rc;
        Domain cd = caller.Domain;
        cd.Control.GiveHardwareCaps(cd);
        if (!cd.Control.Iomem.ContainsAll(s, e)) return -Errno.EPERM;
        if (allow) d.Control.Iomem.Add(s, e);
        else d.Control.Iomem.Remove(s, e);
        return 0;
    }

    public static long Ioports(Vcpu caller, Domain d, ref DomctlIoportPermission p)
    {
        if (caller.Mode == GuestMode.Arm) return -Errno.ENOSYS;
        uint fp = p.FirstPort, np = p.NrPorts;
        if (fp + np <= fp || fp + np > MaxIoports) return -Errno.EINVAL;
        bool allow = p.AllowAccess != 0;
        int rc = caller.Hv.Xsm.IoportPermission(caller.Domain, d, fp, fp + np - 1, p.AllowAccess);
        if (rc != 0) return rc;
        Domain cd = caller.Domain;
        cd.Control.GiveHardwareCaps(cd);
        if (!cd.Control.Ioports.ContainsAll(fp, fp + np - 1)) return -Errno.EPERM;
        if (allow) d.Control.Ioports.Add(fp, fp + np - 1);
        else d.Control.Ioports.Remove(fp, fp + np - 1);
        return 0;
    }

    /// <summary>
    /// The pirq is the caller's: it must be below its pirq count (-EINVAL) and bound to an IRQ
    /// (-EPERM). Without physdev pirq mapping, only the hardware domain has pirqs, identity-mapped
    /// to IRQs (as its legacy GSIs are in Xen); IRQ 0 is never grantable.
    /// </summary>
    public static long Irq(Vcpu caller, Domain d, ref DomctlIrqPermission p)
    {
        if (caller.Mode == GuestMode.Arm) return -Errno.ENOSYS;
        Domain cd = caller.Domain;
        if (p.Pirq >= NrIrqs) return -Errno.EINVAL;
        uint irq = cd.IsHardware ? p.Pirq : 0;
        if (irq == 0) return -Errno.EPERM;
        bool allow = p.AllowAccess != 0;
        int rc = caller.Hv.Xsm.IrqPermission(cd, d, (int)irq, (byte)(allow ? 1 : 0));
        if (rc != 0) return rc;
        cd.Control.GiveHardwareCaps(cd);
        if (!cd.Control.Irqs.ContainsAll(irq, irq)) return -Errno.EPERM;
        if (allow) d.Control.Irqs.Add(irq, irq);
        else d.Control.Irqs.Remove(irq, irq);
        return 0;
    }
}

using XenLite.Hv.Abi;
using XenLite.Hv.Common.Memory;

namespace XenLite.Hv.Common.Physdev;

/// <summary>
/// The PIRQ commands of physdev_op. No machine IRQ exists to bind, so a PIRQ is either free or
/// reserved by get_free_pirq; mapping a GSI or an MSI fails the way Xen's does for an absent
/// GSI or device, and unmapping finds nothing mapped.
/// </summary>
static class Pirqs
{
    /// <summary>nr_irqs_gsi on this machine: no IO-APIC inputs are offered to guests.</summary>
    const int NrIrqsGsi = 0;

    public static long Eoi(Vcpu v, ulong arg)
    {
        if (GuestMemory.Read(v, arg, out PhysdevU32 eoi) != 0) return -Errno.EFAULT;
        Domain d = v.Domain;
        if (eoi.Value >= (uint)PhysdevState.NrPirqs(d)) return -Errno.EINVAL;
        // A reserved PIRQ has its pirq_info; with no machine IRQ behind it the EOI goes nowhere.
        return d.Physdev.IsAllocated((int)eoi.Value) ? 0 : -Errno.EINVAL;
    }

    /// <summary>Registers the PIRQ EOI bitmap frame (once). PV guests name a machine frame they own.</summary>
    public static long EoiGmfn(Vcpu v, ulong arg, bool v1, bool compat)
    {
        ulong gmfn;
        if (compat)
        {
            if (GuestMemory.Read(v, arg, out PhysdevU32 c) != 0) return -Errno.EFAULT;
            gmfn = c.Value;
        }
        else
        {
            if (GuestMemory.Read(v, arg, out PhysdevPirqEoiGmfn n) != 0) return -Errno.EFAULT;
            gmfn = n.Gmfn;
        }
        Domain d = v.Domain;
        Mfn mfn = GuestModes.IsPv(d.Mode) ? new Mfn(gmfn) : d.P2m.Lookup(new Gfn(gmfn));
        if (!mfn.IsValid || v.Hv.Memory.OwnerOf(mfn) != d.Id) return -Errno.EINVAL;
        PhysdevState s = d.Physdev;
        if (s.EoiMapSet) return -Errno.EBUSY;
        s.EoiMapSet = true;
        s.EoiMapGfn = gmfn;
        if (v1) s.AutoUnmask = true;
        return 0;
    }

    public static long StatusQuery(Vcpu v, ulong arg)
    {
        if (GuestMemory.Read(v, arg, out PhysdevIrqStatusQuery q) != 0) return -Errno.EFAULT;
        if ((int)q.Irq < 0 || (int)q.Irq >= PhysdevState.NrPirqs(v.Domain)) return -Errno.EINVAL;
        // Always "needs EOI" (the guest is not using the EOI bitmap check); never shared here.
        q.Flags = PhysdevConst.IrqStatNeedsEoi;
        return GuestMemory.Write(v, arg, q) != 0 ? -Errno.EFAULT : 0;
    }

    public static long Map(Vcpu v, ulong arg, bool compat)
    {
        PhysdevMapPirq m;
        if (compat)
        {
            if (GuestMemory.Read(v, arg, out PhysdevMapPirqCompat c) != 0) return -Errno.EFAULT;
            m = new PhysdevMapPirq { DomId = c.DomId, Type = c.Type, Index = c.Index, Pirq = c.Pirq, Bus = c.Bus, Devfn = c.Devfn, EntryNr = c.EntryNr, TableBase = c.TableBase };
        }
        else if (GuestMemory.Read(v, arg, out m) != 0) return -Errno.EFAULT;

        if (m.Type == PhysdevConst.MapPirqTypeMsiSeg) m.Type = PhysdevConst.MapPirqTypeMsi;
        else if (m.Type == PhysdevConst.MapPirqTypeMultiMsi && m.TableBase != 0) return -Errno.EINVAL;

        Domain d = v.Hv.LookupOrSelf(v, m.DomId);
        if (d == null) return -Errno.ESRCH;
        long rc = MapInto(v, d, m.Type, m.Index);
        // Xen copies the struct back whatever happened (the rewritten type included).
        int wrc = compat
            ? GuestMemory.Write(v, arg, new PhysdevMapPirqCompat { DomId = m.DomId, Type = m.Type, Index = m.Index, Pirq = m.Pirq, Bus = m.Bus, Devfn = m.Devfn, EntryNr = m.EntryNr, TableBase = m.TableBase })
            : GuestMemory.Write(v, arg, m);
        return wrc != 0 ? -Errno.EFAULT : rc;
    }

    static long MapInto(Vcpu v, Domain d, int type, int index)
    {
        int rc = v.Hv.Xsm.MapDomainPirq(v.Domain, d);
        if (rc != 0) return rc;
        switch (type)
        {
            case PhysdevConst.MapPirqTypeGsi:
                // allocate_and_map_gsi_pirq: index must be below nr_irqs_gsi.
                return index < 0 || index >= NrIrqsGsi ? -Errno.EINVAL : -Errno.ENODEV;
            case PhysdevConst.MapPirqTypeMsi:
                // A given IRQ must be a dynamic one (there are none); -1 asks for a new one,
                // which then has no PCI device to belong to.
                return index == -1 ? -Errno.ENODEV : -Errno.EINVAL;
            case PhysdevConst.MapPirqTypeMultiMsi:
                return -Errno.ENODEV;
            default:
                return -Errno.EINVAL;
        }
    }

    public static long Unmap(Vcpu v, ulong arg)
    {
        if (GuestMemory.Read(v, arg, out PhysdevUnmapPirq u) != 0) return -Errno.EFAULT;
        Domain d = v.Hv.LookupOrSelf(v, u.DomId);
        if (d == null) return -Errno.ESRCH;
        int rc = v.Hv.Xsm.UnmapDomainPirq(v.Domain, d);
        if (rc != 0) return rc;
        // unmap_domain_pirq: out of range, or "not mapped" (a reserved PIRQ has no IRQ either).
        return -Errno.EINVAL;
    }

    public static long GetFree(Vcpu v, ulong arg)
    {
        if (GuestMemory.Read(v, arg, out PhysdevGetFreePirq g) != 0) return -Errno.EFAULT;
        Domain d = v.Domain;
        int pirq = d.Physdev.AllocateHighest(PhysdevState.NrPirqs(d));
        if (pirq < 0) return -Errno.ENOSPC;
        g.Pirq = (uint)pirq;
        return GuestMemory.Write(v, arg, g) != 0 ? -Errno.EFAULT : 0;
    }
}

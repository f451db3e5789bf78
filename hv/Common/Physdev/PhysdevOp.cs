using XenLite.Hv.Abi;
using XenLite.Hv.Common.Memory;
using XenLite.Hv.Dispatch;
using C = XenLite.Hv.Abi.PhysdevOpCmd;

namespace XenLite.Hv.Common.Physdev;

/// <summary>
/// physdev_op (33). PV callers get Xen's do_physdev_op / compat_physdev_op; HVM callers the
/// subset hvm_physdev_op lets through (a PVH domain has no PIRQs, and only the hardware domain
/// may touch GSIs and PCI); arm is Xen built without PCI (-ENOSYS). With no IO-APIC, no PCI
/// device and no EHCI debug port on this machine, each command answers what Xen answers when
/// the thing it names does not exist.
/// </summary>
public static class PhysdevOp
{
    public static long Handle(Vcpu v, ref HypercallArgs a) => Do(v, (int)a[0], a[1]);

    /// <summary>hvm_physdev_op's filter in front of the common handler.</summary>
    public static long HandleHvm(Vcpu v, ref HypercallArgs a)
    {
        int cmd = (int)a[0];
        switch (cmd)
        {
            case C.MapPirq:
            case C.UnmapPirq:
                break;
            case C.Eoi:
            case C.IrqStatusQuery:
            case C.GetFreePirq:
                // has_pirq(): XenLite's HVM domains are PVH, without X86_EMU_USE_PIRQ.
                return -Errno.ENOSYS;
            case C.SetupGsi:
            case C.PciMmcfgReserved:
            case C.PciDeviceAdd:
            case C.PciDeviceRemove:
            case C.PciDeviceReset:
            case C.DbgpOp:
                if (!v.Domain.IsHardware) return -Errno.ENOSYS;
                break;
            default:
                return -Errno.ENOSYS;
        }
        return Do(v, cmd, a[1]);
    }

    /// <summary>do_arm_physdev_op without CONFIG_HAS_PCI.</summary>
    public static long HandleArm(Vcpu v, ref HypercallArgs a) => -Errno.ENOSYS;

    internal static long Do(Vcpu v, int cmd, ulong arg)
    {
        bool compat = GuestModes.Is32Bit(v.Mode);
        switch (cmd)
        {
            case C.Eoi: return Pirqs.Eoi(v, arg);
            case C.PirqEoiGmfnV1:
            case C.PirqEoiGmfnV2: return Pirqs.EoiGmfn(v, arg, cmd == C.PirqEoiGmfnV1, compat);
            case C.IrqUnmaskNotify: return 0; // nothing is masked: no PIRQ is bound
            case C.IrqStatusQuery: return Pirqs.StatusQuery(v, arg);
            case C.MapPirq: return Pirqs.Map(v, arg, compat);
            case C.UnmapPirq: return Pirqs.Unmap(v, arg);
            case C.GetFreePirq: return Pirqs.GetFree(v, arg);
            case C.ApicRead:
            case C.ApicWrite: return Apic(v, cmd, arg, compat);
            case C.AllocIrqVector: return AllocIrqVector(v, arg);
            case C.SetIopl: return SetIopl(v, arg);
            case C.SetIobitmap: return SetIobitmap(v, arg, compat);
            default: return PciOps.Do(v, cmd, arg);
        }
    }

    /// <summary>IO-APIC register access for the hardware domain: there is no IO-APIC at any base.</summary>
    static long Apic(Vcpu v, int cmd, ulong arg, bool compat)
    {
        int rc = compat ? GuestMemory.Read(v, arg, out PhysdevApicCompat _) : GuestMemory.Read(v, arg, out PhysdevApic _);
        if (rc != 0) return -Errno.EFAULT;
        rc = v.Hv.Xsm.Apic(v.Domain, cmd);
        if (rc != 0) return rc;
        // ioapic_physbase_to_id finds no IO-APIC; apic_read copies the struct back unchanged.
        return -Errno.EINVAL;
    }

    /// <summary>A dummy kept for old dom0 kernels: the "vector" is the IRQ number.</summary>
    static long AllocIrqVector(Vcpu v, ulong arg)
    {
        if (GuestMemory.Read(v, arg, out PhysdevIrq irq) != 0) return -Errno.EFAULT;
        int rc = v.Hv.Xsm.Apic(v.Domain, C.AllocIrqVector);
        if (rc != 0) return rc;
        irq.Vector = irq.Irq;
        return GuestMemory.Write(v, arg, irq) != 0 ? -Errno.EFAULT : 0;
    }

    static long SetIopl(Vcpu v, ulong arg)
    {
        if (GuestMemory.Read(v, arg, out PhysdevU32 iopl) != 0) return -Errno.EFAULT;
        if (iopl.Value > 3) return -Errno.EINVAL;
        v.Domain.Physdev.Iopl[v.Id] = iopl.Value;
        return 0;
    }

    static long SetIobitmap(Vcpu v, ulong arg, bool compat)
    {
        ulong bitmap;
        uint ports;
        if (compat)
        {
            if (GuestMemory.Read(v, arg, out PhysdevSetIobitmapCompat c) != 0) return -Errno.EFAULT;
            bitmap = c.Bitmap;
            ports = c.NrPorts;
        }
        else
        {
            if (GuestMemory.Read(v, arg, out PhysdevSetIobitmap n) != 0) return -Errno.EFAULT;
            bitmap = n.Bitmap;
            ports = n.NrPorts;
        }
        if (!GuestMemory.RangeOkay(v, bitmap, PhysdevConst.IoBitmapBytes) || ports > 65536) return -Errno.EINVAL;
        PhysdevState s = v.Domain.Physdev;
        s.IoBitmap[v.Id] = bitmap;
        s.IoBitmapPorts[v.Id] = ports;
        return 0;
    }
}

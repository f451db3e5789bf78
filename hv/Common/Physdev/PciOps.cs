using XenLite.Hv.Abi;
using XenLite.Hv.Common.Memory;
using C = XenLite.Hv.Abi.PhysdevOpCmd;

namespace XenLite.Hv.Common.Physdev;

/// <summary>
/// The PCI, GSI and debug-port commands of physdev_op, on a machine with no PCI segment, no
/// MMCFG region, no GSI and no EHCI debug port: after Xen's argument and XSM checks, every
/// device lookup fails with -ENODEV.
/// </summary>
static class PciOps
{
    public static long Do(Vcpu v, int cmd, ulong arg)
    {
        Domain caller = v.Domain;
        var xsm = v.Hv.Xsm;
        int rc;
        switch (cmd)
        {
            case C.ManagePciAdd:
            case C.ManagePciRemove:
            {
                if (GuestMemory.Read(v, arg, out PhysdevManagePci p) != 0) return -Errno.EFAULT;
                uint bdf = Bdf(0, p.Bus, p.Devfn);
                rc = cmd == C.ManagePciAdd ? xsm.ResourcePlugPci(caller, bdf) : xsm.ResourceUnplugPci(caller, bdf);
                return rc != 0 ? rc : -Errno.ENODEV;
            }
            case C.ManagePciAddExt:
            {
                if (GuestMemory.Read(v, arg, out PhysdevManagePciExt p) != 0) return -Errno.EFAULT;
                if (p.IsExtfn > 1 || p.IsVirtfn > 1) return -Errno.EINVAL;
                rc = xsm.ResourcePlugPci(caller, Bdf(0, p.Bus, p.Devfn));
                return rc != 0 ? rc : -Errno.ENODEV;
            }
            case C.PciDeviceAdd:
            {
                if (GuestMemory.Read(v, arg, out PhysdevPciDeviceAdd p) != 0) return -Errno.EFAULT;
                // XEN_PCI_DEV_PXM: the proximity domain is optarr[0], right after the fixed part.
                if ((p.Flags & 4) != 0 && GuestMemory.Read(v, arg + 12, out uint _) != 0) return -Errno.EFAULT;
                rc = xsm.ResourcePlugPci(caller, Bdf(p.Seg, p.Bus, p.Devfn));
                return rc != 0 ? rc : -Errno.ENODEV;
            }
            case C.PciDeviceRemove:
            {
                if (GuestMemory.Read(v, arg, out PhysdevPciDevice p) != 0) return -Errno.EFAULT;
                rc = xsm.ResourceUnplugPci(caller, Bdf(p.Seg, p.Bus, p.Devfn));
                return rc != 0 ? rc : -Errno.ENODEV;
            }
            case C.PciDeviceReset:
            {
                if (GuestMemory.Read(v, arg, out PhysdevPciDeviceReset p) != 0) return -Errno.EFAULT;
                if ((p.Flags & ~PhysdevConst.PciDeviceResetMask) != 0) return -Errno.EINVAL;
                rc = xsm.ResourceSetupPci(caller, Bdf(p.Dev.Seg, p.Dev.Bus, p.Dev.Devfn));
                return rc != 0 ? rc : -Errno.ENODEV;
            }
            case C.PrepareMsix:
            case C.ReleaseMsix:
            {
                if (GuestMemory.Read(v, arg, out PhysdevPciDevice p) != 0) return -Errno.EFAULT;
                rc = xsm.ResourceSetupPci(caller, Bdf(p.Seg, p.Bus, p.Devfn));
                return rc != 0 ? rc : -Errno.ENODEV;
            }
            case C.RestoreMsi:
                // Xen checks no XSM hook here: the device lookup is the only gate.
                return GuestMemory.Read(v, arg, out PhysdevManagePci _) != 0 ? -Errno.EFAULT : -Errno.ENODEV;
            case C.RestoreMsiExt:
                return GuestMemory.Read(v, arg, out PhysdevPciDevice _) != 0 ? -Errno.EFAULT : -Errno.ENODEV;
            case C.PciMmcfgReserved:
            {
                rc = xsm.ResourceSetupMisc(caller);
                if (rc != 0) return rc;
                if (GuestMemory.Read(v, arg, out PhysdevPciMmcfgReserved p) != 0) return -Errno.EFAULT;
                if ((p.Flags & ~PhysdevConst.PciMmcfgReserved) != 0) return -Errno.EINVAL;
                return -Errno.ENODEV;
            }
            case C.SetupGsi:
            {
                if (GuestMemory.Read(v, arg, out PhysdevSetupGsi p) != 0) return -Errno.EFAULT;
                // Every GSI is at or above nr_irqs_gsi (0).
                return -Errno.EINVAL;
            }
            case C.DbgpOp:
                if (!caller.IsHardware) return -Errno.EPERM;
                // No EHCI debug port: dbgp_op has nothing to reset and succeeds.
                return GuestMemory.Read(v, arg, out PhysdevDbgpOp _) != 0 ? -Errno.EFAULT : 0;
            default:
                return -Errno.ENOSYS;
        }
    }

    static uint Bdf(uint seg, byte bus, byte devfn) => (seg << 16) | ((uint)bus << 8) | devfn;
}

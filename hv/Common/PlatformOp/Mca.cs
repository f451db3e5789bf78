using XenLite.Hv.Abi;
using XenLite.Hv.Common.Memory;
using XenLite.Hv.Dispatch;

namespace XenLite.Hv.Common.PlatformOp;

/// <summary>
/// mca (48), PV only (Xen's do_mca): machine-check telemetry and injection for the control
/// domain. XenLite collects no telemetry and offers no MCE banks, so fetch reports "no data",
/// physcpuinfo describes the one CPU, and every injection is -ENODEV.
/// </summary>
public static unsafe class Mca
{
    public static long Handle(Vcpu v, ref HypercallArgs a)
    {
        ulong arg = a[0];
        int rc = v.Hv.Xsm.DoMca(v.Domain);
        if (rc != 0) return rc;
        if (GuestMemory.Read(v, arg, out XenMcOp op) != 0) return -Errno.EFAULT;
        if (op.InterfaceVersion != XenMc.InterfaceVersion) return -Errno.EACCES;
        bool compat = GuestModes.Is32Bit(v.Mode);
        switch ((int)op.Cmd)
        {
            case XenMc.Fetch:
                return Fetch(v, arg, ref op, compat);
            case XenMc.NotifyDomain:
                return -Errno.EINVAL;
            case XenMc.PhysCpuInfo:
                return PhysCpuInfo(v, arg, ref op, compat);
            case XenMc.MsrInject:
            case XenMc.MceInject:
            case XenMc.InjectV2:
                return -Errno.ENODEV; // no MCE banks
            default:
                return -Errno.EINVAL;
        }
    }

    static long Fetch(Vcpu v, ulong arg, ref XenMcOp op, bool compat)
    {
        fixed (byte* u = op.U)
        {
            var f = (XenMcFetch*)u;
            uint which = f->Flags & (XenMc.NonUrgent | XenMc.Urgent);
            if (which != XenMc.NonUrgent && which != XenMc.Urgent) return -Errno.EINVAL;
            // Acknowledging telemetry: nothing was ever handed out, nothing to release.
            if ((f->Flags & XenMc.Ack) != 0) return 0;
            ulong data = compat ? *(uint*)(u + 16) : f->Data;
            if (data == 0) return -Errno.EINVAL;
            f->Flags = XenMc.NoData;
            f->FetchId = 0;
        }
        return GuestMemory.Write(v, arg, op) != 0 ? -Errno.EFAULT : 0;
    }

    static long PhysCpuInfo(Vcpu v, ulong arg, ref XenMcOp op, bool compat)
    {
        fixed (byte* u = op.U)
        {
            var c = (XenMcPhysCpuInfo*)u;
            ulong info = compat ? *(uint*)(u + 8) : c->Info;
            if (info != 0)
            {
                if ((int)c->NCpus <= 0) return -Errno.EINVAL;
                // One logical CPU: number, ids and identity; the MSR snapshot stays empty.
                int size = compat ? XenMc.LogicalCpuSizeCompat : XenMc.LogicalCpuSize;
                byte* cpu = stackalloc byte[XenMc.LogicalCpuSize];
                for (int i = 0; i < size; i++) cpu[i] = 0;
                *(uint*)(cpu + 12) = PhysicalCpu.ApicId;   // mc_apicid
                *(uint*)(cpu + 20) = 1;                    // mc_ncores
                *(uint*)(cpu + 24) = 1;                    // mc_ncores_active
                *(uint*)(cpu + 28) = 1;                    // mc_nthreads
                *(uint*)(cpu + 36) = PhysicalCpu.Family;   // mc_family
                *(uint*)(cpu + 44) = PhysicalCpu.Model;    // mc_model
                *(uint*)(cpu + 48) = PhysicalCpu.Stepping; // mc_step
                for (int i = 0; i < 12; i++) cpu[52 + i] = PhysicalCpu.VendorId[i]; // mc_vendorid
                if (GuestMemory.CopyTo(v, info, cpu, (ulong)size) != 0) return -Errno.EFAULT;
            }
            c->NCpus = 1;
        }
        return GuestMemory.Write(v, arg, op) != 0 ? -Errno.EFAULT : 0;
    }
}

using XenLite.Hv.Abi;
using XenLite.Hv.Common.Domctl;

namespace XenLite.Hv.Common.Sysctl;

/// <summary>
/// XEN_SYSCTL_cpupool_op (Xen's cpupool_do_sysctl) with the single pool 0, which holds our one
/// CPU and every domain. Xen's answers for that pool: it cannot be destroyed while in use
/// (-EBUSY), its CPU cannot leave (-EBUSY) and no free CPU can join (-ENODEV); other pool ids
/// do not exist (-ENOENT). Creating a second pool is refused with -ENOSPC (Xen would create it).
/// </summary>
public static class Cpupool
{
    public static long Op(Vcpu caller, ref SysctlCpupoolOp op)
    {
        Hypervisor hv = caller.Hv;
        switch (op.Op)
        {
            case SysctlConst.CpupoolCreate:
                return op.CpupoolId == HostTopology.PoolId ? -Errno.EEXIST : -Errno.ENOSPC;
            case SysctlConst.CpupoolDestroy:
                return op.CpupoolId == HostTopology.PoolId ? -Errno.EBUSY : -Errno.ENOENT;
            case SysctlConst.CpupoolInfo:
                // The first pool with an id at or above the one asked for.
                if (op.CpupoolId > HostTopology.PoolId) return -Errno.ENOENT;
                op.CpupoolId = HostTopology.PoolId;
                op.SchedId = HostTopology.SchedulerId;
                op.NDom = (uint)hv.LiveDomains;
                return XenctlBitmaps.ToGuest(caller, op.Cpumap, HostTopology.OnlineMask, HostTopology.NrCpus);
            case SysctlConst.CpupoolAddCpu:
                if (op.CpupoolId != HostTopology.PoolId) return -Errno.ENOENT;
                if (op.Cpu == SysctlConst.CpupoolParAny) return -Errno.ENODEV;
                return op.Cpu >= HostTopology.NrCpus ? -Errno.EINVAL : -Errno.ENODEV;
            case SysctlConst.CpupoolRmCpu:
                if (op.CpupoolId != HostTopology.PoolId) return -Errno.ENOENT;
                if (op.Cpu != SysctlConst.CpupoolParAny && op.Cpu >= HostTopology.NrCpus) return -Errno.EINVAL;
                return -Errno.EBUSY;
            case SysctlConst.CpupoolMoveDomain:
            {
                // rcu_lock_remote_domain_by_id: not oneself, and it must exist.
                if (op.DomId == caller.Domain.Id || op.DomId == DomainIds.Self) return -Errno.EPERM;
                if (hv.Lookup(op.DomId) == null) return -Errno.ESRCH;
                return op.CpupoolId == HostTopology.PoolId ? 0 : -Errno.ENOENT;
            }
            case SysctlConst.CpupoolFreeInfo:
                return XenctlBitmaps.ToGuest(caller, op.Cpumap, 0, HostTopology.NrCpus);
            default:
                return -Errno.ENOSYS;
        }
    }
}

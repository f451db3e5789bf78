using XenLite.Hv.Abi;
using XenLite.Hv.Dispatch;

namespace XenLite.Hv.Common.Sched;

/// <summary>
/// sched_op_compat (6), the pre-3.0.2 form kept for old PV guests: yield, block, or shutdown
/// with the reason in the argument itself. Arm routes it to the deprecated stub (-ENOSYS).
/// </summary>
public static class SchedOpCompat
{
    public static long Handle(Vcpu v, ref HypercallArgs a)
    {
        switch ((int)a[0])
        {
            case SchedOpCmd.Yield:
                return VcpuBlock.Yield(v);
            case SchedOpCmd.Block:
                VcpuBlock.BlockEnableEvents(v);
                return 0;
            case SchedOpCmd.Shutdown:
                DomainShutdown.Shutdown(v.Domain, (byte)a[1]);
                return 0;
            default:
                return -Errno.ENOSYS;
        }
    }

    public static long Deprecated(Vcpu v, ref HypercallArgs a) => -Errno.ENOSYS;
}

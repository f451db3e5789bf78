using XenLite.Hv.Abi;
using XenLite.Hv.Common.Memory;
using XenLite.Hv.Dispatch;

namespace XenLite.Hv.Common.Events;

/// <summary>
/// event_channel_op_compat (16), the pre-3.0.2 form PV guests may still use: one evtchn_op
/// struct (command + union). Only the original sub-ops are accepted; arm routes it to the
/// deprecated stub.
/// </summary>
public static class EventChannelOpCompat
{
    public static long Handle(Vcpu v, ref HypercallArgs a)
    {
        ulong uop = a[0];
        if (GuestMemory.Read(v, uop, out EvtchnOp op) != 0) return -Errno.EFAULT;
        switch ((int)op.Cmd)
        {
            case EvtchnOpCmd.BindInterdomain:
            case EvtchnOpCmd.BindVirq:
            case EvtchnOpCmd.BindPirq:
            case EvtchnOpCmd.Close:
            case EvtchnOpCmd.Send:
            case EvtchnOpCmd.Status:
            case EvtchnOpCmd.AllocUnbound:
            case EvtchnOpCmd.BindIpi:
            case EvtchnOpCmd.BindVcpu:
            case EvtchnOpCmd.Unmask:
                return EventChannelOp.Run(v, (int)op.Cmd, uop + EvtchnOp.UnionOffset);
            default:
                return -Errno.ENOSYS;
        }
    }

    public static long Deprecated(Vcpu v, ref HypercallArgs a) => -Errno.ENOSYS;
}

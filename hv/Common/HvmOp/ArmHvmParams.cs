using XenLite.Hv.Abi;
using P = XenLite.Hv.Abi.HvmParam;

namespace XenLite.Hv.Common.HvmOp;

/// <summary>
/// arm's HVMOP_set_param / get_param (xen/arch/arm/hvm.c): only the xenstore/console
/// parameters, the callback and the monitor ring exist; the toolstack sets them, the guest
/// reads all but the monitor ring. Everything else, in range or not, is -EINVAL.
/// </summary>
public static class ArmHvmParams
{
    public static int Set(Domain caller, Domain d, uint index, ulong value)
    {
        int rc = d.Hv.Xsm.HvmParam(caller, d, HvmOpCmd.SetParam);
        if (rc != 0) return rc;
        switch (index)
        {
            case P.CallbackIrq:
            case P.StorePfn:
            case P.StoreEvtchn:
            case P.ConsolePfn:
            case P.ConsoleEvtchn:
            case P.MonitorRingPfn:
                if (d == caller) return -Errno.EPERM;
                d.HvmParams[index] = value;
                return 0;
            default:
                return -Errno.EINVAL;
        }
    }

    public static int Get(Domain caller, Domain d, uint index, out ulong value)
    {
        value = 0;
        int rc = d.Hv.Xsm.HvmParam(caller, d, HvmOpCmd.GetParam);
        if (rc != 0) return rc;
        switch (index)
        {
            case P.CallbackIrq:
            case P.StorePfn:
            case P.StoreEvtchn:
            case P.ConsolePfn:
            case P.ConsoleEvtchn:
                break;
            case P.MonitorRingPfn:
                if (d == caller) return -Errno.EPERM;
                break;
            default:
                return -Errno.EINVAL;
        }
        value = d.HvmParams[index];
        return 0;
    }
}

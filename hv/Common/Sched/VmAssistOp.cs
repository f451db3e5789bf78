using XenLite.Hv.Abi;
using XenLite.Hv.Dispatch;

namespace XenLite.Hv.Common.Sched;

/// <summary>
/// vm_assist (21): turns a VMASST_TYPE_* assist on or off for the caller's domain
/// (Domain.VmAssist bit = type). Which types exist depends on the domain's kind, not on the
/// vCPU's current mode: the type is checked first (-EINVAL), then the command (-ENOSYS).
/// </summary>
public static class VmAssistOp
{
    /// <summary>32-bit PV: the segment, page-table, PAE, IOPL and runstate assists.</summary>
    public const ulong Pv32Valid =
        (1UL << VmAssistType.FourGbSegments) | (1UL << VmAssistType.FourGbSegmentsNotify) |
        (1UL << VmAssistType.WritablePagetables) | (1UL << VmAssistType.PaeExtendedCr3) |
        (1UL << VmAssistType.ArchitecturalIopl) | (1UL << VmAssistType.RunstateUpdateFlag);

    /// <summary>64-bit PV keeps the 32-bit set (old guests ask for them) and adds m2p_strict.</summary>
    public const ulong Pv64Valid = Pv32Valid | (1UL << VmAssistType.M2pStrict);

    /// <summary>HVM and arm guests: only the runstate update flag.</summary>
    public const ulong HvmValid = 1UL << VmAssistType.RunstateUpdateFlag;
    public const ulong ArmValid = 1UL << VmAssistType.RunstateUpdateFlag;

    public static ulong ValidMask(Domain d) => d.Mode switch
    {
        GuestMode.Pv32 => Pv32Valid,
        GuestMode.Pv64 => Pv64Valid,
        GuestMode.Arm => ArmValid,
        _ => HvmValid,
    };

    public static long Handle(Vcpu v, ref HypercallArgs a)
    {
        uint cmd = (uint)a[0];
        uint type = (uint)a[1];
        Domain d = v.Domain;
        // The mask is one 64-bit word on both architectures (BITS_PER_LONG).
        if (type >= 64 || (ValidMask(d) & (1UL << (int)type)) == 0) return -Errno.EINVAL;
        switch (cmd)
        {
            case VmAssistCmd.Enable:
                d.VmAssist |= 1UL << (int)type;
                return 0;
            case VmAssistCmd.Disable:
                d.VmAssist &= ~(1UL << (int)type);
                return 0;
            default:
                return -Errno.ENOSYS;
        }
    }
}

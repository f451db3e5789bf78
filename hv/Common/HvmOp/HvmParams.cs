using XenLite.Hv.Abi;
using XenLite.Hv.Common.Sched;
using P = XenLite.Hv.Abi.HvmParam;

namespace XenLite.Hv.Common.HvmOp;

/// <summary>
/// x86 HVMOP_set_param / get_param (Xen's hvm_allow_set_param, hvm_set_param,
/// hvm_allow_get_param, hvm_get_param): who may touch each parameter, which are write-once,
/// and how each value is checked. XenLite has no viridian, no emulated ACPI PM timer, no
/// ioreq servers, no vMCE and no nested HVM; parameters for those are refused as Xen refuses
/// them when the feature is absent.
/// </summary>
public static class HvmParams
{
    /// <summary>VM86_TSS_UPDATED: Xen's internal "TSS was (re)set" flag in the top bit of VM86_TSS_SIZED.</summary>
    const ulong Vm86TssUpdated = 1UL << 63;
    /// <summary>sizeof(struct tss32) and the useful maximum (TSS + interrupt redirection + I/O bitmap + 1).</summary>
    const ulong Tss32Size = 104;
    const ulong Vm86TssMax = Tss32Size + 0x100 / 8 + 0x10000 / 8 + 1;

    /// <summary>What hvm_domain_initialise sets before the toolstack does anything.</summary>
    public static void SetDefaults(Domain d) => d.HvmParams[P.TripleFaultReason] = ShutdownReason.Reboot;

    public static int Set(Vcpu v, Domain d, uint index, ulong value)
    {
        Domain caller = v.Domain;
        int rc = AllowSet(caller, d, index, value);
        if (rc != 0) return rc;

        switch (index)
        {
            case P.CallbackIrq:
                Events.Upcall.SetCallbackVia(d, value);
                // hvm_latch_shinfo_size: when a guest sets its own, its current mode fixes the shared_info layout.
                if (d.SharedInfo != null) d.SharedInfo.Latch(v);
                break;
            case P.TimerMode:
                if (value > P.TimerModeMax) return -Errno.EINVAL;
                break;
            case P.Viridian:
                return -Errno.ENODEV;
            case P.DmDomain:
                // Deprecated: refused by AllowSet before reaching here; kept for Xen's ordering.
                return -Errno.EINVAL;
            case P.AcpiSState:
                // S3 suspend/resume of the domain: 3 or 0 only; the value read back is the state.
                if (value != 3 && value != 0) return -Errno.EINVAL;
                break;
            case P.AcpiIoportsLocation:
                // pmtimer_change_ioport: a PVH domain has no emulated ACPI PM block.
                return -Errno.ENODEV;
            case P.Altp2m:
                rc = d.Hv.Xsm.HvmParamAltp2mhvm(caller, d);
                if (rc != 0) return rc;
                if (value > P.Altp2mLimited) return -Errno.EINVAL;
                break;
            case P.TripleFaultReason:
                if (value > ShutdownReason.Max) return -Errno.EINVAL;
                break;
            case P.NrIoreqServerPages:
                if (value == 0 || value > 64) return -Errno.EINVAL;
                break;
            case P.X87FipWidth:
                if (value != 0 && value != 4 && value != 8) return -Errno.EINVAL;
                break;
            case P.Vm86Tss:
                // Hardware would drop the high half: the guest doing it to itself is crashed.
                if (value != (uint)value)
                {
                    if (d == caller) DomainShutdown.Shutdown(d, ShutdownReason.Crash);
                    return -Errno.EINVAL;
                }
                // Old hvmloaders set only the base and assume 128 bytes.
                if (value != 0) value |= (128UL << 32) | Vm86TssUpdated;
                index = P.Vm86TssSized;
                break;
            case P.Vm86TssSized:
                if ((value >> 32) < Tss32Size)
                {
                    if (d == caller) DomainShutdown.Shutdown(d, ShutdownReason.Crash);
                    return -Errno.EINVAL;
                }
                if ((value >> 32) > Vm86TssMax) value = (uint)value | (Vm86TssMax << 32);
                value |= Vm86TssUpdated;
                break;
            case P.McaCap:
                // vmce_enable_mca_cap: LMCE needs host support XenLite does not offer.
                if (value != 0) return -Errno.EINVAL;
                break;
        }
        d.HvmParams[index] = value;
        return 0;
    }

    public static int Get(Domain caller, Domain d, uint index, out ulong value)
    {
        value = 0;
        int rc = AllowGet(caller, d, index);
        if (rc != 0) return rc;
        ulong[] p = d.HvmParams;
        value = index switch
        {
            P.Vm86Tss => (uint)p[P.Vm86TssSized],
            P.Vm86TssSized => p[P.Vm86TssSized] & ~Vm86TssUpdated,
            _ => p[index],
        };
        return 0;
    }

    static int AllowSet(Domain caller, Domain d, uint index, ulong value)
    {
        int rc = d.Hv.Xsm.HvmParam(caller, d, HvmOpCmd.SetParam);
        if (rc != 0) return rc;
        switch (index)
        {
            // The guest may set these on itself.
            case P.CallbackIrq:
            case P.Vm86Tss:
            case P.Vm86TssSized:
            case P.AcpiIoportsLocation:
            case P.VmGenerationIdAddr:
            case P.StoreEvtchn:
            case P.ConsoleEvtchn:
            case P.X87FipWidth:
                break;
            case P.Altp2m:
                return -Errno.EEXIST;
            default:
                if (IsDeprecated(index)) return -Errno.EINVAL;
                // Everything else (IDENT_PT, ACPI_S_STATE, the pfns…) is the toolstack's.
                if (d == caller) return -Errno.EPERM;
                break;
        }
        switch (index)
        {
            // Set once: a second, different value is refused.
            case P.Viridian:
            case P.IoreqPfn:
            case P.BufioreqPfn:
            case P.IoreqServerPfn:
            case P.NrIoreqServerPages:
            case P.McaCap:
                ulong old = d.HvmParams[index];
                if (old != 0 && value != old) return -Errno.EEXIST;
                break;
        }
        return 0;
    }

    static int AllowGet(Domain caller, Domain d, uint index)
    {
        int rc = d.Hv.Xsm.HvmParam(caller, d, HvmOpCmd.GetParam);
        if (rc != 0) return rc;
        switch (index)
        {
            // The guest may read these about itself.
            case P.CallbackIrq:
            case P.Vm86Tss:
            case P.Vm86TssSized:
            case P.AcpiIoportsLocation:
            case P.VmGenerationIdAddr:
            case P.StorePfn:
            case P.StoreEvtchn:
            case P.ConsolePfn:
            case P.ConsoleEvtchn:
            case P.Altp2m:
            case P.X87FipWidth:
                return 0;
            default:
                if (IsDeprecated(index)) return -Errno.EINVAL;
                return d == caller ? -Errno.EPERM : 0;
        }
    }

    static bool IsDeprecated(uint index) => index switch
    {
        P.PaeEnabled or P.DmDomain or P.MemoryEventCr0 or P.MemoryEventCr3 or P.MemoryEventCr4
            or P.MemoryEventInt3 or P.NestedHvm or P.MemoryEventSingleStep or P.BufioreqEvtchn
            or P.MemoryEventMsr => true,
        _ => false,
    };
}

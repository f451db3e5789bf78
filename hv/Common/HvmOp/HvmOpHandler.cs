using XenLite.Hv.Abi;
using XenLite.Hv.Common.Memory;
using XenLite.Hv.Dispatch;

namespace XenLite.Hv.Common.HvmOp;

/// <summary>
/// hvm_op (34), routed "do" for every caller. x86 (Xen's do_hvm_op): parameters, the event
/// upcall vector, get_time, flush_tlbs, get_mem_type, xentrace, pagetable_dying, altp2m.
/// arm (xen/arch/arm/hvm.c): parameters and guest_request_vm_event only. The 32-bit structs
/// are laid out as the 64-bit ones, so one handler serves every column.
/// </summary>
public static class HvmOpHandler
{
    /// <summary>TRC_SUBCLS_SHIFT: a guest's trace event must fit below the subclass bits.</summary>
    const int TraceSubclassShift = 12;

    public static long Handle(Vcpu v, ref HypercallArgs a)
    {
        ulong arg = a[1];
        if (v.Domain.Mode == GuestMode.Arm) return HandleArm(v, (int)a[0], arg);
        switch ((int)a[0])
        {
            case HvmOpCmd.SetEvtchnUpcallVector:
                return SetUpcallVector(v, arg);
            case HvmOpCmd.SetParam:
            case HvmOpCmd.GetParam:
                return Param(v, (int)a[0], arg);
            case HvmOpCmd.FlushTlbs:
                // Nested paging: a guest's own TLB flush needs nothing from us, only a null argument.
                if (arg != 0) return -Errno.EINVAL;
                return GuestModes.IsHvm(v.Domain.Mode) ? 0 : -Errno.EINVAL;
            case HvmOpCmd.GetMemType:
                return GetMemType(v, arg);
            case HvmOpCmd.PagetableDying:
                return PagetableDying(v, arg);
            case HvmOpCmd.GetTime:
                var t = new XenHvmGetTime { Now = v.Hv.Platform.NowNs() };
                return GuestMemory.Write(v, arg, t) != 0 ? -Errno.EFAULT : 0;
            case HvmOpCmd.Xentrace:
                return Xentrace(v, arg);
            case HvmOpCmd.GuestRequestVmEvent:
                // No monitor ring can be set up here, so the request goes nowhere.
                return arg == 0 ? 0 : -Errno.EINVAL;
            case HvmOpCmd.Altp2m:
                // hvm_altp2m_supported(): needs VMX with EPT; XenLite runs on SVM.
                return -Errno.EOPNOTSUPP;
            default:
                return -Errno.ENOSYS;
        }
    }

    static long HandleArm(Vcpu v, int op, ulong arg)
    {
        switch (op)
        {
            case HvmOpCmd.SetParam:
            case HvmOpCmd.GetParam:
                return Param(v, op, arg);
            case HvmOpCmd.GuestRequestVmEvent:
                return arg == 0 ? 0 : -Errno.EINVAL;
            default:
                return -Errno.ENOSYS;
        }
    }

    static long Param(Vcpu v, int op, ulong arg)
    {
        if (GuestMemory.Read(v, arg, out XenHvmParam p) != 0) return -Errno.EFAULT;
        bool arm = v.Domain.Mode == GuestMode.Arm;
        // x86 checks the index first; arm lets its allow-lists refuse it after XSM.
        if (!arm && p.Index >= HvmParam.NrParams) return -Errno.EINVAL;
        Domain d = v.Hv.LookupOrSelf(v, p.DomId);
        if (d == null) return -Errno.ESRCH;
        if (!arm && !GuestModes.IsHvm(d.Mode)) return -Errno.EINVAL;

        if (op == HvmOpCmd.SetParam)
            return arm ? ArmHvmParams.Set(v.Domain, d, p.Index, p.Value) : HvmParams.Set(v, d, p.Index, p.Value);

        int rc = arm ? ArmHvmParams.Get(v.Domain, d, p.Index, out p.Value) : HvmParams.Get(v.Domain, d, p.Index, out p.Value);
        if (rc != 0) return rc;
        return GuestMemory.Write(v, arg, p) != 0 ? -Errno.EFAULT : 0;
    }

    /// <summary>A per-vCPU LAPIC vector for event upcalls; the caller's own domain only.</summary>
    static long SetUpcallVector(Vcpu v, ulong arg)
    {
        Domain d = v.Domain;
        if (!GuestModes.IsHvm(d.Mode)) return -Errno.EINVAL;
        if (GuestMemory.Read(v, arg, out XenHvmEvtchnUpcallVector u) != 0) return -Errno.EFAULT;
        return Events.Upcall.SetUpcallVector(d, u.Vcpu, u.Vector);
    }

    static long GetMemType(Vcpu v, ulong arg)
    {
        if (GuestMemory.Read(v, arg, out XenHvmGetMemType m) != 0) return -Errno.EFAULT;
        Domain d = v.Hv.LookupOrSelf(v, m.DomId);
        if (d == null) return -Errno.ESRCH;
        int rc = v.Hv.Xsm.HvmParam(v.Domain, d, HvmOpCmd.GetMemType);
        if (rc != 0) return rc;
        if (!GuestModes.IsHvm(d.Mode)) return -Errno.EINVAL;
        // RAM, and grant or foreign maps, read as RAM; holes are what a device model would see (mmio_dm).
        m.MemType = d.P2m.TypeOf(new Gfn(m.Pfn)) == P2mType.GrantMapRo ? HvmMemType.RamRo
            : d.P2m.Lookup(new Gfn(m.Pfn)).IsValid ? HvmMemType.RamRw : HvmMemType.MmioDm;
        return GuestMemory.Write(v, arg, m) != 0 ? -Errno.EFAULT : 0;
    }

    /// <summary>A PV-on-HVM hint for shadow paging; with nested paging there is nothing to drop.</summary>
    static long PagetableDying(Vcpu v, ulong arg)
    {
        if (GuestMemory.Read(v, arg, out XenHvmPagetableDying p) != 0) return -Errno.EFAULT;
        Domain d = v.Hv.LookupOrSelf(v, p.DomId);
        if (d == null) return -Errno.ESRCH;
        // Only about one's own page tables; Xen then acts only for a shadow-paged HVM domain.
        return d != v.Domain ? -Errno.EOPNOTSUPP : -Errno.EINVAL;
    }

    /// <summary>Validated as Xen does; no trace buffers exist, so the record is dropped.</summary>
    static long Xentrace(Vcpu v, ulong arg)
    {
        if (GuestMemory.Read(v, arg, out XenHvmXentrace t) != 0) return -Errno.EFAULT;
        if (t.ExtraBytes % 4 != 0 || t.ExtraBytes > XenHvmXentrace.ExtraMax || (t.Event >> TraceSubclassShift) != 0)
            return -Errno.EINVAL;
        return 0;
    }
}

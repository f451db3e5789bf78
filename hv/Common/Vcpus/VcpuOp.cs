using XenLite.Hv.Abi;
using XenLite.Hv.Common.Memory;
using XenLite.Hv.Dispatch;

namespace XenLite.Hv.Common.Vcpus;

/// <summary>
/// vcpu_op (24): operations on one of the caller's vCPUs (a1), with the sub-op in a0 and its
/// argument at a2. x86 has them all (32-bit callers use the compat structs where they differ);
/// arm has only register_vcpu_info and register_runstate_memory_area, anything else is -EINVAL.
/// PV VCPUOP_initialise (vcpu_guest_context loading) is not implemented: -ENOSYS.
/// </summary>
public static unsafe class VcpuOp
{
    public static long Handle(Vcpu caller, ref HypercallArgs a) => Run(caller, (int)a[0], (uint)a[1], a[2], false);

    public static long HandleCompat(Vcpu caller, ref HypercallArgs a) => Run(caller, (int)a[0], (uint)a[1], a[2], true);

    static long Run(Vcpu caller, int cmd, uint vcpuid, ulong arg, bool compat)
    {
        Domain d = caller.Domain;
        if (vcpuid >= (uint)d.Vcpus.Length) return -Errno.ENOENT;
        Vcpu v = d.Vcpus[vcpuid];
        ulong now = caller.Hv.Platform.NowNs();
        Runstate.Observe(caller, caller, now);
        if (v != caller) Runstate.Observe(v, caller, now);

        if (d.Mode == GuestMode.Arm && cmd != VcpuOpCmd.RegisterVcpuInfo && cmd != VcpuOpCmd.RegisterRunstateMemoryArea)
            return -Errno.EINVAL;

        switch (cmd)
        {
            case VcpuOpCmd.Initialise: return Initialise(caller, v, arg);
            case VcpuOpCmd.Up: return Up(v);
            case VcpuOpCmd.Down: return Down(v);
            case VcpuOpCmd.IsUp: return v.IsUp ? 1 : 0;
            case VcpuOpCmd.GetRunstateInfo: return GetRunstateInfo(caller, v, arg, compat, now);
            case VcpuOpCmd.RegisterRunstateMemoryArea: return GuestAreas.RegisterRunstate(caller, v, arg, compat, now);
            case VcpuOpCmd.RegisterRunstatePhysArea: return GuestAreas.RegisterRunstatePhys(caller, v, arg, compat);
            case VcpuOpCmd.SetPeriodicTimer: return SetPeriodic(caller, v, arg);
            case VcpuOpCmd.StopPeriodicTimer:
                PeriodicTimer.Set(v, 0);
                return 0;
            case VcpuOpCmd.SetSingleshotTimer: return SetSingleshot(caller, v, arg, compat);
            case VcpuOpCmd.StopSingleshotTimer:
                if (v != caller) return -Errno.EINVAL;
                v.SingleshotTimer.Stop();
                return 0;
            case VcpuOpCmd.RegisterVcpuInfo: return GuestAreas.RegisterVcpuInfo(caller, v, arg);
            case VcpuOpCmd.RegisterVcpuTimeMemoryArea: return GuestAreas.RegisterTime(caller, v, arg, compat);
            case VcpuOpCmd.RegisterVcpuTimePhysArea: return GuestAreas.RegisterTimePhys(caller, v, arg);
            case VcpuOpCmd.SendNmi: return SendNmi(v, arg);
            case VcpuOpCmd.GetPhysid: return GetPhysid(caller, v, arg);
            default: return -Errno.ENOSYS;
        }
    }

    /// <summary>HVM: a vcpu_hvm_context; once a vCPU has a context it keeps it (-EEXIST). PV: a vcpu_info is needed first.</summary>
    static long Initialise(Vcpu caller, Vcpu v, ulong arg)
    {
        if (GuestModes.IsPv(v.Domain.Mode))
            return v.Events.Info == null ? -Errno.EINVAL : -Errno.ENOSYS;
        if (GuestMemory.Read(caller, arg, out VcpuHvmContext ctx) != 0) return -Errno.EFAULT;
        if (v.VcpuOp.Initialised) return -Errno.EEXIST;
        return HvmInitialise.Load(v, ctx);
    }

    static long Up(Vcpu v)
    {
        if (!v.VcpuOp.Initialised) return -Errno.EINVAL;
        if (!v.IsUp)
        {
            v.IsUp = true;
            Sched.VcpuWake.Unblock(v);
            VcpuTime.Update(v);
        }
        return 0;
    }

    /// <summary>The last vCPU going down powers the domain off instead.</summary>
    static long Down(Vcpu v)
    {
        Domain d = v.Domain;
        bool othersUp = false;
        for (int i = 0; i < d.Vcpus.Length; i++)
            if (d.Vcpus[i] != v && d.Vcpus[i].IsUp) othersUp = true;
        if (!othersUp)
        {
            Sched.DomainShutdown.Shutdown(d, ShutdownReason.Poweroff);
            return 0;
        }
        v.IsUp = false;
        return 0;
    }

    static unsafe long GetRunstateInfo(Vcpu caller, Vcpu v, ulong arg, bool compat, ulong now)
    {
        VcpuRunstateInfo r = Runstate.Get(v, now);
        int rc = compat ? GuestMemory.Write(caller, arg, Runstate.ToCompat(r)) : GuestMemory.Write(caller, arg, r);
        return rc != 0 ? -Errno.EFAULT : 0;
    }

    /// <summary>At least 1 ms, at most STIME_DELTA_MAX (2^62-1 ns).</summary>
    static long SetPeriodic(Vcpu caller, Vcpu v, ulong arg)
    {
        if (GuestMemory.Read(caller, arg, out VcpuSetPeriodicTimer set) != 0) return -Errno.EFAULT;
        if (set.PeriodNs < 1_000_000) return -Errno.EINVAL;
        if (set.PeriodNs > (ulong.MaxValue >> 2)) return -Errno.EINVAL;
        PeriodicTimer.Set(v, (long)set.PeriodNs);
        return 0;
    }

    /// <summary>
    /// Only for the calling vCPU. A deadline already passed raises VIRQ_TIMER at once; Xen ignores
    /// VCPU_SSHOTTMR_future (the header allows it), so a past deadline with the flag is not -ETIME.
    /// </summary>
    static long SetSingleshot(Vcpu caller, Vcpu v, ulong arg, bool compat)
    {
        // Compat callers' struct is translated (read) before the native path checks the target.
        ulong timeout;
        if (compat)
        {
            if (GuestMemory.Read(caller, arg, out VcpuSetSingleshotTimerCompat c) != 0) return -Errno.EFAULT;
            if (v != caller) return -Errno.EINVAL;
            timeout = c.TimeoutAbsNs;
        }
        else
        {
            if (v != caller) return -Errno.EINVAL;
            if (GuestMemory.Read(caller, arg, out VcpuSetSingleshotTimer s) != 0) return -Errno.EFAULT;
            timeout = s.TimeoutAbsNs;
        }
        if (timeout < v.Hv.Platform.NowNs())
        {
            v.SingleshotTimer.Stop();
            Sched.SchedEvents.SendTimer(v);
            return 0;
        }
        v.SingleshotTimer.Set((long)timeout);
        return 0;
    }

    /// <summary>x86 only; the argument must be NULL. The arch code injects the NMI and clears the flag.</summary>
    static long SendNmi(Vcpu v, ulong arg)
    {
        if (arg != 0) return -Errno.EINVAL;
        if (!v.VcpuOp.NmiPending)
        {
            v.VcpuOp.NmiPending = true;
            Sched.VcpuWake.Unblock(v);
        }
        return 0;
    }

    /// <summary>
    /// Only for a hardware-domain vCPU pinned to one physical CPU (Xen's is_hwdom_pinned_vcpu,
    /// "dom0_vcpus_pin" on the command line): its APIC id (low half) and ACPI id (high half),
    /// which are the vCPU's number on our 1:1 pinning.
    /// </summary>
    static long GetPhysid(Vcpu caller, Vcpu v, ulong arg)
    {
        if (!v.Domain.IsHardware || !CommandLine.Has(v.Hv.Build.CommandLine, "dom0_vcpus_pin")) return -Errno.EINVAL;
        VcpuGetPhysid id = default;
        id.PhysId = (uint)v.Id | ((ulong)(uint)v.Id << 32);
        return GuestMemory.Write(caller, arg, id) != 0 ? -Errno.EFAULT : 0;
    }
}

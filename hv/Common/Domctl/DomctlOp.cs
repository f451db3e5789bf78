using XenLite.Hv.Abi;
using XenLite.Hv.Common.Memory;
using XenLite.Hv.Dispatch;

namespace XenLite.Hv.Common.Domctl;

/// <summary>
/// domctl (36): domctl(struct xen_domctl *). The whole struct is copied in, its interface
/// version checked (-EACCES), the target domain looked up (-ESRCH, or -EPERM for a caller that
/// is not a control domain), the XSM hook consulted, and for the commands that report
/// something the whole struct is copied back (-EFAULT when that fails). Commands not listed
/// in <see cref="Run"/> answer -ENOSYS after the generic XSM check, as Xen's arch_do_domctl does.
/// The same layout serves 32- and 64-bit callers (domctl.h uses 64-bit handles throughout).
/// </summary>
public static unsafe class DomctlOp
{
    public static long Handle(Vcpu caller, ref HypercallArgs a)
    {
        XenDomctl op;
        ulong arg = a[0];
        if (GuestMemory.CopyFrom(caller, arg, &op, (ulong)sizeof(XenDomctl)) != 0) return -Errno.EFAULT;
        uint version = op.Cmd == DomctlCmd.GetDomainState ? 0 : DomctlCmd.InterfaceVersion;
        if (op.InterfaceVersion != version) return -Errno.EACCES;

        Domain d = null;
        if (op.Cmd != DomctlCmd.CreateDomain)
        {
            d = caller.Hv.Lookup(op.Domain);
            if (d == null) return caller.Domain.IsPrivileged ? -Errno.ESRCH : -Errno.EPERM;
        }

        bool copyback = false;
        long rc = Run(caller, d, ref op, ref copyback);
        if (copyback && GuestMemory.CopyTo(caller, arg, &op, (ulong)sizeof(XenDomctl)) != 0) rc = -Errno.EFAULT;
        return rc;
    }

    static long Run(Vcpu caller, Domain d, ref XenDomctl op, ref bool copyback)
    {
        Hypervisor hv = caller.Hv;
        Domain cd = caller.Domain;
        fixed (byte* u = op.U)
        {
            // Commands with hooks of their own, checked before (instead of) xsm_domctl.
            switch (op.Cmd)
            {
                case DomctlCmd.GetDomainInfo:
                {
                    int rc = hv.Xsm.Getdomaininfo(cd, d);
                    if (rc != 0) return rc;
                    DomainInfo.Fill(d, u);
                    copyback = true;
                    return 0;
                }
                case DomctlCmd.IomemPermission: return IoCaps.Iomem(caller, d, ref *(DomctlIomemPermission*)u);
                case DomctlCmd.IoportPermission: return IoCaps.Ioports(caller, d, ref *(DomctlIoportPermission*)u);
                case DomctlCmd.IrqPermission: return IoCaps.Irq(caller, d, ref *(DomctlIrqPermission*)u);
                case DomctlCmd.SetTarget: return SetTarget(caller, d, ((DomctlSetTarget*)u)->Target);
                // No passthrough, no domain-state stream: these stop before their own hooks.
                case DomctlCmd.GetDomainState:
                case DomctlCmd.MemoryMapping:
                case DomctlCmd.IoportMapping:
                case DomctlCmd.GsiPermission:
                case DomctlCmd.BindPtIrq:
                case DomctlCmd.UnbindPtIrq:
                case DomctlCmd.GetDeviceGroup:
                case DomctlCmd.GetPageFrameInfo3:
                    return -Errno.ENOSYS;
            }

            uint ssidref = op.Cmd == DomctlCmd.CreateDomain ? ((DomctlCreateDomain*)u)->Ssidref : 0;
            int xsm = hv.Xsm.Domctl(cd, d, op.Cmd, ssidref);
            if (xsm != 0) return xsm;

            switch (op.Cmd)
            {
                case DomctlCmd.CreateDomain:
                {
                    long rc = CreateDomain.Run(caller, op.Domain, u);
                    if (rc < 0) return rc;
                    op.Domain = (ushort)rc;
                    copyback = true;
                    return 0;
                }
                case DomctlCmd.DestroyDomain: return Lifecycle.Destroy(caller, d);
                case DomctlCmd.PauseDomain: return Lifecycle.Pause(caller, d);
                case DomctlCmd.UnpauseDomain: return Lifecycle.Unpause(d);
                case DomctlCmd.MaxVcpus:
                    return d == cd || ((DomctlMaxVcpus*)u)->Max != (uint)d.Vcpus.Length ? -Errno.EINVAL : 0;
                case DomctlCmd.MaxMem:
                {
                    ulong pages = ((DomctlMaxMem*)u)->MaxMemKb >> (Page.Shift - 10);
                    // Xen's max_pages is an unsigned int; lowering it below tot_pages only stops new allocations.
                    d.MaxPages = pages > uint.MaxValue ? uint.MaxValue : pages;
                    return 0;
                }
                case DomctlCmd.SetDomainHandle:
                    for (int i = 0; i < 16; i++) d.Handle[i] = u[i];
                    return 0;
                case DomctlCmd.SetDebugging:
                    if (d == cd) return -Errno.EINVAL;
                    d.Control.DebuggerAttached = *u != 0;
                    return 0;
                case DomctlCmd.SetTimeOffset:
                    d.Control.TimeOffsetSeconds = ((DomctlSetTimeOffset*)u)->TimeOffsetSeconds;
                    d.Control.TimeOffsetSet = true;
                    return 0;
                case DomctlCmd.GetVcpuInfo:
                {
                    long rc = VcpuControl.GetInfo(caller, d, ref *(DomctlGetVcpuInfo*)u);
                    copyback = rc == 0;
                    return rc;
                }
                case DomctlCmd.SetVcpuAffinity:
                case DomctlCmd.GetVcpuAffinity:
                    return VcpuControl.Affinity(caller, d, op.Cmd, ref *(DomctlVcpuAffinity*)u);
                case DomctlCmd.SetVcpuContext: return VcpuContext.Set(caller, d, ref *(DomctlVcpuContext*)u);
                case DomctlCmd.GetVcpuContext:
                {
                    long rc = VcpuContext.Get(caller, d, ref *(DomctlVcpuContext*)u);
                    // Xen copies the struct back once it got as far as copying the context out.
                    copyback = rc == 0 || rc == -Errno.EFAULT;
                    return rc;
                }
                case DomctlCmd.SchedulerOp:
                    copyback = true;
                    return SchedulerAdjust(ref *(DomctlSchedulerOp*)u);
                case DomctlCmd.HypercallInit: return ArchDomctl.HypercallInit(caller, d, ((DomctlHypercallInit*)u)->Gmfn);
                case DomctlCmd.SetAddressSize: return ArchDomctl.SetAddressSize(caller, d, ((DomctlAddressSize*)u)->Size);
                case DomctlCmd.GetAddressSize:
                {
                    long rc = ArchDomctl.GetAddressSize(caller, d, out uint size);
                    if (rc != 0) return rc;
                    ((DomctlAddressSize*)u)->Size = size;
                    copyback = true;
                    return 0;
                }
                default:
                    return -Errno.ENOSYS;
            }
        }
    }

    /// <summary>
    /// XEN_DOMCTL_set_target: make <paramref name="d"/> the device model of domain e. e must exist
    /// (-ESRCH), differ from d (-EINVAL), be HVM (-EOPNOTSUPP); d may have only one target (-EINVAL).
    /// </summary>
    static long SetTarget(Vcpu caller, Domain d, ushort target)
    {
        Domain e = caller.Hv.Lookup(target);
        if (e == null) return -Errno.ESRCH;
        if (d == e) return -Errno.EINVAL;
        if (!GuestModes.IsHvm(e.Mode) && e.Mode != GuestMode.Arm) return -Errno.EOPNOTSUPP;
        int rc = caller.Hv.Xsm.SetTarget(caller.Domain, d, e);
        if (rc != 0) return rc;
        if (d.Target != null) return -Errno.EINVAL;
        d.Target = e;
        return 0;
    }

    /// <summary>
    /// sched_adjust for the one scheduler we have, reported as XEN_SCHEDULER_NULL: our round-robin
    /// takes no per-domain parameters, and null is the Xen scheduler without any (no adjust hook:
    /// every valid command succeeds and leaves the parameters as they were).
    /// </summary>
    static long SchedulerAdjust(ref DomctlSchedulerOp s)
    {
        if (s.SchedId != Sysctl.HostTopology.SchedulerId) return -Errno.EINVAL;
        return s.Cmd <= XenScheduler.GetVcpuInfo ? 0 : -Errno.EINVAL;
    }
}

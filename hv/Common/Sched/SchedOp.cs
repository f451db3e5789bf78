using XenLite.Hv.Abi;
using XenLite.Hv.Common.Memory;
using XenLite.Hv.Dispatch;

namespace XenLite.Hv.Common.Sched;

/// <summary>
/// sched_op (29): yield, block, poll, shutdown (own or another domain's), record a shutdown
/// code, watchdogs, and temporary pinning. One handler serves the native and compat variants:
/// only sched_poll differs between them (32-bit callers pass a 32-bit handle, packed tighter).
/// </summary>
public static class SchedOp
{
    public static long Handle(Vcpu v, ref HypercallArgs a)
    {
        ulong arg = a[1];
        switch ((int)a[0])
        {
            case SchedOpCmd.Yield:
                return VcpuBlock.Yield(v);
            case SchedOpCmd.Block:
                VcpuBlock.BlockEnableEvents(v);
                return 0;
            case SchedOpCmd.Shutdown:
                return Shutdown(v, arg);
            case SchedOpCmd.Poll:
                return Poll(v, arg);
            case SchedOpCmd.RemoteShutdown:
                return RemoteShutdown(v, arg);
            case SchedOpCmd.ShutdownCode:
                return ShutdownCode(v, arg);
            case SchedOpCmd.Watchdog:
                return SetWatchdog(v, arg);
            case SchedOpCmd.PinOverride:
                return Pin(v, arg);
            default:
                return -Errno.ENOSYS;
        }
    }

    static long Shutdown(Vcpu v, ulong arg)
    {
        if (GuestMemory.Read(v, arg, out SchedShutdown s) != 0) return -Errno.EFAULT;
        return DomainShutdown.Shutdown(v.Domain, (byte)s.Reason);
    }

    /// <summary>Records the code a later shutdown will report, unless one is already recorded; does not shut down.</summary>
    static long ShutdownCode(Vcpu v, ulong arg)
    {
        if (GuestMemory.Read(v, arg, out SchedShutdown s) != 0) return -Errno.EFAULT;
        Domain d = v.Domain;
        if (d.ShutdownCode == DomainShutdown.CodeInvalid) d.ShutdownCode = (byte)s.Reason;
        return 0;
    }

    static long Poll(Vcpu v, ulong arg)
    {
        if (GuestModes.Is32Bit(v.Mode))
        {
            if (GuestMemory.Read(v, arg, out SchedPollCompat c) != 0) return -Errno.EFAULT;
            return VcpuBlock.Poll(v, c.Ports, c.NrPorts, c.Timeout);
        }
        if (GuestMemory.Read(v, arg, out SchedPoll p) != 0) return -Errno.EFAULT;
        return VcpuBlock.Poll(v, p.Ports, p.NrPorts, p.Timeout);
    }

    /// <summary>
    /// The target is named by id only: DOMID_SELF names no domain here (-ESRCH), as in Xen.
    /// XSM decides (default: the control domain, or the target's device model).
    /// </summary>
    static long RemoteShutdown(Vcpu v, ulong arg)
    {
        if (GuestMemory.Read(v, arg, out SchedRemoteShutdown s) != 0) return -Errno.EFAULT;
        Domain d = v.Hv.Lookup(s.DomainId);
        if (d == null) return -Errno.ESRCH;
        int rc = v.Hv.Xsm.SchedopShutdown(v.Domain, d);
        if (rc == 0) DomainShutdown.Shutdown(d, (byte)s.Reason);
        return rc;
    }

    static long SetWatchdog(Vcpu v, ulong arg)
    {
        if (GuestMemory.Read(v, arg, out SchedWatchdog s) != 0) return -Errno.EFAULT;
        return Watchdog.Set(v.Domain, s.Id, s.Timeout, (long)v.Hv.Platform.NowNs());
    }

    /// <summary>Only the hardware domain may pin; its privilege is checked before its argument is read.</summary>
    static long Pin(Vcpu v, ulong arg)
    {
        if (!v.Domain.IsHardware) return -Errno.EPERM;
        if (GuestMemory.Read(v, arg, out SchedPinOverride s) != 0) return -Errno.EFAULT;
        return PinOverride.Apply(v, s.Pcpu);
    }
}

using XenLite.Hv.Abi;
using XenLite.Hv.Common.Memory;
using XenLite.Hv.Dispatch;

namespace XenLite.Hv.Common.Events;

/// <summary>
/// event_channel_op (32): copies each sub-op's struct in, runs it (<see cref="ChannelOps"/>,
/// <see cref="FifoSetup"/>) and copies results back. The structs are the same for 32- and
/// 64-bit callers, so one handler serves every mode.
/// </summary>
public static class EventChannelOp
{
    /// <summary>PIRQs a domain may name on x86 (Xen's nr_static_irqs 24 + extra_domU_irqs 32).</summary>
    public const uint NrPirqs = 56;

    public static long Handle(Vcpu v, ref HypercallArgs a) => Run(v, (int)a[0], a[1]);

    /// <summary>One sub-op with its argument at guest address <paramref name="arg"/> (also the compat hypercall's path).</summary>
    public static long Run(Vcpu v, int cmd, ulong arg)
    {
        switch (cmd)
        {
            case EvtchnOpCmd.AllocUnbound: return AllocUnbound(v, arg);
            case EvtchnOpCmd.BindInterdomain: return BindInterdomain(v, arg);
            case EvtchnOpCmd.BindVirq: return BindVirq(v, arg);
            case EvtchnOpCmd.BindIpi: return BindIpi(v, arg);
            case EvtchnOpCmd.BindPirq: return BindPirq(v, arg);
            case EvtchnOpCmd.Close: return PortOp(v, arg, cmd);
            case EvtchnOpCmd.Send: return PortOp(v, arg, cmd);
            case EvtchnOpCmd.Unmask: return PortOp(v, arg, cmd);
            case EvtchnOpCmd.Status: return Status(v, arg);
            case EvtchnOpCmd.BindVcpu: return BindVcpu(v, arg);
            case EvtchnOpCmd.Reset: return Reset(v, arg, false);
            case EvtchnOpCmd.ResetCont: return Reset(v, arg, true);
            case EvtchnOpCmd.InitControl: return InitControl(v, arg);
            case EvtchnOpCmd.ExpandArray: return ExpandArray(v, arg);
            case EvtchnOpCmd.SetPriority: return SetPriority(v, arg);
            default: return -Errno.ENOSYS;
        }
    }

    static long AllocUnbound(Vcpu v, ulong arg)
    {
        if (GuestMemory.Read(v, arg, out EvtchnAllocUnbound op) != 0) return -Errno.EFAULT;
        Domain d = v.Hv.LookupOrSelf(v, op.Dom);
        if (d == null) return -Errno.ESRCH;
        int rc = ChannelOps.AllocUnbound(v, d, op.RemoteDom, out op.Port);
        return rc == 0 ? CopyBack(v, arg, op) : rc;
    }

    static long BindInterdomain(Vcpu v, ulong arg)
    {
        if (GuestMemory.Read(v, arg, out EvtchnBindInterdomain op) != 0) return -Errno.EFAULT;
        Domain rd = v.Hv.LookupOrSelf(v, op.RemoteDom);
        if (rd == null) return -Errno.ESRCH;
        int rc = ChannelOps.BindInterdomain(v.Domain, rd, op.RemotePort, out op.LocalPort);
        return rc == 0 ? CopyBack(v, arg, op) : rc;
    }

    static long BindVirq(Vcpu v, ulong arg)
    {
        if (GuestMemory.Read(v, arg, out EvtchnBindVirq op) != 0) return -Errno.EFAULT;
        int rc = ChannelOps.BindVirq(v, op.Virq, op.Vcpu, out op.Port);
        return rc == 0 ? CopyBack(v, arg, op) : rc;
    }

    static long BindIpi(Vcpu v, ulong arg)
    {
        if (GuestMemory.Read(v, arg, out EvtchnBindIpi op) != 0) return -Errno.EFAULT;
        int rc = ChannelOps.BindIpi(v, op.Vcpu, out op.Port);
        return rc == 0 ? CopyBack(v, arg, op) : rc;
    }

    /// <summary>
    /// No physical IRQ is ever granted to a guest here (no passthrough). Arm builds have no PIRQs
    /// at all (-EOPNOTSUPP); on x86 a PIRQ out of range is -EINVAL and any other is not
    /// accessible to the domain, -EPERM (HVM domains, which Xen lets bind emulated PIRQs, get
    /// the same answer: no device model emulates any).
    /// </summary>
    static long BindPirq(Vcpu v, ulong arg)
    {
        if (GuestMemory.Read(v, arg, out EvtchnBindPirq op) != 0) return -Errno.EFAULT;
        if (v.Domain.Mode == GuestMode.Arm) return -Errno.EOPNOTSUPP;
        if (op.Pirq >= NrPirqs) return -Errno.EINVAL;
        return -Errno.EPERM;
    }

    static long PortOp(Vcpu v, ulong arg, int cmd)
    {
        if (GuestMemory.Read(v, arg, out EvtchnPortArg op) != 0) return -Errno.EFAULT;
        return cmd switch
        {
            EvtchnOpCmd.Close => ChannelOps.Close(v.Domain, op.Port),
            EvtchnOpCmd.Send => ChannelOps.Send(v.Domain, op.Port),
            _ => ChannelOps.Unmask(v.Domain, op.Port),
        };
    }

    static long Status(Vcpu v, ulong arg)
    {
        if (GuestMemory.Read(v, arg, out EvtchnStatus op) != 0) return -Errno.EFAULT;
        Domain d = v.Hv.LookupOrSelf(v, op.Dom);
        if (d == null) return -Errno.ESRCH;
        int rc = ChannelOps.Status(v, d, ref op);
        return rc == 0 ? CopyBack(v, arg, op) : rc;
    }

    static long BindVcpu(Vcpu v, ulong arg)
    {
        if (GuestMemory.Read(v, arg, out EvtchnBindVcpu op) != 0) return -Errno.EFAULT;
        return ChannelOps.BindVcpu(v.Domain, op.Port, op.Vcpu);
    }

    static long Reset(Vcpu v, ulong arg, bool resuming)
    {
        if (GuestMemory.Read(v, arg, out EvtchnReset op) != 0) return -Errno.EFAULT;
        Domain d = v.Hv.LookupOrSelf(v, op.Dom);
        if (d == null) return -Errno.ESRCH;
        int rc = v.Hv.Xsm.EvtchnReset(v.Domain, d);
        if (rc == 0) rc = ChannelOps.Reset(v, d, resuming);
        if (rc == -Errno.ERESTART)
            return Continuation.Create(v, HypercallNumber.EventChannelOp, HypercallArgs.Of((ulong)EvtchnOpCmd.ResetCont, arg));
        return rc;
    }

    static long InitControl(Vcpu v, ulong arg)
    {
        if (GuestMemory.Read(v, arg, out EvtchnInitControl op) != 0) return -Errno.EFAULT;
        op.LinkBits = EvtchnFifo.LinkBits;
        int rc = FifoSetup.InitControl(v.Domain, op.Vcpu, op.ControlGfn, op.Offset);
        return rc == 0 ? CopyBack(v, arg, op) : rc;
    }

    static long ExpandArray(Vcpu v, ulong arg)
    {
        if (GuestMemory.Read(v, arg, out EvtchnExpandArray op) != 0) return -Errno.EFAULT;
        return FifoSetup.ExpandArray(v.Domain, op.ArrayGfn);
    }

    static long SetPriority(Vcpu v, ulong arg)
    {
        if (GuestMemory.Read(v, arg, out EvtchnSetPriority op) != 0) return -Errno.EFAULT;
        return ChannelOps.SetPriority(v.Domain, op.Port, op.Priority);
    }

    /// <summary>The sub-op succeeded; a result that cannot be written back is -EFAULT (the binding stays, as in Xen).</summary>
    static long CopyBack<T>(Vcpu v, ulong arg, in T op) where T : unmanaged =>
        GuestMemory.Write(v, arg, op) != 0 ? -Errno.EFAULT : 0;
}

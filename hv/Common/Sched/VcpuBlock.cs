using XenLite.Hv.Abi;
using XenLite.Hv.Common.Memory;

namespace XenLite.Hv.Common.Sched;

/// <summary>A vCPU giving up the CPU: yield, block until an event, poll ports (Xen's vcpu_yield, vcpu_block, do_poll).</summary>
public static class VcpuBlock
{
    /// <summary>Xen refuses to poll more ports than this in one call.</summary>
    public const uint MaxPollPorts = 128;

    /// <summary>The scheduler picks another vCPU before this one runs again.</summary>
    public static long Yield(Vcpu v)
    {
        v.YieldRequested = true;
        return 0;
    }

    /// <summary>SCHEDOP_block: unmask upcalls, then sleep unless an event is already waiting.</summary>
    public static void BlockEnableEvents(Vcpu v)
    {
        SchedEvents.EnableDelivery(v);
        v.Blocked = true;
        // Checked after blocking, so an event racing with the block still wakes us.
        if (SchedEvents.NeedDelivery(v)) v.Blocked = false;
    }

    /// <summary>
    /// SCHEDOP_poll: sleep until one of <paramref name="nrPorts"/> ports at <paramref name="ports"/>
    /// is pending or the absolute time <paramref name="timeout"/> (0: none) passes. Returns at once
    /// (with 0) when a port is already pending; an unusable port gives -EINVAL.
    /// </summary>
    public static unsafe long Poll(Vcpu v, ulong ports, uint nrPorts, ulong timeout)
    {
        if (nrPorts > MaxPollPorts) return -Errno.EINVAL;
        if (!GuestMemory.RangeOkay(v, ports, (ulong)nrPorts * sizeof(uint))) return -Errno.EFAULT;

        v.Blocked = true;
        v.PollEvtchn = -1;
        v.Polling = true;

        long rc = 0;
        if (!SchedEvents.NeedDelivery(v))
        {
            uint port = 0;
            uint i = 0;
            for (; i < nrPorts; i++)
            {
                if (GuestMemory.Read(v, ports + (ulong)i * sizeof(uint), out port) != 0) { rc = -Errno.EFAULT; break; }
                rc = SchedEvents.PortPoll(v.Domain, port);
                if (rc != 0) break;
            }
            if (i == nrPorts)
            {
                if (nrPorts == 1) v.PollEvtchn = (int)port;
                if (timeout != 0) v.PollTimer.Set((long)timeout);
                return 0;
            }
            if (rc > 0) rc = 0;   // a pending port: return without sleeping
        }

        v.PollEvtchn = 0;
        v.Polling = false;
        v.Blocked = false;
        return rc;
    }
}

using XenLite.Hv.Abi;

namespace XenLite.Hv.Common.Sched;

/// <summary>
/// Where scheduling meets event channels. Event channels do not exist yet, so each hook
/// answers as for a domain with no port bound; the event-channel code fills these bodies in
/// and calls <see cref="VcpuWake"/> when it makes an event pending.
/// </summary>
public static class SchedEvents
{
    /// <summary>Xen's local_events_need_delivery: an upcall is pending and not masked. Nothing can be pending yet.</summary>
    public static bool NeedDelivery(Vcpu v) => false;

    /// <summary>Xen's local_event_delivery_enable (SCHEDOP_block unmasks upcalls). No vcpu_info yet, so nothing to unmask.</summary>
    public static void EnableDelivery(Vcpu v) { }

    /// <summary>Xen's evtchn_port_poll: 1 pending, 0 bound but idle, -EINVAL no usable port. No port is bound yet.</summary>
    public static int PortPoll(Domain d, uint port) => -Errno.EINVAL;

    /// <summary>
    /// Xen's send_timer_event (VIRQ_TIMER to <paramref name="v"/>). Counted and treated as a bound
    /// VIRQ_TIMER would be: the event wakes the vCPU.
    /// </summary>
    public static void SendTimer(Vcpu v)
    {
        v.TimerEvents++;
        VcpuWake.Unblock(v);
    }

    /// <summary>A domain finished shutting down: Xen sends its suspend event channel or VIRQ_DOM_EXC to the control domain.</summary>
    public static void DomainShutdownComplete(Domain d) { }
}

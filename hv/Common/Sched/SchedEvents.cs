using XenLite.Hv.Abi;

namespace XenLite.Hv.Common.Sched;

/// <summary>
/// Where scheduling meets event channels (hv/Common/Events), which call <see cref="VcpuWake"/>
/// when they make an event pending.
/// </summary>
public static class SchedEvents
{
    /// <summary>Xen's local_events_need_delivery: something is pending and not masked (the arch host's rule, else the upcall's).</summary>
    public static bool NeedDelivery(Vcpu v)
    {
        ArchEvents arch = v.Domain.Hv.EventDelivery;
        return arch != null ? arch.NeedDelivery(v) : Events.Upcall.NeedDelivery(v);
    }

    /// <summary>Xen's local_event_delivery_enable (SCHEDOP_block unmasks event delivery).</summary>
    public static void EnableDelivery(Vcpu v)
    {
        ArchEvents arch = v.Domain.Hv.EventDelivery;
        if (arch != null) arch.EnableDelivery(v);
        else Events.Upcall.EnableDelivery(v);
    }

    /// <summary>Xen's evtchn_port_poll: 1 pending, 0 bound but idle, -EINVAL no usable port.</summary>
    public static int PortPoll(Domain d, uint port) => d.Events.Poll(port);

    /// <summary>
    /// Xen's send_timer_event (VIRQ_TIMER to <paramref name="v"/>), counted. With no VIRQ_TIMER
    /// bound the vCPU is still woken (Xen would drop the event), so a guest blocked on a timer
    /// it never bound does not sleep forever.
    /// </summary>
    public static void SendTimer(Vcpu v)
    {
        v.TimerEvents++;
        if (v.Events.VirqToPort[Virq.Timer] != 0) Events.Virqs.SendVcpu(v, Virq.Timer);
        else VcpuWake.Unblock(v);
    }

    /// <summary>A domain finished shutting down: Xen sends its suspend event channel or VIRQ_DOM_EXC to the control domain.</summary>
    public static void DomainShutdownComplete(Domain d) => Events.Virqs.SendGlobal(d.Hv, Virq.DomExc);
}

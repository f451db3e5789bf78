namespace XenLite.Hv.Common;

/// <summary>
/// The arch code's view of a vCPU's event delivery for SCHEDOP_block and SCHEDOP_poll (Xen's
/// local_event_delivery_enable and local_events_need_delivery). Set by the arch host at start;
/// without one (x86, most hosted tests) <see cref="Events.Upcall"/>'s evtchn_upcall_mask rules apply.
/// </summary>
public abstract class ArchEvents
{
    /// <summary>Unmask the vCPU's event delivery before it blocks.</summary>
    public abstract void EnableDelivery(Vcpu v);

    /// <summary>Something can be delivered to the vCPU now, so it must not sleep.</summary>
    public abstract bool NeedDelivery(Vcpu v);
}

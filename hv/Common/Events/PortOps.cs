namespace XenLite.Hv.Common.Events;

/// <summary>
/// The event ABI a domain uses (Xen's evtchn_port_ops): 2-level bitmaps in shared_info, or FIFO
/// queues in guest pages. Callers have checked that the port exists and is usable.
/// </summary>
public abstract class PortOps
{
    public virtual void Init(EventChannels e, uint port) { }
    public abstract void SetPending(EventChannels e, Vcpu v, uint port);
    public abstract void ClearPending(EventChannels e, uint port);
    public abstract void Unmask(EventChannels e, uint port);
    public abstract bool IsPending(EventChannels e, uint port);
    public abstract bool IsMasked(EventChannels e, uint port);
    /// <summary>Still linked on a queue after being closed, so not yet reusable (FIFO).</summary>
    public virtual bool IsBusy(EventChannels e, uint port) => false;
    /// <summary>False when the ABI has no priorities (EVTCHNOP_set_priority gives -ENOSYS).</summary>
    public virtual bool HasPriorities => false;
    public virtual int SetPriority(EventChannels e, uint port, uint priority) => 0;
}

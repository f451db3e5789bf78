using XenLite.Hv.Abi;

namespace XenLite.Hv.Common.Events;

/// <summary>A FIFO domain's event array: up to <see cref="EvtchnFifo.MaxArrayPages"/> guest pages of event words.</summary>
public sealed unsafe class FifoDomain
{
    /// <summary>Hypervisor addresses of the event-array pages, in port order.</summary>
    public readonly ulong[] Pages = new ulong[EvtchnFifo.MaxArrayPages];
    /// <summary>Ports covered by the pages added so far.</summary>
    public uint NumEvtchns;

    /// <summary>The event word of <paramref name="port"/>, or null when no page covers it yet.</summary>
    public uint* Word(uint port) =>
        port < NumEvtchns ? (uint*)Pages[port / EvtchnFifo.WordsPerPage] + port % EvtchnFifo.WordsPerPage : null;
}

/// <summary>
/// The FIFO ABI (Xen's event_fifo.c): an event word per port in guest pages, and per vCPU
/// sixteen queues by priority, linked through the words' LINK fields, with heads in the
/// vCPU's control block and a READY bit per non-empty queue. The guest consumes from the head;
/// the hypervisor appends at the tail it remembers. Queue state is per (vCPU, priority).
/// </summary>
public sealed unsafe class FifoPorts : PortOps
{
    public static readonly FifoPorts Instance = new();

    public override void Init(EventChannels e, uint port) => e[port].Priority = (byte)EvtchnFifo.PriorityDefault;

    public override void SetPending(EventChannels e, Vcpu v, uint port)
    {
        ref EventChannel ch = ref e[port];
        byte* word = (byte*)e.Fifo.Word(port);
        if (word == null)
        {
            ch.FifoPending = true;   // raised again when its page is added
            return;
        }
        byte* control = v.Events.FifoControlBlock;
        // No control block yet: the guest cannot have unmasked anything, so the event is dropped.
        if (control == null) return;

        bool newlyPending = !GuestBits.TestAndSet(word, EvtchnFifo.Pending);
        bool linked = true;
        uint prio = ch.Priority;
        if (!GuestBits.Test(word, EvtchnFifo.Masked) && !GuestBits.TestAndSet(word, EvtchnFifo.Linked))
        {
            // The event was the tail of the queue it last sat on: that queue is empty now.
            uint[] oldTails = e.Domain.Vcpus[ch.LastVcpu].Events.FifoTail;
            if (oldTails[ch.LastPriority] == port) oldTails[ch.LastPriority] = 0;
            ch.LastVcpu = (ushort)v.Id;
            ch.LastPriority = (byte)prio;

            uint[] tails = v.Events.FifoTail;
            linked = tails[prio] != 0 && SetLink((byte*)e.Fifo.Word(tails[prio]), port);
            if (!linked) ((uint*)(control + EvtchnFifoControlBlock.HeadOffset))[prio] = port;
            tails[prio] = port;
        }
        if (!linked && !GuestBits.TestAndSet(control, prio)) Upcall.MarkEventsPending(v);
        if (newlyPending) Sched.VcpuWake.CheckPollers(e.Domain, port);
    }

    /// <summary>Points the tail's LINK at <paramref name="port"/> if the tail is still linked (else the queue emptied: start a new one).</summary>
    static bool SetLink(byte* tail, uint port)
    {
        if (tail == null || !GuestBits.Test(tail, EvtchnFifo.Linked)) return false;
        uint* w = (uint*)tail;
        *w = (*w & ~((1u << EvtchnFifo.Busy) | EvtchnFifo.LinkMask)) | port;
        return true;
    }

    /// <summary>Only P is cleared: the guest unlinks, and skips events that are no longer pending.</summary>
    public override void ClearPending(EventChannels e, uint port)
    {
        byte* word = (byte*)e.Fifo.Word(port);
        if (word != null) GuestBits.Clear(word, EvtchnFifo.Pending);
    }

    public override void Unmask(EventChannels e, uint port)
    {
        byte* word = (byte*)e.Fifo.Word(port);
        if (word == null) return;
        GuestBits.Clear(word, EvtchnFifo.Masked);
        if (GuestBits.Test(word, EvtchnFifo.Pending)) SetPending(e, e.Domain.Vcpus[e[port].NotifyVcpu], port);
    }

    public override bool IsPending(EventChannels e, uint port)
    {
        byte* word = (byte*)e.Fifo.Word(port);
        return word != null && GuestBits.Test(word, EvtchnFifo.Pending);
    }

    public override bool IsMasked(EventChannels e, uint port)
    {
        byte* word = (byte*)e.Fifo.Word(port);
        return word == null || GuestBits.Test(word, EvtchnFifo.Masked);
    }

    public override bool IsBusy(EventChannels e, uint port)
    {
        byte* word = (byte*)e.Fifo.Word(port);
        return word != null && GuestBits.Test(word, EvtchnFifo.Linked);
    }

    public override bool HasPriorities => true;

    /// <summary>Applies to later events only: one already queued stays on its old queue.</summary>
    public override int SetPriority(EventChannels e, uint port, uint priority)
    {
        if (priority > EvtchnFifo.PriorityMin) return -Errno.EINVAL;
        e[port].Priority = (byte)priority;
        return 0;
    }
}

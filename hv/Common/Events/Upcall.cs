using XenLite.Hv.Abi;
using XenLite.Hv.Common.Sched;

namespace XenLite.Hv.Common.Events;

/// <summary>
/// The evtchn_upcall_pending / evtchn_upcall_mask protocol in vcpu_info, and the bookkeeping
/// the arch code turns into an interrupt: the HVM callback (per-vCPU vector or the domain's
/// HVM_PARAM_CALLBACK_IRQ), the PV event callback, or the arm event PPI.
/// </summary>
public static unsafe class Upcall
{
    const int PendingOffset = 0;

    /// <summary>Xen's vcpu_mark_events_pending: set evtchn_upcall_pending and, on its 0→1 edge, kick the vCPU.</summary>
    public static void MarkEventsPending(Vcpu v)
    {
        VcpuEvents ev = v.Events;
        if (ev.Info == null) return;
        if (GuestBits.TestAndSet(ev.Info + PendingOffset, 0)) return;
        if (!HasRoute(v)) return;
        ev.UpcallWanted = true;
        ev.Upcalls++;
        VcpuWake.Unblock(v);
    }

    /// <summary>
    /// Whether raising the upcall reaches the vCPU (Xen's hvm_assert_evtchn_irq for HVM): a
    /// per-vCPU vector, the domain's callback vector, or (vCPU 0 only) a GSI/INTx line. PV and
    /// arm vCPUs always have one (the PV callback, the event PPI).
    /// </summary>
    public static bool HasRoute(Vcpu v)
    {
        if (!GuestModes.IsHvm(v.Domain.Mode)) return true;
        if (v.Events.UpcallVector != 0) return true;
        CallbackVia via = v.Domain.Events.Via;
        if (via == CallbackVia.Vector) return true;
        return v.Id == 0 && (via == CallbackVia.Gsi || via == CallbackVia.PciIntx);
    }

    public static bool IsPending(Vcpu v) => v.Events.Info != null && v.Events.Info[PendingOffset] != 0;

    /// <summary>evtchn_upcall_mask (x86 only; arm guests mask with PSTATE.I, which the arch code owns).</summary>
    public static bool IsMasked(Vcpu v)
    {
        int off = v.Domain.SharedInfo.Layout.UpcallMask;
        return off >= 0 && v.Events.Info != null && v.Events.Info[off] != 0;
    }

    /// <summary>Xen's local_events_need_delivery: an upcall is pending, unmasked and has somewhere to go.</summary>
    public static bool NeedDelivery(Vcpu v)
    {
        if (!IsPending(v)) return false;
        if (GuestModes.IsPv(v.Domain.Mode)) return !IsMasked(v);
        return HasRoute(v);
    }

    /// <summary>Xen's local_event_delivery_enable (SCHEDOP_block): clears evtchn_upcall_mask on x86.</summary>
    public static void EnableDelivery(Vcpu v)
    {
        int off = v.Domain.SharedInfo.Layout.UpcallMask;
        if (off >= 0 && v.Events.Info != null) v.Events.Info[off] = 0;
    }

    /// <summary>
    /// HVM_PARAM_CALLBACK_IRQ (Xen's hvm_set_callback_via): bits 63:56 are the type (0 GSI,
    /// 1 PCI INTx, 2 vector), the low bits its value. GSI 0 and unknown types mean none.
    /// Every online vCPU is then re-asserted, so a pending upcall is not lost.
    /// </summary>
    public static void SetCallbackVia(Domain d, ulong value)
    {
        uint type = (uint)(value >> 56) + 1;
        CallbackVia via = (CallbackVia)type;
        if ((via == CallbackVia.Gsi && value == 0) || type > (uint)CallbackVia.Vector) via = CallbackVia.None;
        d.Events.Via = via;
        d.Events.ViaValue = value & 0x00FF_FFFF_FFFF_FFFF;
        for (int i = 0; i < d.Vcpus.Length; i++)
            if (d.Vcpus[i].IsUp) Reassert(d.Vcpus[i]);
    }

    /// <summary>HVMOP_set_evtchn_upcall_vector's effect: -EINVAL below vector 0x10, -ENOENT for no such vCPU.</summary>
    public static int SetUpcallVector(Domain d, uint vcpu, byte vector)
    {
        if (!GuestModes.IsHvm(d.Mode)) return -Errno.EINVAL;
        if (vector < 0x10) return -Errno.EINVAL;
        if (vcpu >= (uint)d.Vcpus.Length) return -Errno.ENOENT;
        Vcpu v = d.Vcpus[vcpu];
        v.Events.UpcallVector = vector;
        Reassert(v);
        return 0;
    }

    /// <summary>A new route was set up: an upcall already pending must be delivered through it.</summary>
    static void Reassert(Vcpu v)
    {
        if (!IsPending(v) || !HasRoute(v)) return;
        v.Events.UpcallWanted = true;
        v.Events.Upcalls++;
        VcpuWake.Unblock(v);
    }
}

using XenLite.Hv.Common;
using XenLite.Hv.Common.Events;

namespace XenLite.Hv.Arch.X86;

/// <summary>
/// The HVM event upcall: when an upcall was raised for the vCPU (evtchn_upcall_pending went
/// 0→1 with a route), its callback vector (HVMOP_set_evtchn_upcall_vector, else the domain's
/// HVM_PARAM_CALLBACK_IRQ of vector type) is injected as an external interrupt at the next
/// VMRUN the guest can take it: RFLAGS.IF set, no interrupt shadow, no other event queued.
/// Until then it stays wanted (deviation: Xen's vLAPIC would also deliver it the moment the
/// guest sets IF; here that waits for the guest's next exit, at most a time slice).
/// </summary>
public static unsafe class UpcallInjection
{
    const ulong TypeExternal = 0;

    public static void Prepare(Vcpu v, Vmcb* vmcb)
    {
        VcpuEvents ev = v.Events;
        if (ev == null || !ev.UpcallWanted) return;
        byte vector = Vector(v);
        if (vector == 0) return;
        if ((vmcb->EventInj & SvmEvent.Valid) != 0) return;
        if ((v.Regs.Flags & X86Bits.RflagsIf) == 0 || (vmcb->InterruptShadow & 1) != 0) return;
        vmcb->EventInj = SvmEvent.Valid | TypeExternal | vector;
        ev.UpcallWanted = false;
    }

    /// <summary>The per-vCPU vector, else the domain-wide callback vector; 0 for none.</summary>
    public static byte Vector(Vcpu v)
    {
        if (v.Events.UpcallVector != 0) return v.Events.UpcallVector;
        Domain d = v.Domain;
        return d.Events.Via == CallbackVia.Vector ? (byte)d.Events.ViaValue : (byte)0;
    }
}

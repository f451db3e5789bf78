using XenLite.Hv.Common;
using XenLite.Hv.Common.Events;

namespace XenLite.Hv.Arch.Arm64;

/// <summary>
/// Event delivery for SCHEDOP_block and SCHEDOP_poll on arm, as Xen's asm/event.h: an arm guest masks
/// interrupts with PSTATE.I (not evtchn_upcall_mask), so blocking clears it, and the vCPU must not
/// sleep while interrupts are unmasked and a virtual interrupt is pending for it in the vGIC, or an
/// upcall is pending (its event PPI is asserted while evtchn_upcall_pending is set). A vCPU without
/// arm64 state yet keeps <see cref="Upcall"/>'s rules.
/// </summary>
public sealed class Arm64Events : ArchEvents
{
    /// <summary>PSTATE.I, in the vCPU's saved PSTATE (Regs.Flags).</summary>
    public const ulong PstateI = 1UL << 7;

    public override void EnableDelivery(Vcpu v)
    {
        if (v.Arm64 == null) Upcall.EnableDelivery(v);
        else v.Regs.Flags &= ~PstateI;
    }

    public override bool NeedDelivery(Vcpu v)
    {
        if (v.Arm64 == null || v.Domain.Arm64 == null) return Upcall.NeedDelivery(v);
        return (v.Regs.Flags & PstateI) == 0 && (Vgic.HasPending(v) || Upcall.IsPending(v));
    }
}

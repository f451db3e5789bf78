using XenLite.Hv.Common;
using XenLite.Hv.Common.Events;

namespace XenLite.Hv.Arch.Arm64;

/// <summary>
/// Trapped WFI/WFE (HCR_EL2.TWI/TWE), as Xen: WFE yields the CPU; WFI blocks the vCPU unless an
/// interrupt is already waiting for it (vcpu_block_unless_event_pending). Either way the
/// instruction is complete.
/// </summary>
public static unsafe class Arm64Wfx
{
    public static Arm64ExitResult Handle(Arm64Host host, Vcpu v, GuestContext* ctx)
    {
        v.Regs.Ip += Esr.Length(ctx->Esr);
        if (Esr.IsWfe(ctx->Esr))
        {
            v.YieldRequested = true;
            return Arm64ExitResult.Blocked;
        }
        if (EventPending(host, v)) return Arm64ExitResult.Resume;
        v.Blocked = true;
        return Arm64ExitResult.Blocked;
    }

    /// <summary>Something would wake the vCPU at once: a virtual interrupt, an upcall, or its timer already due.</summary>
    public static bool EventPending(Arm64Host host, Vcpu v) =>
        Vgic.HasPending(v) || Upcall.IsPending(v) || Vtimer.Deadline(host, v) <= host.Cpu.Counter();
}

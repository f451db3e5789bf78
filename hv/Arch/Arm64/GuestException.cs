using XenLite.Hv.Common;

namespace XenLite.Hv.Arch.Arm64;

/// <summary>
/// Exceptions the hypervisor raises in a 64-bit guest, as Xen's inject_undef64_exception and
/// inject_abt64_exception do: ELR_EL1/SPSR_EL1 take the interrupted PC and PSTATE, ESR_EL1 the
/// syndrome (IL set, ISS 0), the vCPU continues at VBAR_EL1's synchronous vector for its origin
/// (EL0: a lower-EL entry, AArch64 or AArch32; EL1: current EL with SP_ELx) in EL1h with D, A, I, F masked.
/// </summary>
public static class GuestException
{
    public const ulong Pstate64Init = 0x3C5;   // EL1h, DAIF masked (Xen's PSR_GUEST64_INIT)
    const ulong ModeMask = 0xF, El0t = 0, Aarch32 = 0x10;

    public static Arm64ExitResult Undefined(Arm64Host host, Vcpu v)
    {
        Enter(host, v, ((ulong)Ec.Unknown << 26) | Esr.Il, 0, false);
        return Arm64ExitResult.Resume;
    }

    /// <summary>A data or instruction abort at <paramref name="address"/> (the guest's virtual address, FAR_EL2).</summary>
    public static Arm64ExitResult Abort(Arm64Host host, Vcpu v, bool instruction, ulong address)
    {
        bool fromEl0 = (v.Regs.Flags & ModeMask) == El0t;
        uint ec = instruction ? (fromEl0 ? Ec.IabtLower : Ec.IabtCurrent) : (fromEl0 ? Ec.DabtLower : Ec.DabtCurrent);
        Enter(host, v, ((ulong)ec << 26) | Esr.Il, address, true);
        return Arm64ExitResult.Resume;
    }

    static void Enter(Arm64Host host, Vcpu v, ulong esr, ulong far, bool setFar)
    {
        ulong spsr = v.Regs.Flags;
        // Xen's exception_handler64: AArch32 EL0 → lower EL AArch32, EL0t → lower EL AArch64, EL1 → current EL with SP_ELx.
        ulong offset = (spsr & Aarch32) != 0 ? 0x600UL : (spsr & ModeMask) == El0t ? 0x400UL : 0x200UL;
        host.WriteEl1(v, El1Reg.Elr, v.Regs.Ip);
        host.WriteEl1(v, El1Reg.Spsr, spsr);
        host.WriteEl1(v, El1Reg.Esr, esr);
        if (setFar) host.WriteEl1(v, El1Reg.Far, far);
        v.Regs.Flags = Pstate64Init;
        v.Regs.Ip = host.ReadEl1(v, El1Reg.Vbar) + offset;
    }
}

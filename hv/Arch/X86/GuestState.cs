using XenLite.Hv.Common;

namespace XenLite.Hv.Arch.X86;

/// <summary>Small edits of a vCPU's architectural state the exit handlers share.</summary>
public static unsafe class GuestState
{
    /// <summary>True when the guest runs 64-bit code: long mode active and CS.L set.</summary>
    public static bool Is64Bit(Vmcb* vmcb) =>
        (vmcb->Efer & X86Bits.EferLma) != 0 && (vmcb->Cs.Attrib & VmcbSegment.AttrL) != 0;

    /// <summary>
    /// Steps over an instruction of known length (QEMU's TCG has no next-RIP save); like Xen's
    /// __update_guest_eip it clears RF and the interrupt shadow, and wraps outside 64-bit mode.
    /// Under VMX the CPU reports the length (VM-exit instruction length), which wins.
    /// </summary>
    public static void Advance(Vcpu v, Vmcb* vmcb, uint length)
    {
        uint reported = v.X86 != null ? v.X86.ExitLength : 0;
        SetRip(v, vmcb, v.Regs.Ip + (reported != 0 ? reported : length));
    }

    public static void SetRip(Vcpu v, Vmcb* vmcb, ulong rip)
    {
        v.Regs.Ip = Is64Bit(vmcb) ? rip : (uint)rip;
        v.Regs.Flags &= ~X86Bits.RflagsRf;
        vmcb->InterruptShadow &= ~1UL;
    }

    /// <summary>Raises #UD in the guest: an instruction we do not emulate.</summary>
    public static SvmExitResult InjectUd(Vmcb* vmcb)
    {
        vmcb->EventInj = SvmEvent.Exception(SvmEvent.VectorUd);
        return SvmExitResult.Resume;
    }

    /// <summary>Raises #GP(0) in the guest.</summary>
    public static SvmExitResult InjectGp(Vmcb* vmcb)
    {
        vmcb->EventInj = SvmEvent.Exception(SvmEvent.VectorGp, 0);
        return SvmExitResult.Resume;
    }
}

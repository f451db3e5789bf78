using XenLite.Hv.Common;

namespace XenLite.Hv.Arch.X86;

/// <summary>
/// Everything the x86 virtualization code needs from the processor. The image implements it
/// with the asm helpers in boot/x86_64; hosted tests implement it with a scripted fake.
/// </summary>
public abstract unsafe class X86Cpu
{
    public abstract void Cpuid(uint leaf, uint subleaf, out uint a, out uint b, out uint c, out uint d);

    public abstract ulong ReadMsr(uint msr);

    public abstract void WriteMsr(uint msr, ulong value);

    /// <summary>Writes the host's EFER (kept apart from WriteMsr: setting SVME is how SVM is switched on).</summary>
    public abstract void WriteEfer(ulong value);

    public abstract ulong Rdtsc();

    /// <summary>The TSC frequency in kHz (calibrated by the image at boot).</summary>
    public abstract uint TscKhz { get; }

    /// <summary>
    /// Runs the guest until the next #VMEXIT. The stub loads the guest's general registers from
    /// <paramref name="gprs"/> (all but rax and rsp, which the VMCB carries), saves whatever host
    /// state it needs, executes VMLOAD, VMRUN and VMSAVE on the VMCB at machine address
    /// <paramref name="vmcbMaddr"/>, stores the guest's registers back, and returns with GIF set
    /// (STGI) so a pending host interrupt is taken. Exit code and info are then in the VMCB.
    /// </summary>
    public abstract void VmRun(ulong vmcbMaddr, RegisterFile* gprs);

    /// <summary>
    /// Arms the host's one-shot timer (LAPIC timer) to interrupt at TSC value
    /// <paramref name="tscDeadline"/>; 0 cancels it. A guest running then exits with
    /// VMEXIT_INTR. Without a timer (hosted fakes) nothing happens and the scheduler polls.
    /// </summary>
    public virtual void ArmTimer(ulong tscDeadline) { }

    /// <summary>Halts the host until an interrupt (the armed timer) arrives; returns at once without one.</summary>
    public virtual void WaitForInterrupt() { }

    /// <summary>A byte read of a real I/O port the hardware domain owns (<see cref="IoExit"/>); hosted fakes have no devices.</summary>
    public virtual byte InB(ushort port) => 0xFF;

    /// <summary>A byte write to a real I/O port the hardware domain owns; hosted fakes drop it.</summary>
    public virtual void OutB(ushort port, byte value) { }
}

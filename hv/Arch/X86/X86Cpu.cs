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

    // Intel VMX. The image implements these with the VMX instructions (boot/x86_64/hypervisor/vmx.S);
    // the defaults are a CPU without VMX.

    /// <summary>Sets CR0/CR4 to their VMX fixed-1 bits (CR4.VMXE among them) and executes VMXON on the region; false when it fails.</summary>
    public virtual bool VmxOn(ulong regionMaddr, ulong cr0Fixed0, ulong cr4Fixed0) => false;

    public virtual bool VmClear(ulong vmcsMaddr) => false;

    public virtual bool VmPtrLoad(ulong vmcsMaddr) => false;

    /// <summary>VMREAD of the current VMCS.</summary>
    public virtual ulong VmRead(uint field) => 0;

    /// <summary>VMWRITE to the current VMCS.</summary>
    public virtual void VmWrite(uint field, ulong value) { }

    /// <summary>INVEPT of <paramref name="type"/> (1 single context, 2 all contexts) for the EPT pointer.</summary>
    public virtual void InvEpt(int type, ulong eptp) { }

    /// <summary>Writes the host-state area of the current VMCS: the image's CR0/CR3/CR4, selectors, GDT/IDT/TSS, FS/GS bases, EFER and the exit stub's RIP.</summary>
    public virtual void VmxHostState() { }

    /// <summary>
    /// Enters the guest of the current VMCS (VMLAUNCH when <paramref name="launched"/> is false, else
    /// VMRESUME) with all sixteen GPRs from <paramref name="gprs"/> (rsp is ignored: the VMCS has it),
    /// and stores them back at the VM exit. Returns 0 after a VM exit, 1 for VMfailInvalid, 2 for
    /// VMfailValid (the VM-instruction error field says why). Interrupts the exit left pending are
    /// taken before it returns.
    /// </summary>
    public virtual int VmEnter(bool launched, RegisterFile* gprs) => 1;
}

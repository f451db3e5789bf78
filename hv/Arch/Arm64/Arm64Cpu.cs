using XenLite.Hv.Common;

namespace XenLite.Hv.Arch.Arm64;

/// <summary>
/// Everything the arm64 virtualization code needs from the processor and its GIC. The image
/// implements it with the helpers in boot/arm64/hypervisor; hosted tests with a scripted fake.
/// </summary>
public abstract unsafe class Arm64Cpu
{
    /// <summary>The host GIC's architecture version (2 or 3): the virtual interface follows it.</summary>
    public abstract int GicVersion { get; }

    /// <summary>CNTFRQ_EL0 in Hz.</summary>
    public abstract ulong CounterFrequency { get; }

    /// <summary>CNTPCT_EL0, the physical count every vCPU's virtual count derives from.</summary>
    public abstract ulong Counter();

    /// <summary>ID_AA64MMFR0_EL1.PARange (0 = 32 bits … 5 = 48 bits).</summary>
    public abstract uint PhysicalAddressRange { get; }

    /// <summary>MIDR_EL1, shown to guests through VPIDR_EL2.</summary>
    public abstract ulong Midr { get; }

    /// <summary>One-time EL2 set-up for guests: VTCR_EL2, CNTHCTL_EL2, the virtual CPU interface enable.</summary>
    public abstract void EnableVirtualization(ulong vtcr, ulong cnthctl);

    /// <summary>Switches the EL2 registers to a vCPU's world (VTTBR_EL2, HCR_EL2, CNTVOFF_EL2, VMPIDR_EL2).</summary>
    public abstract void LoadWorld(in Arm64World w);

    public abstract void SaveEl1(GuestContext* ctx);

    public abstract void LoadEl1(GuestContext* ctx);

    /// <summary>One EL1 register of the loaded vCPU (index from <see cref="El1Reg"/>).</summary>
    public abstract ulong ReadEl1(int reg);

    public abstract void WriteEl1(int reg, ulong value);

    /// <summary>
    /// Enters the loaded vCPU with <paramref name="regs"/> (x0–x30, PC, PSTATE) and FP state from
    /// <paramref name="ctx"/>; returns at its next exit with everything saved back and the exit's
    /// kind and syndrome (ESR, FAR, HPFAR) in <paramref name="ctx"/>.
    /// </summary>
    public abstract void Run(RegisterFile* regs, GuestContext* ctx);

    /// <summary>Drops stage-2 translations cached for a VMID after a mapping was removed or changed.</summary>
    public abstract void FlushGuestTlb(ulong vttbr);

    /// <summary>How many list registers the virtual CPU interface has.</summary>
    public abstract int ListRegisters { get; }

    public abstract ulong ReadLr(int index);

    public abstract void WriteLr(int index, ulong value);

    /// <summary>The virtual CPU interface's per-vCPU state: VMCR and the active-priority register.</summary>
    public abstract void SaveVirtualInterface(out ulong vmcr, out ulong apr);

    public abstract void LoadVirtualInterface(ulong vmcr, ulong apr);

    /// <summary>Enables a private peripheral interrupt at the host GIC (the timers the hypervisor takes).</summary>
    public abstract void EnablePpi(uint intid);

    /// <summary>Acknowledges the highest pending physical interrupt; 1023 when none.</summary>
    public abstract uint AcknowledgeInterrupt();

    /// <summary>Ends (and deactivates) an acknowledged physical interrupt.</summary>
    public abstract void EndInterrupt(uint intid);

    /// <summary>Arms the EL2 physical timer (CNTHP) for an absolute count; 0 disarms it.</summary>
    public abstract void SetHypervisorTimer(ulong count);

    /// <summary>Waits for an interrupt with interrupts masked (WFI): returns when one is pending.</summary>
    public abstract void WaitForInterrupt();
}

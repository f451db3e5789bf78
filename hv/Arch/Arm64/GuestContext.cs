using System.Runtime.InteropServices;

namespace XenLite.Hv.Arch.Arm64;

/// <summary>
/// What the world switch keeps per vCPU beside its general registers (Vcpu.Regs: x0–x30, Ip =
/// PC, Flags = PSTATE): one hypervisor frame, laid out for the assembly in
/// boot/arm64/hypervisor (offsets are part of that contract; the layout test pins them).
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 1024)]
public unsafe struct GuestContext
{
    /// <summary>Scratch for the stub: the register file and the host stack while the guest runs.</summary>
    [FieldOffset(0)] public ulong RegsPointer;
    [FieldOffset(8)] public ulong HostSp;
    /// <summary>Why the guest stopped: 0 synchronous (ESR valid), 1 IRQ, 2 FIQ, 3 SError.</summary>
    [FieldOffset(16)] public ulong ExitKind;
    [FieldOffset(24)] public ulong Esr;
    [FieldOffset(32)] public ulong Far;
    [FieldOffset(40)] public ulong Hpfar;
    /// <summary>SP_EL0 is the host's stack pointer at EL2, so the stub swaps it on every switch.</summary>
    [FieldOffset(48)] public ulong SpEl0;
    [FieldOffset(56)] public ulong Fpcr;
    [FieldOffset(64)] public ulong Fpsr;
    /// <summary>q0–q31, two words each.</summary>
    [FieldOffset(128)] public fixed ulong V[64];
    /// <summary>EL1 state saved while another vCPU is loaded (indices: El1Reg).</summary>
    [FieldOffset(640)] public fixed ulong El1[El1Reg.Count];

    public const int ExitSync = 0, ExitIrq = 1, ExitFiq = 2, ExitSerror = 3;

    /// <summary>The faulting IPA of a stage-2 abort: HPFAR_EL2.FIPA (bits 43:4 = IPA 51:12) plus FAR's page offset.</summary>
    public ulong FaultIpa => ((Hpfar >> 4) << 12) | (Far & 0xFFF);
}

/// <summary>The EL2 registers that describe one vCPU's world, loaded when it is switched in.</summary>
public struct Arm64World
{
    public ulong Vttbr;
    public ulong Hcr;
    public ulong Cntvoff;
    public ulong Vmpidr;
}

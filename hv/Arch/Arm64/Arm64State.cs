using XenLite.Hv.Common.Memory;

namespace XenLite.Hv.Arch.Arm64;

/// <summary>What the arm64 code keeps per domain: VMID, stage-2 tables, timer offset, vGIC distributor, vpl011.</summary>
public sealed class Arm64DomainState
{
    public uint Vmid;
    public Mfn Stage2Root = Mfn.Invalid;
    /// <summary>CNTVOFF_EL2: the physical count at creation, so the guest's virtual count starts near 0 (Xen's virt_timer_base).</summary>
    public ulong Cntvoff;
    public VgicDist Dist;
    /// <summary>The domain's emulated SBSA UART at GUEST_PL011_BASE, or null when it has none.</summary>
    public Vpl011 Uart;

    public ulong Vttbr => ((ulong)Vmid << 48) | Stage2Root.ToMaddr().Value;
}

/// <summary>What the arm64 code keeps per vCPU: its context frame, MPIDR and virtual CPU interface.</summary>
public sealed unsafe class Arm64VcpuState
{
    public Mfn ContextFrame = Mfn.Invalid;
    public GuestContext* Ctx;
    public ulong Vmpidr;
    public VgicCpu Vgic;
}

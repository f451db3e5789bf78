using XenLite.Hv.Abi;
using XenLite.Hv.Common.Timer;
using XenLite.Hv.Dispatch;

namespace XenLite.Hv.Common;

/// <summary>A virtual CPU: its registers, hypercall state and scheduling flags.</summary>
public sealed class Vcpu
{
    public readonly Domain Domain;
    public readonly int Id;
    public RegisterFile Regs;

    /// <summary>The caller column this vCPU uses now (HVM guests switch between 32 and 64 bit).</summary>
    public GuestMode Mode;

    public bool IsUp;
    public bool Blocked;
    public bool YieldRequested;

    /// <summary>set_timer_op / VCPUOP_set_singleshot_timer: fires VIRQ_TIMER (Xen's v->singleshot_timer).</summary>
    public SoftTimer SingleshotTimer;
    /// <summary>Timer events the singleshot timer has raised (VIRQ_TIMER sends, until event channels carry them).</summary>
    public ulong TimerEvents;
    /// <summary>SCHEDOP_poll: this vCPU's bit in Xen's d->poll_mask, the one port it waits on (-1: several, 0: none) and its timeout.</summary>
    public bool Polling;
    public int PollEvtchn;
    public SoftTimer PollTimer;
    /// <summary>Paused because its domain shut down (Xen's paused_for_shutdown).</summary>
    public bool PausedForShutdown;
    /// <summary>Temporary pinning in force (Xen's affinity_broken: VCPU_AFFINITY_* bits) and the pCPU it pins to.</summary>
    public byte AffinityBroken;
    public int TemporaryCpu;

    /// <summary>Hypercall state: continuation and multicall bookkeeping.</summary>
    public HypercallState Call;

    /// <summary>SVM state of an x86 HVM vCPU (its VMCB); null elsewhere.</summary>
    public Arch.X86.X86VcpuState X86;
    /// <summary>Arm64 state of a vCPU (context frame, MPIDR, virtual CPU interface); null elsewhere.</summary>
    public Arch.Arm64.Arm64VcpuState Arm64;

    /// <summary>Event delivery: VIRQ bindings, vcpu_info, FIFO queues, the upcall to raise (hv/Common/Events).</summary>
    public Events.VcpuEvents Events;
    /// <summary>What vcpu_op manages: context, runstate, periodic timer, guest time/runstate areas (hv/Common/Vcpus).</summary>
    public Vcpus.VcpuOpState VcpuOp;

    internal Vcpu(Domain d, int id, GuestMode mode)
    {
        Domain = d;
        Id = id;
        Mode = mode;
        IsUp = id == 0;
    }

    public Hypervisor Hv => Domain.Hv;
}

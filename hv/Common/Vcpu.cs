using XenLite.Hv.Abi;
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
    public ulong SingleshotDeadlineNs;

    /// <summary>Hypercall state: continuation and multicall bookkeeping.</summary>
    public HypercallState Call;

    /// <summary>SVM state of an x86 HVM vCPU (its VMCB); null elsewhere.</summary>
    public Arch.X86.X86VcpuState X86;

    internal Vcpu(Domain d, int id, GuestMode mode)
    {
        Domain = d;
        Id = id;
        Mode = mode;
        IsUp = id == 0;
    }

    public Hypervisor Hv => Domain.Hv;
}

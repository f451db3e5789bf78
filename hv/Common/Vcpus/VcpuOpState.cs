using XenLite.Hv.Abi;

namespace XenLite.Hv.Common.Vcpus;

/// <summary>The segment caches VCPUOP_initialise loads into an HVM vCPU.</summary>
public struct SegmentCache
{
    public ulong Base;
    public uint Limit;
    public ushort Attr;
}

/// <summary>Control state an HVM vCPU starts with after VCPUOP_initialise, for the arch code to load into its VMCB/VMCS.</summary>
public struct HvmStartState
{
    public ulong Cr0, Cr3, Cr4, Efer;
    public SegmentCache Cs, Ds, Ss, Es, Tr;
}

/// <summary>
/// What vcpu_op manages for one vCPU: whether it has a context, its runstate accounting and
/// the guest areas that mirror it, its periodic timer and time area, and a pending NMI.
/// </summary>
public sealed unsafe class VcpuOpState
{
    /// <summary>Xen's is_initialised: has a register context (vCPU 0 from the builder, others from VCPUOP_initialise).</summary>
    public bool Initialised;
    public bool NmiPending;
    public HvmStartState Hvm;

    /// <summary>Current RUNSTATE_*, when it was entered, and time spent in each state (ns).</summary>
    public int RunState = RunstateState.Offline;
    public ulong RunStateEntry;
    public readonly ulong[] RunStateTime = new ulong[RunstateState.Count];

    /// <summary>VCPUOP_register_runstate_memory_area: a guest virtual/handle address (0: none), in the compat layout or not.</summary>
    public ulong RunstateGuest;
    public bool RunstateGuestCompat;
    /// <summary>VCPUOP_register_runstate_phys_area: the mapped area (null: none).</summary>
    public byte* RunstateArea;
    public bool RunstateAreaCompat;

    /// <summary>VCPUOP_register_vcpu_time_memory_area (address, 0: none) and its phys variant (mapped pointer).</summary>
    public ulong TimeGuest;
    public byte* TimeArea;

    /// <summary>VCPUOP_set_periodic_timer: period (0: off) and when it last fired.</summary>
    public long PeriodicPeriod;
    public long PeriodicLast;
}

using System.Runtime.InteropServices;

namespace XenLite.Hv.Abi;

// public vcpu.h and hvm/hvm_vcpu.h. Where a struct holds a uint64_t after a 32-bit field, the
// 32-bit x86 ABI packs it at offset 4 and the struct differs ("Compat" variants).

/// <summary>vcpu_op commands (VCPUOP_*).</summary>
public static class VcpuOpCmd
{
    public const int Initialise = 0;
    public const int Up = 1;
    public const int Down = 2;
    public const int IsUp = 3;
    public const int GetRunstateInfo = 4;
    public const int RegisterRunstateMemoryArea = 5;
    public const int SetPeriodicTimer = 6;
    public const int StopPeriodicTimer = 7;
    public const int SetSingleshotTimer = 8;
    public const int StopSingleshotTimer = 9;
    public const int RegisterVcpuInfo = 10;
    public const int SendNmi = 11;
    public const int GetPhysid = 12;
    public const int RegisterVcpuTimeMemoryArea = 13;
    public const int RegisterRunstatePhysArea = 14;
    public const int RegisterVcpuTimePhysArea = 15;
}

/// <summary>vcpu_runstate_info.state values (RUNSTATE_*).</summary>
public static class RunstateState
{
    public const int Running = 0;
    public const int Runnable = 1;
    public const int Blocked = 2;
    public const int Offline = 3;
    public const int Count = 4;

    /// <summary>XEN_RUNSTATE_UPDATE: set in state_entry_time while the guest copy is being rewritten.</summary>
    public const ulong UpdateFlag = 1UL << 63;
}

/// <summary>vcpu_runstate_info for 64-bit guests (x86_64, arm64).</summary>
[StructLayout(LayoutKind.Explicit, Size = 48)]
public unsafe struct VcpuRunstateInfo
{
    [FieldOffset(0)] public int State;
    [FieldOffset(8)] public ulong StateEntryTime;
    [FieldOffset(16)] public fixed ulong Time[RunstateState.Count];
}

/// <summary>vcpu_runstate_info for 32-bit x86 guests: state_entry_time packed at offset 4.</summary>
[StructLayout(LayoutKind.Explicit, Size = 44)]
public unsafe struct VcpuRunstateInfoCompat
{
    [FieldOffset(0)] public int State;
    [FieldOffset(4)] public ulong StateEntryTime;
    [FieldOffset(12)] public fixed ulong Time[RunstateState.Count];
}

/// <summary>vcpu_register_runstate_memory_area and vcpu_register_time_memory_area: a guest address (the union's 64-bit p).</summary>
[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct VcpuRegisterMemoryArea
{
    [FieldOffset(0)] public ulong Addr;
}

[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct VcpuSetPeriodicTimer
{
    [FieldOffset(0)] public ulong PeriodNs;
}

/// <summary>vcpu_set_singleshot_timer for 64-bit guests.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct VcpuSetSingleshotTimer
{
    /// <summary>VCPU_SSHOTTMR_future: fail with -ETIME when the deadline has passed (Xen may ignore it, and does).</summary>
    public const uint Future = 1;

    [FieldOffset(0)] public ulong TimeoutAbsNs;
    [FieldOffset(8)] public uint Flags;
}

/// <summary>vcpu_set_singleshot_timer for 32-bit x86 guests (no tail padding).</summary>
[StructLayout(LayoutKind.Explicit, Size = 12)]
public struct VcpuSetSingleshotTimerCompat
{
    [FieldOffset(0)] public ulong TimeoutAbsNs;
    [FieldOffset(8)] public uint Flags;
}

[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct VcpuRegisterVcpuInfo
{
    [FieldOffset(0)] public ulong Mfn;
    [FieldOffset(8)] public uint Offset;
    [FieldOffset(12)] public uint Rsvd;
}

[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct VcpuGetPhysid
{
    [FieldOffset(0)] public ulong PhysId;
}

/// <summary>vcpu_hvm_x86_32 (hvm/hvm_vcpu.h): a 32-bit start state with flat segment caches.</summary>
[StructLayout(LayoutKind.Explicit, Size = 120)]
public unsafe struct VcpuHvmX86_32
{
    [FieldOffset(0)] public uint Eax;
    [FieldOffset(4)] public uint Ecx;
    [FieldOffset(8)] public uint Edx;
    [FieldOffset(12)] public uint Ebx;
    [FieldOffset(16)] public uint Esp;
    [FieldOffset(20)] public uint Ebp;
    [FieldOffset(24)] public uint Esi;
    [FieldOffset(28)] public uint Edi;
    [FieldOffset(32)] public uint Eip;
    [FieldOffset(36)] public uint Eflags;
    [FieldOffset(40)] public uint Cr0;
    [FieldOffset(44)] public uint Cr3;
    [FieldOffset(48)] public uint Cr4;
    [FieldOffset(52)] public uint Pad1;
    [FieldOffset(56)] public ulong Efer;
    [FieldOffset(64)] public uint CsBase;
    [FieldOffset(68)] public uint DsBase;
    [FieldOffset(72)] public uint SsBase;
    [FieldOffset(76)] public uint EsBase;
    [FieldOffset(80)] public uint TrBase;
    [FieldOffset(84)] public uint CsLimit;
    [FieldOffset(88)] public uint DsLimit;
    [FieldOffset(92)] public uint SsLimit;
    [FieldOffset(96)] public uint EsLimit;
    [FieldOffset(100)] public uint TrLimit;
    [FieldOffset(104)] public ushort CsAr;
    [FieldOffset(106)] public ushort DsAr;
    [FieldOffset(108)] public ushort SsAr;
    [FieldOffset(110)] public ushort EsAr;
    [FieldOffset(112)] public ushort TrAr;
    [FieldOffset(114)] public fixed ushort Pad2[3];
}

/// <summary>vcpu_hvm_x86_64: a long-mode start state (segments are implied).</summary>
[StructLayout(LayoutKind.Explicit, Size = 112)]
public struct VcpuHvmX86_64
{
    [FieldOffset(0)] public ulong Rax;
    [FieldOffset(8)] public ulong Rcx;
    [FieldOffset(16)] public ulong Rdx;
    [FieldOffset(24)] public ulong Rbx;
    [FieldOffset(32)] public ulong Rsp;
    [FieldOffset(40)] public ulong Rbp;
    [FieldOffset(48)] public ulong Rsi;
    [FieldOffset(56)] public ulong Rdi;
    [FieldOffset(64)] public ulong Rip;
    [FieldOffset(72)] public ulong Rflags;
    [FieldOffset(80)] public ulong Cr0;
    [FieldOffset(88)] public ulong Cr3;
    [FieldOffset(96)] public ulong Cr4;
    [FieldOffset(104)] public ulong Efer;
}

/// <summary>vcpu_hvm_context: the VCPUOP_initialise argument of HVM guests (same for 32- and 64-bit callers).</summary>
[StructLayout(LayoutKind.Explicit, Size = 128)]
public struct VcpuHvmContext
{
    public const uint Mode32 = 0;   // VCPU_HVM_MODE_32B
    public const uint Mode64 = 1;   // VCPU_HVM_MODE_64B

    [FieldOffset(0)] public uint Mode;
    [FieldOffset(4)] public uint Pad;
    [FieldOffset(8)] public VcpuHvmX86_32 X86_32;
    [FieldOffset(8)] public VcpuHvmX86_64 X86_64;
}

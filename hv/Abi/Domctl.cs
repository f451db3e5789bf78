// public domctl.h (XEN_DOMCTL_INTERFACE_VERSION 0x18, Xen 4.22 / master). Every struct uses
// uint64_aligned_t and 64-bit guest handles, so x86_64 and 32-bit x86 callers share one layout;
// only xen_arch_domainconfig differs between x86 and arm (and with it the tails of
// createdomain and getdomaininfo, which are split off here).
using System.Runtime.InteropServices;

namespace XenLite.Hv.Abi;

/// <summary>XEN_DOMCTL_* commands.</summary>
public static class DomctlCmd
{
    public const uint InterfaceVersion = 0x18;

    public const uint CreateDomain = 1;
    public const uint DestroyDomain = 2;
    public const uint PauseDomain = 3;
    public const uint UnpauseDomain = 4;
    public const uint GetDomainInfo = 5;
    public const uint SetVcpuAffinity = 9;
    public const uint ShadowOp = 10;
    public const uint MaxMem = 11;
    public const uint SetVcpuContext = 12;
    public const uint GetVcpuContext = 13;
    public const uint GetVcpuInfo = 14;
    public const uint MaxVcpus = 15;
    public const uint SchedulerOp = 16;
    public const uint SetDomainHandle = 17;
    public const uint SetDebugging = 18;
    public const uint IrqPermission = 19;
    public const uint IomemPermission = 20;
    public const uint IoportPermission = 21;
    public const uint HypercallInit = 22;
    public const uint SoftResetCont = 23;
    public const uint SetTimeOffset = 24;
    public const uint GetVcpuAffinity = 25;
    public const uint RealModeArea = 26;
    public const uint ResumeDomain = 27;
    public const uint SendTrigger = 28;
    public const uint Subscribe = 29;
    public const uint GetHvmContext = 33;
    public const uint SetHvmContext = 34;
    public const uint SetAddressSize = 35;
    public const uint GetAddressSize = 36;
    public const uint AssignDevice = 37;
    public const uint BindPtIrq = 38;
    public const uint MemoryMapping = 39;
    public const uint IoportMapping = 40;
    public const uint SetExtVcpuContext = 42;
    public const uint GetExtVcpuContext = 43;
    public const uint SetOptFeature = 44;
    public const uint TestAssignDevice = 45;
    public const uint SetTarget = 46;
    public const uint DeassignDevice = 47;
    public const uint UnbindPtIrq = 48;
    public const uint GetDeviceGroup = 50;
    public const uint DebugOp = 54;
    public const uint GetHvmContextPartial = 55;
    public const uint VmEventOp = 56;
    public const uint MemSharingOp = 57;
    public const uint GetTscInfo = 59;
    public const uint SetTscInfo = 60;
    public const uint GetPageFrameInfo3 = 61;
    public const uint SetVcpuExtState = 62;
    public const uint GetVcpuExtState = 63;
    public const uint SetAccessRequired = 64;
    public const uint AuditP2m = 65;
    public const uint SetVirqHandler = 66;
    public const uint SetBrokenPageP2m = 67;
    public const uint SetNodeAffinity = 68;
    public const uint GetNodeAffinity = 69;
    public const uint CacheFlush = 71;
    public const uint GetVcpuMsrs = 72;
    public const uint SetVcpuMsrs = 73;
    public const uint SetVnumaInfo = 74;
    public const uint PsrCmtOp = 75;
    public const uint MonitorOp = 77;
    public const uint PsrAlloc = 78;
    public const uint SoftReset = 79;
    public const uint VuartOp = 81;
    public const uint GetCpuPolicy = 82;
    public const uint SetCpuPolicy = 83;
    public const uint VmtraceOp = 84;
    public const uint GetPagingMempoolSize = 85;
    public const uint SetPagingMempoolSize = 86;
    public const uint DtOverlay = 87;
    public const uint GsiPermission = 88;
    public const uint SetLlcColors = 89;
    /// <summary>The one stable domctl: its interface_version must be 0.</summary>
    public const uint GetDomainState = 90;
    public const uint GdbsxGuestMemio = 1000;
    public const uint GdbsxPauseVcpu = 1001;
    public const uint GdbsxUnpauseVcpu = 1002;
    public const uint GdbsxDomStatus = 1003;
}

/// <summary>XEN_DOMCTL_CDF_* (createdomain flags) and XEN_DOMCTL_GRANT_*.</summary>
public static class DomctlCdf
{
    public const uint Hvm = 1u << 0;
    public const uint Hap = 1u << 1;
    public const uint S3Integrity = 1u << 2;
    public const uint OosOff = 1u << 3;
    public const uint XsDomain = 1u << 4;
    public const uint Iommu = 1u << 5;
    public const uint NestedVirt = 1u << 6;
    public const uint Vpmu = 1u << 7;
    public const uint TrapUnmappedAccesses = 1u << 8;
    public const uint All = (TrapUnmappedAccesses << 1) - 1;

    public const uint GrantVersionMask = 0xF;
    /// <summary>XEN_DOMCTL_IOMMU_no_sharept: the only iommu_opts bit.</summary>
    public const uint IommuNoSharept = 1;
}

/// <summary>XEN_DOMINF_* (getdomaininfo flags).</summary>
public static class DomInf
{
    public const uint Dying = 1u << 0;
    public const uint HvmGuest = 1u << 1;
    public const uint Shutdown = 1u << 2;
    public const uint Paused = 1u << 3;
    public const uint Blocked = 1u << 4;
    public const uint Running = 1u << 5;
    public const uint Debugged = 1u << 6;
    public const uint XsDomain = 1u << 7;
    public const uint Hap = 1u << 8;
    public const int ShutdownShift = 16;
    public const uint ShutdownMask = 255;
    /// <summary>XEN_INVALID_MAX_VCPU_ID: the domain has no vCPUs.</summary>
    public const uint InvalidMaxVcpuId = ~0u;
}

/// <summary>XEN_SCHEDULER_*, XEN_DOMCTL_SCHEDOP_* and XEN_VCPUAFFINITY_*.</summary>
public static class XenScheduler
{
    public const uint Credit = 5;
    public const uint Credit2 = 6;
    public const uint Arinc653 = 7;
    public const uint Rtds = 8;
    public const uint Null = 9;

    public const uint PutInfo = 0;
    public const uint GetInfo = 1;
    public const uint PutVcpuInfo = 2;
    public const uint GetVcpuInfo = 3;

    public const uint AffinityHard = 1u << 0;
    public const uint AffinitySoft = 1u << 1;
    public const uint AffinityForce = 1u << 2;
}

/// <summary>struct xen_domctl: a 16-byte header, then a 128-byte union (<see cref="U"/>).</summary>
[StructLayout(LayoutKind.Explicit, Size = 144)]
public unsafe struct XenDomctl
{
    public const int UnionOffset = 16;
    public const int UnionSize = 128;

    [FieldOffset(0)] public uint Cmd;
    [FieldOffset(4)] public uint InterfaceVersion;
    [FieldOffset(8)] public ushort Domain;
    [FieldOffset(10)] public fixed ushort Pad[3];
    [FieldOffset(16)] public fixed byte U[UnionSize];
}

/// <summary>xen_domctl_createdomain without its trailing xen_arch_domainconfig (which starts at <see cref="ArchOffset"/>).</summary>
[StructLayout(LayoutKind.Explicit, Size = 60)]
public unsafe struct DomctlCreateDomain
{
    public const int ArchOffset = 60;

    [FieldOffset(0)] public uint Ssidref;
    [FieldOffset(4)] public fixed byte Handle[16];
    [FieldOffset(20)] public uint Flags;
    [FieldOffset(24)] public uint IommuOpts;
    [FieldOffset(28)] public uint MaxVcpus;
    [FieldOffset(32)] public uint MaxEvtchnPort;
    [FieldOffset(36)] public int MaxGrantFrames;
    [FieldOffset(40)] public int MaxMaptrackFrames;
    [FieldOffset(44)] public uint GrantOpts;
    [FieldOffset(48)] public ushort Altp2mOpts;
    [FieldOffset(50)] public ushort Altp2mNr;
    [FieldOffset(52)] public uint VmtraceSize;
    [FieldOffset(56)] public uint CpupoolId;
}

/// <summary>xen_arch_domainconfig on x86.</summary>
[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct ArchDomainConfigX86
{
    [FieldOffset(0)] public uint EmulationFlags;
    [FieldOffset(4)] public uint MiscFlags;
}

/// <summary>xen_arch_domainconfig on arm.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct ArchDomainConfigArm
{
    [FieldOffset(0)] public byte GicVersion;
    [FieldOffset(1)] public byte SveVl;
    [FieldOffset(2)] public ushort TeeType;
    [FieldOffset(4)] public uint NrSpis;
    [FieldOffset(8)] public uint ClockFrequency;
    [FieldOffset(12)] public byte ArmSciType;
    [FieldOffset(13)] public byte V8rEl1Msa;
    [FieldOffset(14)] public ushort Pad;
}

/// <summary>xen_domctl_getdomaininfo without its trailing arch_config (at <see cref="ArchOffset"/>).</summary>
[StructLayout(LayoutKind.Explicit, Size = 104)]
public unsafe struct DomctlGetDomainInfo
{
    public const int ArchOffset = 104;
    /// <summary>sizeof(xen_domctl_getdomaininfo) on x86 and on arm: the stride of getdomaininfolist.</summary>
    public const int SizeX86 = 112;
    public const int SizeArm = 120;

    [FieldOffset(0)] public ushort Domain;
    [FieldOffset(2)] public ushort Pad1;
    [FieldOffset(4)] public uint Flags;
    [FieldOffset(8)] public ulong TotPages;
    [FieldOffset(16)] public ulong MaxPages;
    [FieldOffset(24)] public ulong OutstandingPages;
    [FieldOffset(32)] public ulong ShrPages;
    [FieldOffset(40)] public ulong PagedPages;
    [FieldOffset(48)] public ulong SharedInfoFrame;
    [FieldOffset(56)] public ulong CpuTime;
    [FieldOffset(64)] public uint NrOnlineVcpus;
    [FieldOffset(68)] public uint MaxVcpuId;
    [FieldOffset(72)] public uint Ssidref;
    [FieldOffset(76)] public fixed byte Handle[16];
    [FieldOffset(92)] public uint Cpupool;
    [FieldOffset(96)] public byte GpaddrBits;
    [FieldOffset(97)] public fixed byte Pad2[7];
}

/// <summary>xen_domctl_max_mem.</summary>
[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct DomctlMaxMem
{
    [FieldOffset(0)] public ulong MaxMemKb;
}

/// <summary>xen_domctl_vcpucontext (set/getvcpucontext).</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct DomctlVcpuContext
{
    [FieldOffset(0)] public uint Vcpu;
    [FieldOffset(8)] public ulong Ctxt;
}

/// <summary>xen_domctl_max_vcpus.</summary>
[StructLayout(LayoutKind.Explicit, Size = 4)]
public struct DomctlMaxVcpus
{
    [FieldOffset(0)] public uint Max;
}

/// <summary>xen_domctl_getvcpuinfo.</summary>
[StructLayout(LayoutKind.Explicit, Size = 24)]
public struct DomctlGetVcpuInfo
{
    [FieldOffset(0)] public uint Vcpu;
    [FieldOffset(4)] public byte Online;
    [FieldOffset(5)] public byte Blocked;
    [FieldOffset(6)] public byte Running;
    [FieldOffset(8)] public ulong CpuTime;
    [FieldOffset(16)] public uint Cpu;
}

/// <summary>struct xenctl_bitmap: a guest byte array of nr_bits bits.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct XenctlBitmap
{
    [FieldOffset(0)] public ulong Bitmap;
    [FieldOffset(8)] public uint NrBits;
}

/// <summary>xen_domctl_vcpuaffinity.</summary>
[StructLayout(LayoutKind.Explicit, Size = 40)]
public struct DomctlVcpuAffinity
{
    [FieldOffset(0)] public uint Vcpu;
    [FieldOffset(4)] public uint Flags;
    [FieldOffset(8)] public XenctlBitmap CpumapHard;
    [FieldOffset(24)] public XenctlBitmap CpumapSoft;
}

/// <summary>xen_domctl_scheduler_op: the 16-byte union holds the scheduler's parameters.</summary>
[StructLayout(LayoutKind.Explicit, Size = 24)]
public unsafe struct DomctlSchedulerOp
{
    [FieldOffset(0)] public uint SchedId;
    [FieldOffset(4)] public uint Cmd;
    [FieldOffset(8)] public fixed byte U[16];
}

/// <summary>xen_domctl_irq_permission.</summary>
[StructLayout(LayoutKind.Explicit, Size = 8)]
public unsafe struct DomctlIrqPermission
{
    [FieldOffset(0)] public uint Pirq;
    [FieldOffset(4)] public byte AllowAccess;
    [FieldOffset(5)] public fixed byte Pad[3];
}

/// <summary>xen_domctl_iomem_permission.</summary>
[StructLayout(LayoutKind.Explicit, Size = 24)]
public struct DomctlIomemPermission
{
    [FieldOffset(0)] public ulong FirstMfn;
    [FieldOffset(8)] public ulong NrMfns;
    [FieldOffset(16)] public byte AllowAccess;
}

/// <summary>xen_domctl_ioport_permission.</summary>
[StructLayout(LayoutKind.Explicit, Size = 12)]
public struct DomctlIoportPermission
{
    [FieldOffset(0)] public uint FirstPort;
    [FieldOffset(4)] public uint NrPorts;
    [FieldOffset(8)] public byte AllowAccess;
}

/// <summary>xen_domctl_hypercall_init.</summary>
[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct DomctlHypercallInit
{
    [FieldOffset(0)] public ulong Gmfn;
}

/// <summary>xen_domctl_settimeoffset.</summary>
[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct DomctlSetTimeOffset
{
    [FieldOffset(0)] public long TimeOffsetSeconds;
}

/// <summary>xen_domctl_address_size.</summary>
[StructLayout(LayoutKind.Explicit, Size = 4)]
public struct DomctlAddressSize
{
    [FieldOffset(0)] public uint Size;
}

/// <summary>xen_domctl_set_target.</summary>
[StructLayout(LayoutKind.Explicit, Size = 2)]
public struct DomctlSetTarget
{
    [FieldOffset(0)] public ushort Target;
}

/// <summary>xen_domctl_setdebugging.</summary>
[StructLayout(LayoutKind.Explicit, Size = 1)]
public struct DomctlSetDebugging
{
    [FieldOffset(0)] public byte Enable;
}

/// <summary>
/// The parts of x86_64 vcpu_guest_context (arch-x86/xen.h) an HVM vCPU's context fills:
/// flags, the general registers (cpu_user_regs) and the control registers.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 5168)]
public unsafe struct VcpuGuestContextX86_64
{
    public const ulong FlagI387Valid = 1 << 0;
    public const ulong FlagInKernel = 1 << 2;
    public const ulong FlagOnline = 1 << 5;

    [FieldOffset(512)] public ulong Flags;
    [FieldOffset(520)] public CpuUserRegsX86_64 UserRegs;
    [FieldOffset(4984)] public fixed ulong CtrlReg[8];
    [FieldOffset(5048)] public fixed ulong DebugReg[8];
}

/// <summary>cpu_user_regs (arch-x86/xen-x86_64.h), the general registers in Xen's save order.</summary>
[StructLayout(LayoutKind.Explicit, Size = 200)]
public struct CpuUserRegsX86_64
{
    [FieldOffset(0)] public ulong R15;
    [FieldOffset(8)] public ulong R14;
    [FieldOffset(16)] public ulong R13;
    [FieldOffset(24)] public ulong R12;
    [FieldOffset(32)] public ulong Rbp;
    [FieldOffset(40)] public ulong Rbx;
    [FieldOffset(48)] public ulong R11;
    [FieldOffset(56)] public ulong R10;
    [FieldOffset(64)] public ulong R9;
    [FieldOffset(72)] public ulong R8;
    [FieldOffset(80)] public ulong Rax;
    [FieldOffset(88)] public ulong Rcx;
    [FieldOffset(96)] public ulong Rdx;
    [FieldOffset(104)] public ulong Rsi;
    [FieldOffset(112)] public ulong Rdi;
    [FieldOffset(120)] public uint ErrorCode;
    [FieldOffset(124)] public uint EntryVector;
    [FieldOffset(128)] public ulong Rip;
    [FieldOffset(136)] public ushort Cs;
    [FieldOffset(140)] public byte SavedUpcallMask;
    [FieldOffset(144)] public ulong Rflags;
    [FieldOffset(152)] public ulong Rsp;
    [FieldOffset(160)] public ushort Ss;
    [FieldOffset(168)] public ushort Es;
    [FieldOffset(176)] public ushort Ds;
    [FieldOffset(184)] public ushort Fs;
    [FieldOffset(192)] public ushort Gs;
}

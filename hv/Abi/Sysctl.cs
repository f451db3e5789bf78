// public sysctl.h (XEN_SYSCTL_INTERFACE_VERSION 0x16, Xen 4.22 / master). As with domctl, the
// structs use 64-bit handles and aligned 64-bit fields: one layout for 32- and 64-bit callers.
using System.Runtime.InteropServices;

namespace XenLite.Hv.Abi;

/// <summary>XEN_SYSCTL_* commands.</summary>
public static class SysctlCmd
{
    public const uint InterfaceVersion = 0x16;

    public const uint ReadConsole = 1;
    public const uint TbufOp = 2;
    public const uint PhysInfo = 3;
    public const uint SchedId = 4;
    public const uint PerfcOp = 5;
    public const uint GetDomainInfoList = 6;
    public const uint DebugKeys = 7;
    public const uint GetCpuInfo = 8;
    public const uint AvailHeap = 9;
    public const uint GetPmStat = 10;
    public const uint CpuHotplug = 11;
    public const uint PmOp = 12;
    public const uint PageOfflineOp = 14;
    public const uint LockprofOp = 15;
    public const uint CpuTopoInfo = 16;
    public const uint NumaInfo = 17;
    public const uint CpupoolOp = 18;
    public const uint SchedulerOp = 19;
    public const uint CoverageOp = 20;
    public const uint PsrCmtOp = 21;
    public const uint PciTopoInfo = 22;
    public const uint PsrAlloc = 23;
    public const uint GetCpuFeatureset = 26;
    public const uint LivepatchOp = 27;
    public const uint GetCpuPolicy = 29;
    public const uint DtOverlay = 30;
}

/// <summary>XEN_SYSCTL_PHYSCAP_*, XEN_SYSCTL_CPUPOOL_OP_* and the XEN_INVALID_* markers.</summary>
public static class SysctlConst
{
    public const uint PhysCapHvm = 1u << 0;
    public const uint PhysCapPv = 1u << 1;
    public const uint PhysCapDirectio = 1u << 2;
    public const uint PhysCapHap = 1u << 3;
    public const uint PhysCapShadow = 1u << 4;
    public const uint PhysCapGnttabV1 = 1u << 8;
    public const uint PhysCapGnttabV2 = 1u << 9;

    public const uint CpupoolCreate = 1;
    public const uint CpupoolDestroy = 2;
    public const uint CpupoolInfo = 3;
    public const uint CpupoolAddCpu = 4;
    public const uint CpupoolRmCpu = 5;
    public const uint CpupoolMoveDomain = 6;
    public const uint CpupoolFreeInfo = 7;
    public const uint CpupoolParAny = 0xFFFFFFFF;

    public const uint FeaturesetRaw = 0;
    public const uint FeaturesetHost = 1;
    public const uint FeaturesetPv = 2;
    public const uint FeaturesetHvm = 3;
    public const uint FeaturesetPvMax = 4;
    public const uint FeaturesetHvmMax = 5;

    public const uint InvalidNodeId = ~0u;
    public const uint InvalidNodeDist = ~0u;
    /// <summary>Distance of a node to itself (Xen's NUMA_LOCAL_DISTANCE).</summary>
    public const uint LocalDistance = 10;
}

/// <summary>struct xen_sysctl: cmd, interface_version, then a 128-byte union (<see cref="U"/>).</summary>
[StructLayout(LayoutKind.Explicit, Size = 136)]
public unsafe struct XenSysctl
{
    public const int UnionOffset = 8;
    public const int UnionSize = 128;

    [FieldOffset(0)] public uint Cmd;
    [FieldOffset(4)] public uint InterfaceVersion;
    [FieldOffset(8)] public fixed byte U[UnionSize];
}

/// <summary>xen_sysctl_readconsole.</summary>
[StructLayout(LayoutKind.Explicit, Size = 24)]
public struct SysctlReadConsole
{
    [FieldOffset(0)] public byte Clear;
    [FieldOffset(1)] public byte Incremental;
    [FieldOffset(2)] public byte Pad0;
    [FieldOffset(3)] public byte Pad1;
    [FieldOffset(4)] public uint Index;
    [FieldOffset(8)] public ulong Buffer;
    [FieldOffset(16)] public uint Count;
}

/// <summary>xen_sysctl_physinfo.</summary>
[StructLayout(LayoutKind.Explicit, Size = 112)]
public unsafe struct SysctlPhysInfo
{
    [FieldOffset(0)] public uint ThreadsPerCore;
    [FieldOffset(4)] public uint CoresPerSocket;
    [FieldOffset(8)] public uint NrCpus;
    [FieldOffset(12)] public uint MaxCpuId;
    [FieldOffset(16)] public uint NrNodes;
    [FieldOffset(20)] public uint MaxNodeId;
    [FieldOffset(24)] public uint CpuKhz;
    [FieldOffset(28)] public uint Capabilities;
    [FieldOffset(32)] public uint ArchCapabilities;
    [FieldOffset(36)] public uint Pad;
    [FieldOffset(40)] public ulong TotalPages;
    [FieldOffset(48)] public ulong FreePages;
    [FieldOffset(56)] public ulong ScrubPages;
    [FieldOffset(64)] public ulong OutstandingPages;
    [FieldOffset(72)] public ulong MaxMfn;
    [FieldOffset(80)] public fixed uint HwCap[8];
}

/// <summary>xen_sysctl_sched_id.</summary>
[StructLayout(LayoutKind.Explicit, Size = 4)]
public struct SysctlSchedId
{
    [FieldOffset(0)] public uint SchedId;
}

/// <summary>xen_sysctl_getdomaininfolist.</summary>
[StructLayout(LayoutKind.Explicit, Size = 24)]
public struct SysctlGetDomainInfoList
{
    [FieldOffset(0)] public ushort FirstDomain;
    [FieldOffset(4)] public uint MaxDomains;
    [FieldOffset(8)] public ulong Buffer;
    [FieldOffset(16)] public uint NumDomains;
}

/// <summary>xen_sysctl_getcpuinfo; each entry of <see cref="Info"/> is a uint64 idletime (xen_sysctl_cpuinfo).</summary>
[StructLayout(LayoutKind.Explicit, Size = 24)]
public struct SysctlGetCpuInfo
{
    [FieldOffset(0)] public uint MaxCpus;
    [FieldOffset(8)] public ulong Info;
    [FieldOffset(16)] public uint NrCpus;
}

/// <summary>xen_sysctl_cputopoinfo.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct SysctlCpuTopoInfo
{
    [FieldOffset(0)] public uint NumCpus;
    [FieldOffset(8)] public ulong CpuTopo;
}

/// <summary>xen_sysctl_cputopo.</summary>
[StructLayout(LayoutKind.Explicit, Size = 12)]
public struct SysctlCpuTopo
{
    [FieldOffset(0)] public uint Core;
    [FieldOffset(4)] public uint Socket;
    [FieldOffset(8)] public uint Node;
}

/// <summary>xen_sysctl_numainfo.</summary>
[StructLayout(LayoutKind.Explicit, Size = 24)]
public struct SysctlNumaInfo
{
    [FieldOffset(0)] public uint NumNodes;
    [FieldOffset(8)] public ulong MemInfo;
    [FieldOffset(16)] public ulong Distance;
}

/// <summary>xen_sysctl_meminfo.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct SysctlMemInfo
{
    [FieldOffset(0)] public ulong MemSize;
    [FieldOffset(8)] public ulong MemFree;
}

/// <summary>xen_sysctl_cpupool_op.</summary>
[StructLayout(LayoutKind.Explicit, Size = 40)]
public struct SysctlCpupoolOp
{
    [FieldOffset(0)] public uint Op;
    [FieldOffset(4)] public uint CpupoolId;
    [FieldOffset(8)] public uint SchedId;
    [FieldOffset(12)] public uint DomId;
    [FieldOffset(16)] public uint Cpu;
    [FieldOffset(20)] public uint NDom;
    [FieldOffset(24)] public XenctlBitmap Cpumap;
}

/// <summary>xen_sysctl_cpu_featureset.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct SysctlCpuFeatureset
{
    [FieldOffset(0)] public uint Index;
    [FieldOffset(4)] public uint NrFeatures;
    [FieldOffset(8)] public ulong Features;
}

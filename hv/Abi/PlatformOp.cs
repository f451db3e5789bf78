using System.Runtime.InteropServices;

namespace XenLite.Hv.Abi;

/// <summary>platform_op commands (public platform.h, XENPF_*).</summary>
public static class XenPf
{
    public const uint InterfaceVersion = 0x03000001;

    public const int Settime32 = 17;
    public const int AddMemtype = 31;
    public const int DelMemtype = 32;
    public const int ReadMemtype = 33;
    public const int MicrocodeUpdate = 35;
    public const int PlatformQuirk = 39;
    public const int GetCpuVersion = 48;
    public const int EfiRuntimeCall = 49;
    public const int FirmwareInfo = 50;
    public const int EnterAcpiSleep = 51;
    public const int ChangeFreq = 52;
    public const int Getidletime = 53;
    public const int SetProcessorPminfo = 54;
    public const int GetCpuinfo = 55;
    public const int CpuOnline = 56;
    public const int CpuOffline = 57;
    public const int CpuHotadd = 58;
    public const int MemHotadd = 59;
    public const int CoreParking = 60;
    public const int ResourceOp = 61;
    public const int Settime64 = 62;
    public const int GetSymbol = 63;
    public const int GetDom0Console = 64;
    public const int GetUcodeRevision = 65;
    public const int MicrocodeUpdate2 = 66;

    // platform_quirk ids, firmware_info types, pminfo types, core_parking types, flags.
    public const uint QuirkNoIrqBalancing = 1;
    public const uint QuirkIoapicGoodRegsel = 3;
    public const uint FwDiskInfo = 1;
    public const uint FwDiskMbrSignature = 2;
    public const uint FwVbeddcInfo = 3;
    public const uint FwEfiInfo = 4;
    public const uint FwKbdShiftFlags = 5;
    public const uint PmCx = 0;
    public const uint PmPx = 1;
    public const uint PmTx = 2;
    public const uint PmPdc = 3;
    public const uint PmCppc = 4;
    public const uint CoreParkingSet = 1;
    public const uint CoreParkingGet = 2;
    public const uint PcpuFlagsOnline = 1;
    public const uint PcpuFlagsInvalid = 2;
    public const uint AcpiSleepExtended = 1;
    /// <summary>RESOURCE_ACCESS_MAX_ENTRIES.</summary>
    public const uint ResourceAccessMaxEntries = 3;
}

/// <summary>struct xen_platform_op: command, version, then a 128-byte union at offset 8 (every ABI).</summary>
[StructLayout(LayoutKind.Explicit, Size = 136)]
public unsafe struct XenPlatformOp
{
    public const int UnionOffset = 8;
    [FieldOffset(0)] public uint Cmd;
    [FieldOffset(4)] public uint InterfaceVersion;
    [FieldOffset(8)] public fixed byte U[128];
}

/// <summary>xenpf_settime32.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct XenPfSettime32
{
    [FieldOffset(0)] public uint Secs;
    [FieldOffset(4)] public uint Nsecs;
    [FieldOffset(8)] public ulong SystemTime;
}

/// <summary>xenpf_settime64.</summary>
[StructLayout(LayoutKind.Explicit, Size = 24)]
public struct XenPfSettime64
{
    [FieldOffset(0)] public ulong Secs;
    [FieldOffset(8)] public uint Nsecs;
    [FieldOffset(12)] public uint Mbz;
    [FieldOffset(16)] public ulong SystemTime;
}

/// <summary>xenpf_del_memtype.</summary>
[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct XenPfDelMemtype
{
    [FieldOffset(0)] public uint Handle;
    [FieldOffset(4)] public uint Reg;
}

/// <summary>xenpf_firmware_info's header (type, index); the per-type union follows at 8.</summary>
[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct XenPfFirmwareInfoHeader
{
    public const int UnionOffset = 8;
    [FieldOffset(0)] public uint Type;
    [FieldOffset(4)] public uint Index;
}

/// <summary>xenpf_enter_acpi_sleep.</summary>
[StructLayout(LayoutKind.Explicit, Size = 12)]
public struct XenPfEnterAcpiSleep
{
    [FieldOffset(0)] public ushort ValA;
    [FieldOffset(2)] public ushort ValB;
    [FieldOffset(4)] public uint SleepState;
    [FieldOffset(8)] public uint Flags;
}

/// <summary>xenpf_set_processor_pminfo's header (ACPI id, XEN_PM_* type).</summary>
[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct XenPfPminfoHeader
{
    [FieldOffset(0)] public uint Id;
    [FieldOffset(4)] public uint Type;
}

/// <summary>xenpf_resource_op's counts (the entries handle follows at 8).</summary>
[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct XenPfResourceOpHeader
{
    [FieldOffset(0)] public uint NrEntries;
    [FieldOffset(4)] public uint Cpu;
}

/// <summary>xenpf_pcpuinfo.</summary>
[StructLayout(LayoutKind.Explicit, Size = 20)]
public struct XenPfPcpuInfo
{
    [FieldOffset(0)] public uint XenCpuid;
    [FieldOffset(4)] public uint MaxPresent;
    [FieldOffset(8)] public uint Flags;
    [FieldOffset(12)] public uint ApicId;
    [FieldOffset(16)] public uint AcpiId;
}

/// <summary>xenpf_pcpu_version.</summary>
[StructLayout(LayoutKind.Explicit, Size = 32)]
public unsafe struct XenPfPcpuVersion
{
    [FieldOffset(0)] public uint XenCpuid;
    [FieldOffset(4)] public uint MaxPresent;
    [FieldOffset(8)] public fixed byte VendorId[12];
    [FieldOffset(20)] public uint Family;
    [FieldOffset(24)] public uint Model;
    [FieldOffset(28)] public uint Stepping;
}

/// <summary>xenpf_ucode_revision.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct XenPfUcodeRevision
{
    [FieldOffset(0)] public uint Cpu;
    [FieldOffset(4)] public uint Signature;
    [FieldOffset(8)] public uint Pf;
    [FieldOffset(12)] public uint Revision;
}

/// <summary>xenpf_cpu_hotadd.</summary>
[StructLayout(LayoutKind.Explicit, Size = 12)]
public struct XenPfCpuHotadd
{
    [FieldOffset(0)] public uint ApicId;
    [FieldOffset(4)] public uint AcpiId;
    [FieldOffset(8)] public uint Pxm;
}

/// <summary>xenpf_mem_hotadd.</summary>
[StructLayout(LayoutKind.Explicit, Size = 24)]
public struct XenPfMemHotadd
{
    [FieldOffset(0)] public ulong Spfn;
    [FieldOffset(8)] public ulong Epfn;
    [FieldOffset(16)] public uint Pxm;
    [FieldOffset(20)] public uint Flags;
}

/// <summary>xenpf_core_parking.</summary>
[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct XenPfCoreParking
{
    [FieldOffset(0)] public uint Type;
    [FieldOffset(4)] public uint IdleNums;
}

/// <summary>xenpf_symdata with a 64-bit name handle.</summary>
[StructLayout(LayoutKind.Explicit, Size = 32)]
public struct XenPfSymdata
{
    [FieldOffset(0)] public uint Namelen;
    [FieldOffset(4)] public uint Symnum;
    [FieldOffset(8)] public ulong Name;
    [FieldOffset(16)] public ulong Address;
    [FieldOffset(24)] public byte Type;
}

/// <summary>xenpf_symdata from a 32-bit caller.</summary>
[StructLayout(LayoutKind.Explicit, Size = 24)]
public struct XenPfSymdataCompat
{
    [FieldOffset(0)] public uint Namelen;
    [FieldOffset(4)] public uint Symnum;
    [FieldOffset(8)] public uint Name;
    [FieldOffset(12)] public ulong Address;
    [FieldOffset(20)] public byte Type;
}

/// <summary>mca (48) commands and flags (public arch-x86/xen-mca.h).</summary>
public static class XenMc
{
    public const uint InterfaceVersion = 0x01ecc003;
    public const int Fetch = 1;
    public const int NotifyDomain = 2;
    public const int PhysCpuInfo = 3;
    public const int MsrInject = 4;
    public const int MceInject = 5;
    public const int InjectV2 = 6;

    public const uint NonUrgent = 1;
    public const uint Urgent = 2;
    public const uint Ack = 4;
    public const uint NoData = 2;
    /// <summary>sizeof(xen_mc_logical_cpu_t): 304 natively, 300 for 32-bit callers.</summary>
    public const int LogicalCpuSize = 304;
    public const int LogicalCpuSizeCompat = 300;
}

/// <summary>struct xen_mc: command, version and a 144-byte union at 8 (every x86 ABI).</summary>
[StructLayout(LayoutKind.Explicit, Size = 152)]
public unsafe struct XenMcOp
{
    public const int UnionOffset = 8;
    [FieldOffset(0)] public uint Cmd;
    [FieldOffset(4)] public uint InterfaceVersion;
    [FieldOffset(8)] public fixed byte U[144];
}

/// <summary>xen_mc_fetch with a 64-bit handle (32-bit callers: the same up to a 4-byte handle at 16).</summary>
[StructLayout(LayoutKind.Explicit, Size = 24)]
public struct XenMcFetch
{
    [FieldOffset(0)] public uint Flags;
    [FieldOffset(4)] public uint Pad0;
    [FieldOffset(8)] public ulong FetchId;
    [FieldOffset(16)] public ulong Data;
}

/// <summary>xen_mc_physcpuinfo with a 64-bit handle (32-bit callers: a 4-byte handle at 8).</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct XenMcPhysCpuInfo
{
    [FieldOffset(0)] public uint NCpus;
    [FieldOffset(4)] public uint Pad0;
    [FieldOffset(8)] public ulong Info;
}

using System.Runtime.InteropServices;

namespace XenLite.Hv.Abi;

/// <summary>grant_table_op commands (public grant_table.h, GNTTABOP_*).</summary>
public static class GnttabOp
{
    public const uint MapGrantRef = 0;
    public const uint UnmapGrantRef = 1;
    public const uint SetupTable = 2;
    public const uint DumpTable = 3;
    public const uint Transfer = 4;
    public const uint Copy = 5;
    public const uint QuerySize = 6;
    public const uint UnmapAndReplace = 7;
    public const uint SetVersion = 8;
    public const uint GetStatusFrames = 9;
    public const uint GetVersion = 10;
    public const uint SwapGrantRef = 11;
    public const uint CacheFlush = 12;

    /// <summary>GNTTABOP_CONTINUATION_ARG_SHIFT: cache_flush keeps its progress above the low 12 bits of cmd.</summary>
    public const int ContinuationArgShift = 12;
    public const uint CmdMask = (1u << ContinuationArgShift) - 1;
}

/// <summary>GTF_* flags of a grant entry header.</summary>
public static class Gtf
{
    public const ushort Invalid = 0;
    public const ushort PermitAccess = 1;
    public const ushort AcceptTransfer = 2;
    public const ushort Transitive = 3;
    public const ushort TypeMask = 3;
    public const ushort Readonly = 1 << 2;
    public const ushort Reading = 1 << 3;
    public const ushort Writing = 1 << 4;
    public const ushort Pwt = 1 << 5;
    public const ushort Pcd = 1 << 6;
    public const ushort Pat = 1 << 7;
    public const ushort SubPage = 1 << 8;
    public const ushort TransferCommitted = 1 << 2;
    public const ushort TransferCompleted = 1 << 3;
}

/// <summary>GNTMAP_* flags of map_grant_ref.</summary>
public static class GntMap
{
    public const uint DeviceMap = 1 << 0;
    public const uint HostMap = 1 << 1;
    public const uint Readonly = 1 << 2;
    public const uint ApplicationMap = 1 << 3;
    public const uint ContainsPte = 1 << 4;
}

/// <summary>GNTCOPY_* flags.</summary>
public static class GntCopy
{
    public const ushort SourceGref = 1 << 0;
    public const ushort DestGref = 1 << 1;
}

/// <summary>GNTTAB_CACHE_* ops of cache_flush.</summary>
public static class GnttabCache
{
    public const uint Clean = 1u << 0;
    public const uint Inval = 1u << 1;
    public const uint SourceGref = 1u << 31;
}

/// <summary>GNTST_* per-operation status codes (not errno).</summary>
public static class Gntst
{
    public const short Okay = 0;
    public const short GeneralError = -1;
    public const short BadDomain = -2;
    public const short BadGntref = -3;
    public const short BadHandle = -4;
    public const short BadVirtAddr = -5;
    public const short BadDevAddr = -6;
    public const short NoDeviceSpace = -7;
    public const short PermissionDenied = -8;
    public const short BadPage = -9;
    public const short BadCopyArg = -10;
    public const short AddressTooBig = -11;
    public const short Eagain = -12;
    public const short NoSpace = -13;
}

/// <summary>Grant table constants that are not flags.</summary>
public static class Gnttab
{
    public const uint NrReservedEntries = 8;
    /// <summary>Status frames of a v2 table hold 2-byte entries.</summary>
    public const uint StatusPerPage = 2048;
    public const uint V1PerPage = 512;
    public const uint V2PerPage = 256;
}

/// <summary>grant_entry_v1; same everywhere.</summary>
[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct GrantEntryV1
{
    [FieldOffset(0)] public ushort Flags;
    [FieldOffset(2)] public ushort DomId;
    [FieldOffset(4)] public uint Frame;
}

/// <summary>grant_entry_v2: the header then full_page / sub_page / transitive views.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct GrantEntryV2
{
    [FieldOffset(0)] public ushort Flags;
    [FieldOffset(2)] public ushort DomId;
    /// <summary>sub_page.page_off; full_page.pad0 low half; transitive.trans_domid.</summary>
    [FieldOffset(4)] public ushort PageOff;
    /// <summary>sub_page.length; transitive.pad0.</summary>
    [FieldOffset(6)] public ushort Length;
    /// <summary>full_page.frame / sub_page.frame; its low 32 bits are transitive.gref.</summary>
    [FieldOffset(8)] public ulong Frame;
}

/// <summary>gnttab_map_grant_ref; same everywhere.</summary>
[StructLayout(LayoutKind.Explicit, Size = 32)]
public struct GnttabMapGrantRef
{
    [FieldOffset(0)] public ulong HostAddr;
    [FieldOffset(8)] public uint Flags;
    [FieldOffset(12)] public uint Ref;
    [FieldOffset(16)] public ushort Dom;
    [FieldOffset(18)] public short Status;
    [FieldOffset(20)] public uint Handle;
    [FieldOffset(24)] public ulong DevBusAddr;
}

/// <summary>gnttab_unmap_grant_ref; same everywhere.</summary>
[StructLayout(LayoutKind.Explicit, Size = 24)]
public struct GnttabUnmapGrantRef
{
    [FieldOffset(0)] public ulong HostAddr;
    [FieldOffset(8)] public ulong DevBusAddr;
    [FieldOffset(16)] public uint Handle;
    [FieldOffset(20)] public short Status;
}

/// <summary>gnttab_unmap_and_replace; same everywhere.</summary>
[StructLayout(LayoutKind.Explicit, Size = 24)]
public struct GnttabUnmapAndReplace
{
    [FieldOffset(0)] public ulong HostAddr;
    [FieldOffset(8)] public ulong NewAddr;
    [FieldOffset(16)] public uint Handle;
    [FieldOffset(20)] public short Status;
}

/// <summary>gnttab_setup_table (x86_64, arm).</summary>
[StructLayout(LayoutKind.Explicit, Size = 24)]
public struct GnttabSetupTable
{
    [FieldOffset(0)] public ushort Dom;
    [FieldOffset(4)] public uint NrFrames;
    [FieldOffset(8)] public short Status;
    [FieldOffset(16)] public ulong FrameList;
}

[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct GnttabSetupTableCompat
{
    [FieldOffset(0)] public ushort Dom;
    [FieldOffset(4)] public uint NrFrames;
    [FieldOffset(8)] public short Status;
    [FieldOffset(12)] public uint FrameList;
}

/// <summary>gnttab_dump_table; same everywhere.</summary>
[StructLayout(LayoutKind.Explicit, Size = 4)]
public struct GnttabDumpTable
{
    [FieldOffset(0)] public ushort Dom;
    [FieldOffset(2)] public short Status;
}

/// <summary>gnttab_transfer (x86_64, arm).</summary>
[StructLayout(LayoutKind.Explicit, Size = 24)]
public struct GnttabTransfer
{
    [FieldOffset(0)] public ulong Mfn;
    [FieldOffset(8)] public ushort DomId;
    [FieldOffset(12)] public uint Ref;
    [FieldOffset(16)] public short Status;
}

[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct GnttabTransferCompat
{
    [FieldOffset(0)] public uint Mfn;
    [FieldOffset(4)] public ushort DomId;
    [FieldOffset(8)] public uint Ref;
    [FieldOffset(12)] public short Status;
}

/// <summary>gnttab_copy (x86_64, arm): each side's u is a grant ref or a xen_pfn_t frame.</summary>
[StructLayout(LayoutKind.Explicit, Size = 40)]
public struct GnttabCopy
{
    [FieldOffset(0)] public ulong SourceU;
    [FieldOffset(8)] public ushort SourceDomId;
    [FieldOffset(10)] public ushort SourceOffset;
    [FieldOffset(16)] public ulong DestU;
    [FieldOffset(24)] public ushort DestDomId;
    [FieldOffset(26)] public ushort DestOffset;
    [FieldOffset(32)] public ushort Len;
    [FieldOffset(34)] public ushort Flags;
    [FieldOffset(36)] public short Status;
}

[StructLayout(LayoutKind.Explicit, Size = 24)]
public struct GnttabCopyCompat
{
    [FieldOffset(0)] public uint SourceU;
    [FieldOffset(4)] public ushort SourceDomId;
    [FieldOffset(6)] public ushort SourceOffset;
    [FieldOffset(8)] public uint DestU;
    [FieldOffset(12)] public ushort DestDomId;
    [FieldOffset(14)] public ushort DestOffset;
    [FieldOffset(16)] public ushort Len;
    [FieldOffset(18)] public ushort Flags;
    [FieldOffset(20)] public short Status;
}

/// <summary>gnttab_query_size; same everywhere.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct GnttabQuerySize
{
    [FieldOffset(0)] public ushort Dom;
    [FieldOffset(4)] public uint NrFrames;
    [FieldOffset(8)] public uint MaxNrFrames;
    [FieldOffset(12)] public short Status;
}

[StructLayout(LayoutKind.Explicit, Size = 4)]
public struct GnttabSetVersion
{
    [FieldOffset(0)] public uint Version;
}

/// <summary>gnttab_get_status_frames (x86_64, arm): frame_list holds uint64_t.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct GnttabGetStatusFrames
{
    [FieldOffset(0)] public uint NrFrames;
    [FieldOffset(4)] public ushort Dom;
    [FieldOffset(6)] public short Status;
    [FieldOffset(8)] public ulong FrameList;
}

[StructLayout(LayoutKind.Explicit, Size = 12)]
public struct GnttabGetStatusFramesCompat
{
    [FieldOffset(0)] public uint NrFrames;
    [FieldOffset(4)] public ushort Dom;
    [FieldOffset(6)] public short Status;
    [FieldOffset(8)] public uint FrameList;
}

[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct GnttabGetVersion
{
    [FieldOffset(0)] public ushort Dom;
    [FieldOffset(2)] public ushort Pad;
    [FieldOffset(4)] public uint Version;
}

[StructLayout(LayoutKind.Explicit, Size = 12)]
public struct GnttabSwapGrantRef
{
    [FieldOffset(0)] public uint RefA;
    [FieldOffset(4)] public uint RefB;
    [FieldOffset(8)] public short Status;
}

/// <summary>gnttab_cache_flush: a is dev_bus_addr or (with GNTTAB_CACHE_SOURCE_GREF) a ref.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct GnttabCacheFlush
{
    [FieldOffset(0)] public ulong A;
    [FieldOffset(8)] public ushort Offset;
    [FieldOffset(10)] public ushort Length;
    [FieldOffset(12)] public uint Op;
}

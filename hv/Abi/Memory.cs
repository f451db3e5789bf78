using System.Runtime.InteropServices;

namespace XenLite.Hv.Abi;

/// <summary>memory_op commands (public memory.h, XENMEM_*) and the continuation encoding in cmd.</summary>
public static class XenMem
{
    public const int IncreaseReservation = 0;
    public const int DecreaseReservation = 1;
    public const int MaximumRamPage = 2;
    public const int CurrentReservation = 3;
    public const int MaximumReservation = 4;
    public const int MachphysMfnList = 5;
    public const int PopulatePhysmap = 6;
    public const int AddToPhysmap = 7;
    public const int MemoryMap = 9;
    public const int MachineMemoryMap = 10;
    public const int Exchange = 11;
    public const int MachphysMapping = 12;
    public const int SetMemoryMap = 13;
    public const int MaximumGpfn = 14;
    public const int RemoveFromPhysmap = 15;
    public const int SetPodTarget = 16;
    public const int GetPodTarget = 17;
    public const int GetSharingFreedPages = 18;
    public const int GetSharingSharedPages = 19;
    public const int PagingOp = 20;
    public const int AccessOp = 21;
    public const int SharingOp = 22;
    public const int AddToPhysmapBatch = 23;
    public const int ClaimPages = 24;
    public const int MachphysCompatMfnList = 25;
    public const int GetVnumainfo = 26;
    public const int ReservedDeviceMemoryMap = 27;
    public const int AcquireResource = 28;

    /// <summary>Xen's MEMOP_EXTENT_SHIFT / MEMOP_CMD_MASK: cmd = op | (start_extent &lt;&lt; 6).</summary>
    public const int ExtentShift = 6;
    public const ulong CmdMask = (1UL << ExtentShift) - 1;
}

/// <summary>XENMEMF_* bits of xen_memory_reservation.mem_flags.</summary>
public static class XenMemF
{
    public const uint AddressBitsMask = 0xFF;
    public const uint PopulateOnDemand = 1u << 16;
    public const uint ExactNodeRequest = 1u << 17;
    public const uint Vnode = 1u << 18;

    /// <summary>XENMEMF_node(n): the node is stored plus one in bits 8–15.</summary>
    public static uint Node(uint n) => (n + 1) << 8;
    /// <summary>XENMEMF_get_node: 0xFF means "no node".</summary>
    public static uint GetNode(uint flags) => ((flags >> 8) - 1) & 0xFF;
    public const uint NoNode = 0xFF;
}

/// <summary>XENMAPSPACE_* and related add_to_physmap values.</summary>
public static class XenMapSpace
{
    public const uint SharedInfo = 0;
    public const uint GrantTable = 1;
    public const uint Gmfn = 2;
    public const uint GmfnRange = 3;
    public const uint GmfnForeign = 4;
    public const uint DevMmio = 5;
    /// <summary>XENMAPIDX_grant_table_status: idx names a v2 status frame.</summary>
    public const ulong GrantTableStatusIdx = 0x80000000;
}

/// <summary>XENMEM_resource_* of acquire_resource.</summary>
public static class XenMemResource
{
    public const ushort IoreqServer = 0;
    public const ushort GrantTable = 1;
    public const ushort VmtraceBuf = 2;
    public const uint GrantTableIdShared = 0;
    public const uint GrantTableIdStatus = 1;
}

/// <summary>xen_memory_reservation (x86_64, arm).</summary>
[StructLayout(LayoutKind.Explicit, Size = 32)]
public struct XenMemoryReservation
{
    [FieldOffset(0)] public ulong ExtentStart;
    [FieldOffset(8)] public ulong NrExtents;
    [FieldOffset(16)] public uint ExtentOrder;
    [FieldOffset(20)] public uint MemFlags;
    [FieldOffset(24)] public ushort DomId;
}

/// <summary>xen_memory_reservation for 32-bit x86: 32-bit handle and xen_ulong_t.</summary>
[StructLayout(LayoutKind.Explicit, Size = 20)]
public struct XenMemoryReservationCompat
{
    [FieldOffset(0)] public uint ExtentStart;
    [FieldOffset(4)] public uint NrExtents;
    [FieldOffset(8)] public uint ExtentOrder;
    [FieldOffset(12)] public uint MemFlags;
    [FieldOffset(16)] public ushort DomId;
}

/// <summary>xen_memory_exchange (x86_64, arm).</summary>
[StructLayout(LayoutKind.Explicit, Size = 72)]
public struct XenMemoryExchange
{
    [FieldOffset(0)] public XenMemoryReservation In;
    [FieldOffset(32)] public XenMemoryReservation Out;
    [FieldOffset(64)] public ulong NrExchanged;
}

[StructLayout(LayoutKind.Explicit, Size = 44)]
public struct XenMemoryExchangeCompat
{
    [FieldOffset(0)] public XenMemoryReservationCompat In;
    [FieldOffset(20)] public XenMemoryReservationCompat Out;
    [FieldOffset(40)] public uint NrExchanged;
}

/// <summary>xen_memory_domain (current/maximum_reservation, maximum_gpfn); same everywhere.</summary>
[StructLayout(LayoutKind.Explicit, Size = 2)]
public struct XenMemoryDomain
{
    [FieldOffset(0)] public ushort DomId;
}

/// <summary>xen_add_to_physmap (x86_64, arm).</summary>
[StructLayout(LayoutKind.Explicit, Size = 24)]
public struct XenAddToPhysmap
{
    [FieldOffset(0)] public ushort DomId;
    [FieldOffset(2)] public ushort Size;
    [FieldOffset(4)] public uint Space;
    [FieldOffset(8)] public ulong Idx;
    [FieldOffset(16)] public ulong Gpfn;
}

[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct XenAddToPhysmapCompat
{
    [FieldOffset(0)] public ushort DomId;
    [FieldOffset(2)] public ushort Size;
    [FieldOffset(4)] public uint Space;
    [FieldOffset(8)] public uint Idx;
    [FieldOffset(12)] public uint Gpfn;
}

/// <summary>xen_add_to_physmap_batch (x86_64, arm): idxs are xen_ulong_t, gpfns xen_pfn_t, errs int.</summary>
[StructLayout(LayoutKind.Explicit, Size = 32)]
public struct XenAddToPhysmapBatch
{
    [FieldOffset(0)] public ushort DomId;
    [FieldOffset(2)] public ushort Space;
    [FieldOffset(4)] public ushort Size;
    /// <summary>The union u: foreign_domid for gmfn_foreign, res0 (must be 0) otherwise.</summary>
    [FieldOffset(6)] public ushort ForeignDomId;
    [FieldOffset(8)] public ulong Idxs;
    [FieldOffset(16)] public ulong Gpfns;
    [FieldOffset(24)] public ulong Errs;
}

[StructLayout(LayoutKind.Explicit, Size = 20)]
public struct XenAddToPhysmapBatchCompat
{
    [FieldOffset(0)] public ushort DomId;
    [FieldOffset(2)] public ushort Space;
    [FieldOffset(4)] public ushort Size;
    [FieldOffset(6)] public ushort ForeignDomId;
    [FieldOffset(8)] public uint Idxs;
    [FieldOffset(12)] public uint Gpfns;
    [FieldOffset(16)] public uint Errs;
}

[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct XenRemoveFromPhysmap
{
    [FieldOffset(0)] public ushort DomId;
    [FieldOffset(8)] public ulong Gpfn;
}

[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct XenRemoveFromPhysmapCompat
{
    [FieldOffset(0)] public ushort DomId;
    [FieldOffset(4)] public uint Gpfn;
}

/// <summary>xen_memory_map (memory_map, machine_memory_map): buffer holds e820 entries.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct XenMemoryMap
{
    [FieldOffset(0)] public uint NrEntries;
    [FieldOffset(8)] public ulong Buffer;
}

[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct XenMemoryMapCompat
{
    [FieldOffset(0)] public uint NrEntries;
    [FieldOffset(4)] public uint Buffer;
}

/// <summary>xen_foreign_memory_map (set_memory_map).</summary>
[StructLayout(LayoutKind.Explicit, Size = 24)]
public struct XenForeignMemoryMap
{
    [FieldOffset(0)] public ushort DomId;
    [FieldOffset(8)] public XenMemoryMap Map;
}

[StructLayout(LayoutKind.Explicit, Size = 12)]
public struct XenForeignMemoryMapCompat
{
    [FieldOffset(0)] public ushort DomId;
    [FieldOffset(4)] public XenMemoryMapCompat Map;
}

/// <summary>xen_mem_acquire_resource (x86_64, arm).</summary>
[StructLayout(LayoutKind.Explicit, Size = 32)]
public struct XenMemAcquireResource
{
    [FieldOffset(0)] public ushort DomId;
    [FieldOffset(2)] public ushort Type;
    [FieldOffset(4)] public uint Id;
    [FieldOffset(8)] public uint NrFrames;
    [FieldOffset(12)] public uint Pad;
    [FieldOffset(16)] public ulong Frame;
    [FieldOffset(24)] public ulong FrameList;
}

[StructLayout(LayoutKind.Explicit, Size = 28)]
public struct XenMemAcquireResourceCompat
{
    [FieldOffset(0)] public ushort DomId;
    [FieldOffset(2)] public ushort Type;
    [FieldOffset(4)] public uint Id;
    [FieldOffset(8)] public uint NrFrames;
    [FieldOffset(12)] public uint Pad;
    [FieldOffset(16)] public ulong Frame;
    [FieldOffset(24)] public uint FrameList;
}

/// <summary>An e820 entry as the BIOS returns it (packed, 20 bytes).</summary>
[StructLayout(LayoutKind.Explicit, Size = 20)]
public struct E820Entry
{
    [FieldOffset(0)] public ulong Addr;
    [FieldOffset(8)] public ulong Size;
    [FieldOffset(16)] public uint Type;

    public const uint Ram = 1;
    public const uint Reserved = 2;
    /// <summary>Xen's E820MAX: the most entries set_memory_map accepts.</summary>
    public const uint Max = 1024;
}

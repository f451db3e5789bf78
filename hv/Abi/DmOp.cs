using System.Runtime.InteropServices;

namespace XenLite.Hv.Abi;

/// <summary>dm_op sub-ops (public hvm/dm_op.h, XEN_DMOP_*), numbered from 1.</summary>
public static class XenDmop
{
    public const int CreateIoreqServer = 1;
    public const int GetIoreqServerInfo = 2;
    public const int MapIoRangeToIoreqServer = 3;
    public const int UnmapIoRangeFromIoreqServer = 4;
    public const int SetIoreqServerState = 5;
    public const int DestroyIoreqServer = 6;
    public const int TrackDirtyVram = 7;
    public const int SetPciIntxLevel = 8;
    public const int SetIsaIrqLevel = 9;
    public const int SetPciLinkRoute = 10;
    public const int ModifiedMemory = 11;
    public const int SetMemType = 12;
    public const int InjectEvent = 13;
    public const int InjectMsi = 14;
    public const int MapMemTypeToIoreqServer = 15;
    public const int RemoteShutdown = 16;
    public const int RelocateMemory = 17;
    public const int PinMemoryCacheattr = 18;
    public const int SetIrqLevel = 19;
    public const int NrVcpus = 20;

    /// <summary>The op_size tables of x86 and arm end here: larger numbers are -EOPNOTSUPP.</summary>
    public const int TableSize = 21;
    /// <summary>struct dmop_args holds at most two buffers.</summary>
    public const uint MaxBufs = 2;
    /// <summary>offsetof(struct xen_dm_op, u).</summary>
    public const ulong UnionOffset = 8;

    public const ushort NoGfns = 1;
    public const uint IoRangePci = 2;
    public const uint IoreqMemAccessWrite = 2;
    public const byte BufioreqAtomic = 2;
    public const uint DeleteMemCacheattr = 0xFFFF_FFFF;
}

/// <summary>xen_dm_op_buf_t with a 64-bit handle and xen_ulong_t size (x86_64, arm).</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct XenDmOpBuf
{
    [FieldOffset(0)] public ulong Handle;
    [FieldOffset(8)] public ulong Size;
}

/// <summary>xen_dm_op_buf_t from a 32-bit caller.</summary>
[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct XenDmOpBufCompat
{
    [FieldOffset(0)] public uint Handle;
    [FieldOffset(4)] public uint Size;
}

/// <summary>
/// struct xen_dm_op: op, pad, then the sub-op's struct at <see cref="XenDmop.UnionOffset"/>.
/// The union members are all 8-aligned and the same for 32-bit callers (dm_op.h uses
/// uint64_aligned_t), so one layout serves both; <see cref="U"/> is read as the member.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 32)]
public unsafe struct XenDmOp
{
    [FieldOffset(0)] public uint Op;
    [FieldOffset(4)] public uint Pad;
    [FieldOffset(8)] public fixed byte U[24];
}

/// <summary>xen_dm_op_create_ioreq_server.</summary>
[StructLayout(LayoutKind.Explicit, Size = 6)]
public unsafe struct XenDmOpCreateIoreqServer
{
    [FieldOffset(0)] public byte HandleBufioreq;
    [FieldOffset(1)] public fixed byte Pad[3];
    [FieldOffset(4)] public ushort Id;
}

/// <summary>xen_dm_op_get_ioreq_server_info.</summary>
[StructLayout(LayoutKind.Explicit, Size = 24)]
public struct XenDmOpGetIoreqServerInfo
{
    [FieldOffset(0)] public ushort Id;
    [FieldOffset(2)] public ushort Flags;
    [FieldOffset(4)] public uint BufioreqPort;
    [FieldOffset(8)] public ulong IoreqGfn;
    [FieldOffset(16)] public ulong BufioreqGfn;
}

/// <summary>xen_dm_op_ioreq_server_range.</summary>
[StructLayout(LayoutKind.Explicit, Size = 24)]
public struct XenDmOpIoreqServerRange
{
    [FieldOffset(0)] public ushort Id;
    [FieldOffset(2)] public ushort Pad;
    [FieldOffset(4)] public uint Type;
    [FieldOffset(8)] public ulong Start;
    [FieldOffset(16)] public ulong End;
}

/// <summary>xen_dm_op_set_ioreq_server_state.</summary>
[StructLayout(LayoutKind.Explicit, Size = 4)]
public struct XenDmOpSetIoreqServerState
{
    [FieldOffset(0)] public ushort Id;
    [FieldOffset(2)] public byte Enabled;
    [FieldOffset(3)] public byte Pad;
}

/// <summary>xen_dm_op_destroy_ioreq_server.</summary>
[StructLayout(LayoutKind.Explicit, Size = 4)]
public struct XenDmOpDestroyIoreqServer
{
    [FieldOffset(0)] public ushort Id;
    [FieldOffset(2)] public ushort Pad;
}

/// <summary>xen_dm_op_track_dirty_vram.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct XenDmOpTrackDirtyVram
{
    [FieldOffset(0)] public uint Nr;
    [FieldOffset(4)] public uint Pad;
    [FieldOffset(8)] public ulong FirstPfn;
}

/// <summary>xen_dm_op_set_pci_intx_level.</summary>
[StructLayout(LayoutKind.Explicit, Size = 6)]
public struct XenDmOpSetPciIntxLevel
{
    [FieldOffset(0)] public ushort Domain;
    [FieldOffset(2)] public byte Bus;
    [FieldOffset(3)] public byte Device;
    [FieldOffset(4)] public byte Intx;
    [FieldOffset(5)] public byte Level;
}

/// <summary>xen_dm_op_set_isa_irq_level.</summary>
[StructLayout(LayoutKind.Explicit, Size = 2)]
public struct XenDmOpSetIsaIrqLevel
{
    [FieldOffset(0)] public byte IsaIrq;
    [FieldOffset(1)] public byte Level;
}

/// <summary>xen_dm_op_set_pci_link_route.</summary>
[StructLayout(LayoutKind.Explicit, Size = 2)]
public struct XenDmOpSetPciLinkRoute
{
    [FieldOffset(0)] public byte Link;
    [FieldOffset(1)] public byte IsaIrq;
}

/// <summary>xen_dm_op_modified_memory.</summary>
[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct XenDmOpModifiedMemory
{
    [FieldOffset(0)] public uint NrExtents;
    [FieldOffset(4)] public uint Opaque;
}

/// <summary>xen_dm_op_set_mem_type.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct XenDmOpSetMemType
{
    [FieldOffset(0)] public uint Nr;
    [FieldOffset(4)] public ushort MemType;
    [FieldOffset(6)] public ushort Pad;
    [FieldOffset(8)] public ulong FirstPfn;
}

/// <summary>xen_dm_op_inject_event.</summary>
[StructLayout(LayoutKind.Explicit, Size = 24)]
public struct XenDmOpInjectEvent
{
    [FieldOffset(0)] public uint VcpuId;
    [FieldOffset(4)] public byte Vector;
    [FieldOffset(5)] public byte Type;
    [FieldOffset(6)] public byte InsnLen;
    [FieldOffset(7)] public byte Pad0;
    [FieldOffset(8)] public uint ErrorCode;
    [FieldOffset(12)] public uint Pad1;
    [FieldOffset(16)] public ulong Cr2;
}

/// <summary>xen_dm_op_inject_msi.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct XenDmOpInjectMsi
{
    [FieldOffset(0)] public uint Data;
    [FieldOffset(4)] public uint Pad;
    [FieldOffset(8)] public ulong Addr;
}

/// <summary>xen_dm_op_map_mem_type_to_ioreq_server.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct XenDmOpMapMemTypeToIoreqServer
{
    [FieldOffset(0)] public ushort Id;
    [FieldOffset(2)] public ushort Type;
    [FieldOffset(4)] public uint Flags;
    [FieldOffset(8)] public ulong Opaque;
}

/// <summary>xen_dm_op_remote_shutdown.</summary>
[StructLayout(LayoutKind.Explicit, Size = 4)]
public struct XenDmOpRemoteShutdown
{
    [FieldOffset(0)] public uint Reason;
}

/// <summary>xen_dm_op_relocate_memory.</summary>
[StructLayout(LayoutKind.Explicit, Size = 24)]
public struct XenDmOpRelocateMemory
{
    [FieldOffset(0)] public uint Size;
    [FieldOffset(4)] public uint Pad;
    [FieldOffset(8)] public ulong SrcGfn;
    [FieldOffset(16)] public ulong DstGfn;
}

/// <summary>xen_dm_op_pin_memory_cacheattr.</summary>
[StructLayout(LayoutKind.Explicit, Size = 24)]
public struct XenDmOpPinMemoryCacheattr
{
    [FieldOffset(0)] public ulong Start;
    [FieldOffset(8)] public ulong End;
    [FieldOffset(16)] public uint Type;
    [FieldOffset(20)] public uint Pad;
}

/// <summary>xen_dm_op_set_irq_level (arm).</summary>
[StructLayout(LayoutKind.Explicit, Size = 8)]
public unsafe struct XenDmOpSetIrqLevel
{
    [FieldOffset(0)] public uint Irq;
    [FieldOffset(4)] public byte Level;
    [FieldOffset(5)] public fixed byte Pad[3];
}

/// <summary>xen_dm_op_nr_vcpus.</summary>
[StructLayout(LayoutKind.Explicit, Size = 4)]
public struct XenDmOpNrVcpus
{
    [FieldOffset(0)] public uint Vcpus;
}

using System.Runtime.InteropServices;

namespace XenLite.Plugin.Argo;

/// <summary>Numbers and limits of public/argo.h, and the hypervisor-side limits of common/argo.c.</summary>
public static class ArgoAbi
{
    public const int OpRegisterRing = 1;
    public const int OpUnregisterRing = 2;
    public const int OpSendv = 3;
    public const int OpNotify = 4;

    /// <summary>XEN_ARGO_DOMID_ANY (= DOMID_INVALID): a ring any domain may send to.</summary>
    public const ushort DomidAny = 0x7FF4;
    public const uint MaxRingSize = 0x1000000;
    public const uint MaxIov = 8;
    public const uint MsgSlotSize = 0x10;
    public const uint RegisterFlagFailExist = 0x1;

    /// <summary>sizeof(xen_argo_ring): rx_ptr, tx_ptr and reserved space before the ring bytes.</summary>
    public const uint RingHeaderSize = 64;
    /// <summary>sizeof(xen_argo_ring_message_header).</summary>
    public const uint MessageHeaderSize = 16;
    /// <summary>The largest payload the largest ring can take: header and one slot stay free.</summary>
    public const uint MaxMessageSize = MaxRingSize - MessageHeaderSize - MsgSlotSize;

    // Xen's own limits (argo.c), not in the public header.
    public const int MaxRingsPerDomain = 128;
    public const uint MaxNotifyCount = 256;
    public const int MaxPendingPerRing = 32;

    // Notify flags (xen_argo_ring_data_ent.flags).
    public const ushort RingExists = 1 << 0;
    public const ushort RingShared = 1 << 1;
    public const ushort RingEmpty = 1 << 2;
    public const ushort RingSufficient = 1 << 3;
    public const ushort RingEmsgsize = 1 << 4;
    public const ushort RingEbusy = 1 << 5;

    /// <summary>ROUNDUP_MESSAGE: payloads occupy whole 16-byte slots.</summary>
    public static uint RoundUp(uint n) => (n + MsgSlotSize - 1) & ~(MsgSlotSize - 1);

    /// <summary>NPAGES_RING: pages holding the ring header and a ring of <paramref name="len"/> bytes.</summary>
    public static uint PagesFor(uint len) => (RoundUp(len) + RingHeaderSize + 4095) >> 12;
}

/// <summary>xen_argo_addr_t.</summary>
[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct ArgoAddr
{
    [FieldOffset(0)] public uint Aport;
    [FieldOffset(4)] public ushort DomainId;
    [FieldOffset(6)] public ushort Pad;
}

/// <summary>xen_argo_send_addr_t.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct ArgoSendAddr
{
    [FieldOffset(0)] public ArgoAddr Src;
    [FieldOffset(8)] public ArgoAddr Dst;
}

/// <summary>xen_argo_register_ring_t.</summary>
[StructLayout(LayoutKind.Explicit, Size = 12)]
public struct ArgoRegisterRing
{
    [FieldOffset(0)] public uint Aport;
    [FieldOffset(4)] public ushort PartnerId;
    [FieldOffset(6)] public ushort Pad;
    [FieldOffset(8)] public uint Len;
}

/// <summary>xen_argo_unregister_ring_t.</summary>
[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct ArgoUnregisterRing
{
    [FieldOffset(0)] public uint Aport;
    [FieldOffset(4)] public ushort PartnerId;
    [FieldOffset(6)] public ushort Pad;
}

/// <summary>xen_argo_iov_t as 64-bit guests lay it out.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct ArgoIov
{
    [FieldOffset(0)] public ulong Handle;
    [FieldOffset(8)] public uint Len;
    [FieldOffset(12)] public uint Pad;
}

/// <summary>compat_argo_iov_t: 32-bit guests' handle is 4 bytes.</summary>
[StructLayout(LayoutKind.Explicit, Size = 12)]
public struct ArgoIovCompat
{
    [FieldOffset(0)] public uint Handle;
    [FieldOffset(4)] public uint Len;
    [FieldOffset(8)] public uint Pad;
}

/// <summary>xen_argo_ring_data_ent_t: one ring notify asks about.</summary>
[StructLayout(LayoutKind.Explicit, Size = 20)]
public struct ArgoRingDataEnt
{
    public const int FlagsOffset = 8;
    public const int MaxMessageSizeOffset = 16;

    [FieldOffset(0)] public ArgoAddr Ring;
    [FieldOffset(8)] public ushort Flags;
    [FieldOffset(10)] public ushort Pad;
    [FieldOffset(12)] public uint SpaceRequired;
    [FieldOffset(16)] public uint MaxMessageSize;
}

/// <summary>xen_argo_ring_data_t's header; nent entries follow at offset 8.</summary>
[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct ArgoRingData
{
    public const int EntriesOffset = 8;

    [FieldOffset(0)] public uint Nent;
    [FieldOffset(4)] public uint Pad;
}

/// <summary>xen_argo_ring_message_header: what precedes each message in a ring.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct ArgoMessageHeader
{
    /// <summary>Header plus payload, in bytes (not rounded).</summary>
    [FieldOffset(0)] public uint Len;
    [FieldOffset(4)] public ArgoAddr Source;
    [FieldOffset(12)] public uint MessageType;
}

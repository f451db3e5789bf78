using System.Runtime.InteropServices;

namespace XenLite.Hv.Abi;

/// <summary>
/// vcpu_time_info_t (public xen.h): the pvclock record, same on every arch. Writers bump
/// Version to odd before an update and to even after it, so readers can detect a torn read.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 32)]
public unsafe struct VcpuTimeInfo
{
    [FieldOffset(0)] public uint Version;
    [FieldOffset(4)] public uint Pad0;
    [FieldOffset(8)] public ulong TscTimestamp;    // TSC at the last update
    [FieldOffset(16)] public ulong SystemTime;     // ns since boot at TscTimestamp
    [FieldOffset(24)] public uint TscToSystemMul;  // 32.32 fixed-point ns per (shifted) tick
    [FieldOffset(28)] public sbyte TscShift;
    [FieldOffset(29)] public byte Flags;           // PvClockFlags
    [FieldOffset(30)] public fixed byte Pad1[2];
}

/// <summary>vcpu_time_info flags (public xen.h, XEN_PVCLOCK_*).</summary>
public static class PvClockFlags
{
    public const byte TscStableBit = 1 << 0;
    public const byte GuestStopped = 1 << 1;
}

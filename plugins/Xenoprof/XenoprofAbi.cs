using System.Runtime.InteropServices;

namespace XenLite.Plugin.Xenoprof;

/// <summary>xenoprof.h operation numbers.</summary>
public static class XenoprofCmd
{
    public const int Init = 0;
    public const int ResetActiveList = 1;
    public const int ResetPassiveList = 2;
    public const int SetActive = 3;
    public const int SetPassive = 4;
    public const int ReserveCounters = 5;
    public const int Counter = 6;
    public const int SetupEvents = 7;
    public const int EnableVirq = 8;
    public const int Start = 9;
    public const int Stop = 10;
    public const int DisableVirq = 11;
    public const int ReleaseCounters = 12;
    public const int Shutdown = 13;
    public const int GetBuffer = 14;
    public const int SetBacktrace = 15;
    public const int GetIbsCaps = 16;
    public const int IbsCounter = 17;
    public const int LastOp = 17;
}

public static class XenoprofLimits
{
    public const int MaxOprofEvents = 32;
    public const int MaxOprofDomains = 25;
    public const int CpuTypeSize = 64;
    /// <summary>OP_MAX_COUNTER (x86 oprofile): XENOPROF_counter's index bound.</summary>
    public const int MaxCounters = 8;
    /// <summary>MAX_OPROF_SHARED_PAGES: the pages a domain's buffers may take.</summary>
    public const int MaxSharedPages = 32;
    /// <summary>XENOPROF_ESCAPE_CODE and XENOPROF_TRACE_BEGIN: a backtrace follows.</summary>
    public const ulong EscapeCode = ulong.MaxValue;
    public const byte TraceBegin = 1;
}

/// <summary>
/// struct xenoprof_buf, one per vCPU in the shared area: a header of counters then the
/// event_log ring. The header is the same for 32-bit readers; an event_log entry is 16
/// bytes (12 in the compat layout, where uint64_t is 4-byte aligned).
/// </summary>
public static class XenoprofBufLayout
{
    public const int EventHead = 0, EventTail = 4, EventSize = 8, VcpuId = 12;
    public const int XenSamples = 16, KernelSamples = 24, UserSamples = 32, LostSamples = 40;
    public const int EventLog = 48;
    public const int EntrySize = 16, EntrySizeCompat = 12;
    public const int EntryEip = 0, EntryMode = 8, EntryEvent = 9;
}

/// <summary>struct xenoprof_init (same for 32-bit callers).</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct XenoprofInitArg
{
    public int NumEvents;
    public int IsPrimary;
    public fixed byte CpuType[XenoprofLimits.CpuTypeSize];
}

/// <summary>struct xenoprof_get_buffer.</summary>
[StructLayout(LayoutKind.Explicit, Size = 24)]
public struct XenoprofGetBufferArg
{
    [FieldOffset(0)] public int MaxSamples;
    [FieldOffset(4)] public int Nbuf;
    [FieldOffset(8)] public int Bufsize;
    [FieldOffset(16)] public ulong BufGmaddr;
}

/// <summary>compat_oprof_get_buffer: buf_gmaddr is 4-byte aligned.</summary>
[StructLayout(LayoutKind.Explicit, Size = 20)]
public struct XenoprofGetBufferArgCompat
{
    [FieldOffset(0)] public int MaxSamples;
    [FieldOffset(4)] public int Nbuf;
    [FieldOffset(8)] public int Bufsize;
    [FieldOffset(12)] public ulong BufGmaddr;
}

/// <summary>struct xenoprof_passive (same for 32-bit callers).</summary>
[StructLayout(LayoutKind.Explicit, Size = 24)]
public struct XenoprofPassiveArg
{
    [FieldOffset(0)] public ushort DomainId;
    [FieldOffset(4)] public int MaxSamples;
    [FieldOffset(8)] public int Nbuf;
    [FieldOffset(12)] public int Bufsize;
    [FieldOffset(16)] public ulong BufGmaddr;
}

/// <summary>struct xenoprof_counter.</summary>
[StructLayout(LayoutKind.Explicit, Size = 48)]
public struct XenoprofCounterArg
{
    [FieldOffset(0)] public uint Ind;
    [FieldOffset(8)] public ulong Count;
    [FieldOffset(16)] public uint Enabled;
    [FieldOffset(20)] public uint Event;
    [FieldOffset(24)] public uint Hypervisor;
    [FieldOffset(28)] public uint Kernel;
    [FieldOffset(32)] public uint User;
    [FieldOffset(40)] public ulong UnitMask;
}

/// <summary>compat_oprof_counter: the uint64_t fields are 4-byte aligned.</summary>
[StructLayout(LayoutKind.Explicit, Size = 40)]
public struct XenoprofCounterArgCompat
{
    [FieldOffset(0)] public uint Ind;
    [FieldOffset(4)] public ulong Count;
    [FieldOffset(12)] public uint Enabled;
    [FieldOffset(16)] public uint Event;
    [FieldOffset(20)] public uint Hypervisor;
    [FieldOffset(24)] public uint Kernel;
    [FieldOffset(28)] public uint User;
    [FieldOffset(32)] public ulong UnitMask;
}

/// <summary>struct xenoprof_ibs_counter (six uint64_t; same for 32-bit callers).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct XenoprofIbsCounterArg
{
    public ulong OpEnabled;
    public ulong FetchEnabled;
    public ulong MaxCntFetch;
    public ulong MaxCntOp;
    public ulong RandEn;
    public ulong DispatchedOps;
}

using System.Runtime.InteropServices;

namespace XenLite.Plugin.Kexec;

/// <summary>kexec.h numbers.</summary>
public static class KexecCmd
{
    public const ulong Exec = 0;
    // 1 and 2 were kexec_load_v1/unload_v1: obsolete since Xen 4.4, removed in 4.23 (now -EOPNOTSUPP).
    public const ulong LoadV1 = 1;
    public const ulong UnloadV1 = 2;
    public const ulong GetRange = 3;
    public const ulong Load = 4;
    public const ulong Unload = 5;
    public const ulong Status = 6;
}

public static class KexecType
{
    public const int Default = 0;
    public const int Crash = 1;
}

public static class KexecRange
{
    public const int Crash = 0;
    public const int Xen = 1;
    public const int Cpu = 2;
    public const int Xenheap = 3;
    public const int BootParam = 4;
    public const int EfiMemmap = 5;
    public const int Vmcoreinfo = 6;
}

/// <summary>ELF machine types kexec_load accepts on x86 (machine_kexec_load).</summary>
public static class ElfMachine
{
    public const ushort I386 = 3;
    public const ushort X86_64 = 62;
}

/// <summary>xen_kexec_exec_t.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct KexecExecArg
{
    public int Type;
}

/// <summary>xen_kexec_range_t, 64-bit layout (unsigned long fields).</summary>
[StructLayout(LayoutKind.Explicit, Size = 24)]
public struct KexecRangeArg
{
    [FieldOffset(0)] public int Range;
    [FieldOffset(4)] public int Nr;
    [FieldOffset(8)] public ulong Size;
    [FieldOffset(16)] public ulong Start;
}

/// <summary>compat_kexec_range_t: the same with 32-bit unsigned longs.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct KexecRangeArgCompat
{
    [FieldOffset(0)] public int Range;
    [FieldOffset(4)] public int Nr;
    [FieldOffset(8)] public uint Size;
    [FieldOffset(12)] public uint Start;
}

/// <summary>xen_kexec_segment_t (same layout for 32-bit callers: the handle sits in a 64-bit slot).</summary>
[StructLayout(LayoutKind.Explicit, Size = 32)]
public struct KexecSegment
{
    [FieldOffset(0)] public ulong Buf;
    [FieldOffset(8)] public ulong BufSize;
    [FieldOffset(16)] public ulong DestMaddr;
    [FieldOffset(24)] public ulong DestSize;
}

/// <summary>xen_kexec_load_t.</summary>
[StructLayout(LayoutKind.Explicit, Size = 24)]
public struct KexecLoadArg
{
    [FieldOffset(0)] public byte Type;
    [FieldOffset(2)] public ushort Arch;
    [FieldOffset(4)] public uint NrSegments;
    [FieldOffset(8)] public ulong Segments;
    [FieldOffset(16)] public ulong EntryMaddr;
}

/// <summary>xen_kexec_unload_t and xen_kexec_status_t: just the type.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct KexecTypeArg
{
    public byte Type;
}

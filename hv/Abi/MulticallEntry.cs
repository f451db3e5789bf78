using System.Runtime.InteropServices;

namespace XenLite.Hv.Abi;

/// <summary>multicall_entry_t for 64-bit callers (x86_64; arm, where the fields are xen_ulong_t).</summary>
[StructLayout(LayoutKind.Explicit, Size = 64)]
public unsafe struct MulticallEntry
{
    [FieldOffset(0)] public ulong Op;
    [FieldOffset(8)] public ulong Result;
    [FieldOffset(16)] public fixed ulong Args[6];
}

/// <summary>multicall_entry_compat_t: the 32-bit x86 layout.</summary>
[StructLayout(LayoutKind.Explicit, Size = 32)]
public unsafe struct MulticallEntryCompat
{
    [FieldOffset(0)] public uint Op;
    [FieldOffset(4)] public uint Result;
    [FieldOffset(8)] public fixed uint Args[6];
}

using System.Runtime.InteropServices;

namespace XenLite.Hv.Abi;

// PVH/HVM start of day (public arch-x86/hvm/start_info.h): the layout is fixed in bytes by the
// header, identical for 32- and 64-bit guests; all addresses are guest-physical.

/// <summary>hvm_start_info, passed in %ebx to a PVH entry point.</summary>
[StructLayout(LayoutKind.Explicit, Size = 56)]
public struct HvmStartInfo
{
    /// <summary>XEN_HVM_START_MAGIC_VALUE: "xEn3" with the 0x80 bit of the "E" set.</summary>
    public const uint MagicValue = 0x336ec578;
    /// <summary>Version 0: fields up to RsdpPaddr (48 bytes).</summary>
    public const uint Version0 = 0;
    /// <summary>Version 1 adds MemmapPaddr, MemmapEntries and Reserved.</summary>
    public const uint Version1 = 1;
    public const uint CurrentVersion = Version1;

    [FieldOffset(0)] public uint Magic;
    [FieldOffset(4)] public uint Version;
    [FieldOffset(8)] public uint Flags;          // StartInfoFlags
    [FieldOffset(12)] public uint NrModules;
    [FieldOffset(16)] public ulong ModlistPaddr; // HvmModlistEntry[NrModules]
    [FieldOffset(24)] public ulong CmdlinePaddr;
    [FieldOffset(32)] public ulong RsdpPaddr;
    [FieldOffset(40)] public ulong MemmapPaddr;  // HvmMemmapTableEntry[MemmapEntries]
    [FieldOffset(48)] public uint MemmapEntries;
    [FieldOffset(52)] public uint Reserved;
}

/// <summary>hvm_modlist_entry: one boot module.</summary>
[StructLayout(LayoutKind.Explicit, Size = 32)]
public struct HvmModlistEntry
{
    [FieldOffset(0)] public ulong Paddr;
    [FieldOffset(8)] public ulong Size;
    [FieldOffset(16)] public ulong CmdlinePaddr;
    [FieldOffset(24)] public ulong Reserved;
}

/// <summary>hvm_memmap_table_entry: one range of the guest memory map.</summary>
[StructLayout(LayoutKind.Explicit, Size = 24)]
public struct HvmMemmapTableEntry
{
    [FieldOffset(0)] public ulong Addr;
    [FieldOffset(8)] public ulong Size;
    [FieldOffset(16)] public uint Type;          // HvmMemmapType
    [FieldOffset(20)] public uint Reserved;
}

/// <summary>Memory map entry types (XEN_HVM_MEMMAP_TYPE_*), the ACPI address range types.</summary>
public static class HvmMemmapType
{
    public const uint Ram = 1;
    public const uint Reserved = 2;
    public const uint Acpi = 3;
    public const uint Nvs = 4;
    public const uint Unusable = 5;
    public const uint Disabled = 6;
    public const uint Pmem = 7;
}

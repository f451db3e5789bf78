namespace XenLite.Hv.Arch.X86;

/// <summary>One range of the firmware memory map the loader passed (Multiboot / E820 types: 1 = RAM).</summary>
public struct BootMemoryRange
{
    public ulong Base, Length;
    public uint Type;

    public string TypeName => Type switch
    {
        1 => "usable",
        2 => "reserved",
        3 => "ACPI data",
        4 => "ACPI NVS",
        5 => "unusable",
        _ => "unknown",
    };
}

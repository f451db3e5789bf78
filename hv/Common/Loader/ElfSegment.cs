namespace XenLite.Hv.Common.Loader;

/// <summary>One program header, widened to 64 bits whatever the class.</summary>
public struct ElfSegment
{
    public uint Type;
    public uint Flags;
    public ulong Offset;
    public ulong VAddr;
    public ulong PAddr;
    public ulong FileSize;
    public ulong MemSize;
    public ulong Align;

    /// <summary>libelf's elf_phdr_is_loadable: PT_LOAD with at least one of R, W, X.</summary>
    public bool IsLoadable =>
        Type == ElfFormat.PtLoad && (Flags & (ElfFormat.PfR | ElfFormat.PfW | ElfFormat.PfX)) != 0;
}

/// <summary>One section header, widened to 64 bits; only what note lookup needs.</summary>
public struct ElfSection
{
    public uint Type;
    public ulong Offset;
    public ulong Size;
}

namespace XenLite.Hv.Common.Loader;

/// <summary>A string inside the image: its offset and length (without the NUL).</summary>
public struct ImageString
{
    public ulong Offset;
    public uint Length;
}

/// <summary>
/// What the image's "Xen" notes say (libelf's elf_dom_parms, the note part). A value counts only
/// when <see cref="Has"/> says its note was present.
/// </summary>
public struct XenNotes
{
    /// <summary>How many "Xen" notes were read.</summary>
    public uint Count;
    /// <summary>Bit n set: a note of type n was present.</summary>
    public uint Present;

    public ulong Entry;
    public ulong HypercallPage;
    public ulong VirtBase;
    public ulong PaddrOffset;
    public ulong HvStartLow;
    public ulong InitP2m;
    public ulong SuspendCancel;
    public ulong ModStartPfn;
    /// <summary>PVH entry: 32-bit, paging off (libelf keeps it as uint32_t).</summary>
    public uint Phys32Entry;
    /// <summary>PHYS32_RELOC constraints: alignment, lowest start, highest last byte (0 when not given).</summary>
    public uint PhysAlign, PhysMin, PhysMax;

    public ImageString XenVersion;
    public ImageString GuestOs;
    public ImageString GuestVersion;
    public ImageString Loader;
    public ImageString PaeMode;
    public ImageString Features;
    public ImageString BsdSymtab;

    /// <summary>XENFEAT_* bits from FEATURES and SUPPORTED_FEATURES (submap 0, the only one).</summary>
    public uint FeaturesSupported;
    /// <summary>XENFEAT_* bits FEATURES marks required ("!name").</summary>
    public uint FeaturesRequired;

    public bool Has(uint type) => type < 32 && (Present & (1u << (int)type)) != 0;
}

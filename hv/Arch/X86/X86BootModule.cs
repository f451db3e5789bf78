namespace XenLite.Hv.Arch.X86;

/// <summary>A Multiboot module as the loader left it: its bytes and its string ("file args…").</summary>
public unsafe struct X86BootModule
{
    public byte* Data;
    public ulong Length;
    public byte* String;
    public int StringLength;
    /// <summary>An embedded guest's image-config label (its security label under Flask); null for a loader's module.</summary>
    public byte* Label;
    public int LabelLength;

    /// <summary>The first word of the string: the file name the loader was given.</summary>
    public int NameLength
    {
        get
        {
            int i = SkipSpaces(0);
            while (i < StringLength && String[i] != (byte)' ') i++;
            return i;
        }
    }

    /// <summary>
    /// Where the kernel's own command line starts: after the file name, as Xen's cmdline_cook
    /// does for loaders other than GRUB2 (QEMU, GRUB legacy) put the name first.
    /// </summary>
    public int ArgumentsStart => SkipSpaces(NameLength);

    int SkipSpaces(int i)
    {
        while (i < StringLength && String[i] == (byte)' ') i++;
        return i;
    }
}

namespace XenLite.Hv.Common.Loader;

/// <summary>Why a guest image was refused; None means it was accepted.</summary>
public enum LoadError : byte
{
    None,
    EmptyImage,
    BadMagic,
    TruncatedHeader,
    BadClass,
    NotLittleEndian,
    BadVersion,
    WrongMachine,
    BadPhEntSize,
    TruncatedPhdrs,
    BadShEntSize,
    TruncatedShdrs,
    SegmentOutsideFile,
    FileSizeOverMemSize,
    SegmentWraps,
    SegmentsOverlap,
    TooManySegments,
    NoLoadableSegments,
    NoteOutsideFile,
    MalformedNote,
    TooManyNotes,
    BadNumericNote,
    UnterminatedStringNote,
    UnknownRequiredFeature,
    NoPhys32Entry,
    EntryOutsideImage,
    NotDom0Capable,
    SegmentOutsideRam,
    NoRoomForStartInfo,
    WriteFault,
    NotXenPvImage,
    NotGenericLoader,
    NotXenVersion3,
    PaddrOffsetWithoutVirtBase,
    KernelOutOfBounds,
    NotElf64X86_64,
    NotElf32I386,
    Pv32NotPae,
    VirtBaseNotAligned,
    OverlapsXenArea,
    TooBigForMemory,
    BadHypercallPage,
}

/// <summary>
/// A refusal: its code, and the segment (or note type) it is about, and the other segment for
/// overlaps (-1 when none). The console prints it with <see cref="Describe"/>; no formatting here.
/// </summary>
public readonly struct LoadRefusal
{
    public readonly LoadError Code;
    public readonly int Index;
    public readonly int Other;

    public LoadRefusal(LoadError code, int index = -1, int other = -1)
    {
        Code = code;
        Index = index;
        Other = other;
    }

    public static LoadRefusal Ok => default;
    public bool Refused => Code != LoadError.None;

    public string Message => MessageFor(Code);

    public static string MessageFor(LoadError code) => code switch
    {
        LoadError.None => "accepted",
        LoadError.EmptyImage => "empty image",
        LoadError.BadMagic => "not an ELF image (bad magic)",
        LoadError.TruncatedHeader => "truncated ELF header",
        LoadError.BadClass => "unsupported ELF class",
        LoadError.NotLittleEndian => "not a little-endian ELF image",
        LoadError.BadVersion => "unsupported ELF version",
        LoadError.WrongMachine => "ELF machine or class not supported on this architecture",
        LoadError.BadPhEntSize => "program header entry size too small",
        LoadError.TruncatedPhdrs => "truncated program header table",
        LoadError.BadShEntSize => "section header entry size too small",
        LoadError.TruncatedShdrs => "truncated section header table",
        LoadError.SegmentOutsideFile => "segment data lies outside the file",
        LoadError.FileSizeOverMemSize => "segment filesz is larger than memsz",
        LoadError.SegmentWraps => "segment address range wraps around",
        LoadError.SegmentsOverlap => "segments overlap",
        LoadError.TooManySegments => "too many loadable segments",
        LoadError.NoLoadableSegments => "no loadable segments",
        LoadError.NoteOutsideFile => "note segment or section lies outside the file",
        LoadError.MalformedNote => "malformed note: sizes run past its segment or section",
        LoadError.TooManyNotes => "too many ELF notes",
        LoadError.BadNumericNote => "Xen numeric note has a size other than 1, 2, 4 or 8",
        LoadError.UnterminatedStringNote => "Xen string note is not NUL-terminated",
        LoadError.UnknownRequiredFeature => "FEATURES note requires a feature Xen does not know",
        LoadError.NoPhys32Entry => "no XEN_ELFNOTE_PHYS32_ENTRY note",
        LoadError.EntryOutsideImage => "PHYS32_ENTRY lies outside the loaded segments",
        LoadError.NotDom0Capable => "kernel does not support dom0 operation",
        LoadError.SegmentOutsideRam => "segment lies outside the domain's RAM",
        LoadError.NoRoomForStartInfo => "no room in RAM below 4 GiB for the start info, command line and modules",
        LoadError.WriteFault => "guest memory write failed while building",
        LoadError.NotXenPvImage => "not a Xen PV image: no Xen ELF notes",
        LoadError.NotGenericLoader => "LOADER note is not 'generic' and GUEST_OS note is not 'linux'",
        LoadError.NotXenVersion3 => "XEN_VERSION note is not 'xen-3.0'",
        LoadError.PaddrOffsetWithoutVirtBase => "PADDR_OFFSET note given without VIRT_BASE",
        LoadError.KernelOutOfBounds => "kernel start or entry out of bounds (VIRT_BASE, PADDR_OFFSET, ENTRY)",
        LoadError.NotElf64X86_64 => "a 64-bit PV domain needs an ELF64 x86_64 kernel",
        LoadError.NotElf32I386 => "a 32-bit PV domain needs an ELF32 i386 kernel",
        LoadError.Pv32NotPae => "32-bit PV kernels must be PAE (PAE_MODE note 'yes' or 'bimodal'): non-PAE pv32 is not supported",
        LoadError.VirtBaseNotAligned => "VIRT_BASE is not page aligned",
        LoadError.OverlapsXenArea => "boot address space overlaps the hypervisor's area or is not canonical",
        LoadError.TooBigForMemory => "kernel, initrd and boot data do not fit in the domain's memory",
        LoadError.BadHypercallPage => "HYPERCALL_PAGE note is not a page-aligned address inside the kernel",
        _ => "unknown refusal",
    };

    /// <summary>Writes the reason, with the segment or note numbers it names, e.g. "segment 2 overlaps segment 1".</summary>
    public void Describe(HvConsole c)
    {
        if (Code == LoadError.SegmentsOverlap && Index >= 0)
        {
            c.Write("segment ");
            c.WriteDec((long)Index);
            c.Write(" overlaps segment ");
            c.WriteDec((long)Other);
            return;
        }
        if (Index >= 0)
        {
            c.Write(IsAboutNote(Code) ? "note type " : "segment ");
            c.WriteDec((long)Index);
            c.Write(": ");
        }
        c.Write(Message);
    }

    static bool IsAboutNote(LoadError code) =>
        code == LoadError.BadNumericNote || code == LoadError.UnterminatedStringNote;
}

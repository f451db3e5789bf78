using System;

namespace XenLite.Hv.Common.Loader;

/// <summary>
/// A validated view of an ELF image held in hypervisor memory. <see cref="Parse"/> checks every
/// offset and size against the image before anything is read through it, so after it succeeds
/// the headers, segments and notes can be used without further bounds checks.
/// </summary>
public unsafe struct ElfImage
{
    /// <summary>Real kernels have a handful; the bound keeps the overlap check cheap.</summary>
    public const int MaxLoadSegments = 64;

    public byte* Data;
    public ulong Length;
    public byte Class;
    public ushort Machine;
    public ulong Entry;
    public ulong PhOff;
    public uint PhEntSize;
    public uint PhNum;
    public ulong ShOff;
    public uint ShEntSize;
    public uint ShNum;
    /// <summary>Lowest p_paddr and highest p_paddr + p_memsz over the loadable segments.</summary>
    public ulong LoadStart, LoadEnd;
    public int LoadableCount;
    public XenNotes Notes;

    public bool Is64 => Class == ElfFormat.Class64;

    public static LoadRefusal Parse(byte* data, ulong length, ElfTarget[] targets, out ElfImage image)
    {
        image = default;
        if (data == null || length == 0) return new LoadRefusal(LoadError.EmptyImage);
        if (!MagicMatches(data, length)) return new LoadRefusal(LoadError.BadMagic);
        if (length < ElfFormat.IdentSize) return new LoadRefusal(LoadError.TruncatedHeader);
        byte cls = data[ElfFormat.IdentClass];
        if (cls != ElfFormat.Class32 && cls != ElfFormat.Class64) return new LoadRefusal(LoadError.BadClass);
        if (data[ElfFormat.IdentData] != ElfFormat.DataLittleEndian) return new LoadRefusal(LoadError.NotLittleEndian);
        if (data[ElfFormat.IdentVersion] != ElfFormat.VersionCurrent) return new LoadRefusal(LoadError.BadVersion);
        bool is64 = cls == ElfFormat.Class64;
        if (length < (ulong)(is64 ? ElfFormat.Ehdr64Size : ElfFormat.Ehdr32Size)) return new LoadRefusal(LoadError.TruncatedHeader);
        if (LittleEndian.U32(data + ElfFormat.EVersion) != ElfFormat.VersionCurrent) return new LoadRefusal(LoadError.BadVersion);

        ElfImage img = default;
        img.Data = data;
        img.Length = length;
        img.Class = cls;
        img.Machine = LittleEndian.U16(data + ElfFormat.EMachine);
        if (!ElfTarget.Accepts(targets, cls, img.Machine)) return new LoadRefusal(LoadError.WrongMachine);
        img.ReadFileHeader();

        LoadRefusal r = img.CheckTable(img.PhOff, img.PhEntSize, img.PhNum, is64 ? ElfFormat.Phdr64Size : ElfFormat.Phdr32Size,
            LoadError.BadPhEntSize, LoadError.TruncatedPhdrs);
        if (r.Refused) return r;
        // e_shoff 0 means no section header table (gABI).
        if (img.ShOff == 0) img.ShNum = 0;
        r = img.CheckTable(img.ShOff, img.ShEntSize, img.ShNum, is64 ? ElfFormat.Shdr64Size : ElfFormat.Shdr32Size,
            LoadError.BadShEntSize, LoadError.TruncatedShdrs);
        if (r.Refused) return r;

        r = img.CheckSegments();
        if (r.Refused) return r;
        r = img.ReadNotes();
        if (r.Refused) return r;
        image = img;
        return LoadRefusal.Ok;
    }

    /// <summary>Program header <paramref name="i"/> (below <see cref="PhNum"/>).</summary>
    public ElfSegment Segment(uint i)
    {
        byte* p = Data + PhOff + (ulong)i * PhEntSize;
        var s = new ElfSegment { Type = LittleEndian.U32(p) };
        if (Is64)
        {
            s.Flags = LittleEndian.U32(p + 4);
            s.Offset = LittleEndian.U64(p + 8);
            s.VAddr = LittleEndian.U64(p + 16);
            s.PAddr = LittleEndian.U64(p + 24);
            s.FileSize = LittleEndian.U64(p + 32);
            s.MemSize = LittleEndian.U64(p + 40);
            s.Align = LittleEndian.U64(p + 48);
        }
        else
        {
            s.Offset = LittleEndian.U32(p + 4);
            s.VAddr = LittleEndian.U32(p + 8);
            s.PAddr = LittleEndian.U32(p + 12);
            s.FileSize = LittleEndian.U32(p + 16);
            s.MemSize = LittleEndian.U32(p + 20);
            s.Flags = LittleEndian.U32(p + 24);
            s.Align = LittleEndian.U32(p + 28);
        }
        return s;
    }

    /// <summary>Section header <paramref name="i"/> (below <see cref="ShNum"/>).</summary>
    public ElfSection Section(uint i)
    {
        byte* p = Data + ShOff + (ulong)i * ShEntSize;
        var s = new ElfSection { Type = LittleEndian.U32(p + 4) };
        s.Offset = Is64 ? LittleEndian.U64(p + 24) : LittleEndian.U32(p + 16);
        s.Size = Is64 ? LittleEndian.U64(p + 32) : LittleEndian.U32(p + 20);
        return s;
    }

    /// <summary>True when [offset, offset + size) lies inside the image; no sum can overflow.</summary>
    public bool Contains(ulong offset, ulong size) => offset <= Length && size <= Length - offset;

    static bool MagicMatches(byte* data, ulong length)
    {
        ReadOnlySpan<byte> magic = "\u007fELF"u8;
        for (int i = 0; i < magic.Length; i++)
            if ((ulong)i < length && data[i] != magic[i]) return false;
        return true;
    }

    void ReadFileHeader()
    {
        if (Is64)
        {
            Entry = LittleEndian.U64(Data + ElfFormat.EEntry);
            PhOff = LittleEndian.U64(Data + ElfFormat.E64PhOff);
            ShOff = LittleEndian.U64(Data + ElfFormat.E64ShOff);
            PhEntSize = LittleEndian.U16(Data + ElfFormat.E64PhEntSize);
            PhNum = LittleEndian.U16(Data + ElfFormat.E64PhNum);
            ShEntSize = LittleEndian.U16(Data + ElfFormat.E64ShEntSize);
            ShNum = LittleEndian.U16(Data + ElfFormat.E64ShNum);
        }
        else
        {
            Entry = LittleEndian.U32(Data + ElfFormat.EEntry);
            PhOff = LittleEndian.U32(Data + ElfFormat.E32PhOff);
            ShOff = LittleEndian.U32(Data + ElfFormat.E32ShOff);
            PhEntSize = LittleEndian.U16(Data + ElfFormat.E32PhEntSize);
            PhNum = LittleEndian.U16(Data + ElfFormat.E32PhNum);
            ShEntSize = LittleEndian.U16(Data + ElfFormat.E32ShEntSize);
            ShNum = LittleEndian.U16(Data + ElfFormat.E32ShNum);
        }
    }

    // Entries may be larger than the class's struct (the gABI allows it) but never smaller.
    LoadRefusal CheckTable(ulong offset, uint entSize, uint count, int minEntSize, LoadError small, LoadError truncated)
    {
        if (count == 0) return LoadRefusal.Ok;
        if (entSize < (uint)minEntSize) return new LoadRefusal(small);
        if (!Contains(offset, (ulong)entSize * count)) return new LoadRefusal(truncated);
        return LoadRefusal.Ok;
    }

    LoadRefusal CheckSegments()
    {
        uint* loadable = stackalloc uint[MaxLoadSegments];
        LoadStart = ulong.MaxValue;
        LoadEnd = 0;
        for (uint i = 0; i < PhNum; i++)
        {
            ElfSegment s = Segment(i);
            if (s.Type == ElfFormat.PtNote && s.Offset != 0 && !Contains(s.Offset, s.FileSize))
                return new LoadRefusal(LoadError.NoteOutsideFile, (int)i);
            if (!s.IsLoadable) continue;
            if (s.FileSize > s.MemSize) return new LoadRefusal(LoadError.FileSizeOverMemSize, (int)i);
            if (!Contains(s.Offset, s.FileSize)) return new LoadRefusal(LoadError.SegmentOutsideFile, (int)i);
            if (s.MemSize == 0) continue;
            if (s.PAddr + s.MemSize < s.PAddr) return new LoadRefusal(LoadError.SegmentWraps, (int)i);
            if (LoadableCount == MaxLoadSegments) return new LoadRefusal(LoadError.TooManySegments, (int)i);
            for (int k = 0; k < LoadableCount; k++)
            {
                ElfSegment o = Segment(loadable[k]);
                if (s.PAddr < o.PAddr + o.MemSize && o.PAddr < s.PAddr + s.MemSize)
                    return new LoadRefusal(LoadError.SegmentsOverlap, (int)i, (int)loadable[k]);
            }
            loadable[LoadableCount++] = i;
            if (s.PAddr < LoadStart) LoadStart = s.PAddr;
            if (s.PAddr + s.MemSize > LoadEnd) LoadEnd = s.PAddr + s.MemSize;
        }
        if (LoadableCount == 0)
        {
            LoadStart = 0;
            return new LoadRefusal(LoadError.NoLoadableSegments);
        }
        return LoadRefusal.Ok;
    }

    // Like libelf: PT_NOTE segments first (skipping those with p_offset 0, which some binutils
    // emit), then SHT_NOTE sections only when the segments held no Xen note.
    LoadRefusal ReadNotes()
    {
        uint total = 0;
        XenNotes notes = default;
        for (uint i = 0; i < PhNum; i++)
        {
            ElfSegment s = Segment(i);
            if (s.Type != ElfFormat.PtNote || s.Offset == 0) continue;
            LoadRefusal r = XenNoteReader.Walk(Data, s.Offset, s.FileSize, ref notes, ref total);
            if (r.Refused) return r;
        }
        bool useSections = notes.Count == 0;
        for (uint i = 1; useSections && i < ShNum; i++)
        {
            ElfSection s = Section(i);
            if (s.Type != ElfFormat.ShtNote) continue;
            if (!Contains(s.Offset, s.Size)) return new LoadRefusal(LoadError.NoteOutsideFile);
            LoadRefusal r = XenNoteReader.Walk(Data, s.Offset, s.Size, ref notes, ref total);
            if (r.Refused) return r;
        }
        Notes = notes;
        return LoadRefusal.Ok;
    }
}

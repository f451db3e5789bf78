namespace XenLite.Hv.Common.Loader;

/// <summary>
/// Walks a note area (a PT_NOTE segment or SHT_NOTE section) and records the "Xen" notes.
/// Every note's sizes must stay inside the area, whoever owns it; only the last note may
/// omit its descriptor padding.
/// </summary>
public static unsafe class XenNoteReader
{
    /// <summary>libelf's ELF_MAX_TOTAL_NOTE_COUNT: a bound on the work one image can cause.</summary>
    public const uint MaxNotes = 65536;

    /// <param name="offset">Start of the area in the image; the caller has checked the area lies inside it.</param>
    public static LoadRefusal Walk(byte* image, ulong offset, ulong size, ref XenNotes notes, ref uint total)
    {
        ulong pos = offset, end = offset + size;
        while (pos < end)
        {
            if (total >= MaxNotes) return new LoadRefusal(LoadError.TooManyNotes);
            total++;
            ulong left = end - pos;
            if (left < ElfFormat.NoteHeaderSize) return new LoadRefusal(LoadError.MalformedNote);
            byte* h = image + pos;
            uint nameSize = LittleEndian.U32(h);
            uint descSize = LittleEndian.U32(h + 4);
            uint type = LittleEndian.U32(h + 8);
            ulong descAt = ElfFormat.NoteHeaderSize + Align4(nameSize);
            if (descAt > left || descSize > left - descAt) return new LoadRefusal(LoadError.MalformedNote);
            if (IsXen(h + ElfFormat.NoteHeaderSize, nameSize))
            {
                LoadRefusal r = Record(image, pos + descAt, descSize, type, ref notes);
                if (r.Refused) return r;
                notes.Count++;
            }
            ulong step = descAt + Align4(descSize);
            pos += step < left ? step : left;
        }
        return LoadRefusal.Ok;
    }

    static ulong Align4(uint n) => ((ulong)n + 3) & ~3UL;

    static bool IsXen(byte* name, uint size) =>
        size == 4 && name[0] == (byte)'X' && name[1] == (byte)'e' && name[2] == (byte)'n' && name[3] == 0;

    static LoadRefusal Record(byte* image, ulong descAt, uint descSize, uint type, ref XenNotes n)
    {
        byte* desc = image + descAt;
        switch (XenElfNote.KindOf(type))
        {
            case XenElfNote.Kind.Unknown:
                return LoadRefusal.Ok;
            case XenElfNote.Kind.Numeric:
                if (type == XenElfNote.SupportedFeatures)
                {
                    // A bitmap array of 32-bit submaps; only submap 0 exists.
                    if (descSize >= 4 && descSize % 4 == 0) n.FeaturesSupported |= LittleEndian.U32(desc);
                    break;
                }
                if (descSize != 1 && descSize != 2 && descSize != 4 && descSize != 8)
                    return new LoadRefusal(LoadError.BadNumericNote, (int)type);
                RecordNumeric(ref n, type, LittleEndian.Sized(desc, descSize));
                break;
            case XenElfNote.Kind.String:
                uint len = 0;
                while (len < descSize && desc[len] != 0) len++;
                if (len == descSize) return new LoadRefusal(LoadError.UnterminatedStringNote, (int)type);
                var s = new ImageString { Offset = descAt, Length = len };
                if (type == XenElfNote.Features &&
                    !XenFeatureString.Parse(desc, len, ref n.FeaturesSupported, ref n.FeaturesRequired))
                    return new LoadRefusal(LoadError.UnknownRequiredFeature, (int)type);
                RecordString(ref n, type, s);
                break;
            case XenElfNote.Kind.Name:
                if (type == XenElfNote.Phys32Reloc) RecordReloc(ref n, desc, descSize);
                break;
        }
        n.Present |= 1u << (int)type;
        return LoadRefusal.Ok;
    }

    static void RecordNumeric(ref XenNotes n, uint type, ulong v)
    {
        switch (type)
        {
            case XenElfNote.Entry: n.Entry = v; break;
            case XenElfNote.HypercallPage: n.HypercallPage = v; break;
            case XenElfNote.VirtBase: n.VirtBase = v; break;
            case XenElfNote.PaddrOffset: n.PaddrOffset = v; break;
            case XenElfNote.HvStartLow: n.HvStartLow = v; break;
            case XenElfNote.InitP2m: n.InitP2m = v; break;
            case XenElfNote.SuspendCancel: n.SuspendCancel = v; break;
            case XenElfNote.ModStartPfn: n.ModStartPfn = v; break;
            case XenElfNote.Phys32Entry: n.Phys32Entry = (uint)v; break;
        }
    }

    static void RecordString(ref XenNotes n, uint type, ImageString s)
    {
        switch (type)
        {
            case XenElfNote.XenVersion: n.XenVersion = s; break;
            case XenElfNote.GuestOs: n.GuestOs = s; break;
            case XenElfNote.GuestVersion: n.GuestVersion = s; break;
            case XenElfNote.Loader: n.Loader = s; break;
            case XenElfNote.PaeMode: n.PaeMode = s; break;
            case XenElfNote.Features: n.Features = s; break;
            case XenElfNote.BsdSymtab: n.BsdSymtab = s; break;
        }
    }

    // Up to three 32-bit values; like libelf, a descriptor that is not a whole number of them gives zeros.
    static void RecordReloc(ref XenNotes n, byte* desc, uint size)
    {
        bool whole = size % 4 == 0;
        n.PhysAlign = whole && size >= 4 ? LittleEndian.U32(desc) : 0;
        n.PhysMin = whole && size >= 8 ? LittleEndian.U32(desc + 4) : 0;
        n.PhysMax = whole && size >= 12 ? LittleEndian.U32(desc + 8) : 0;
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace XenLite.Tests.Loader;

/// <summary>
/// Writes small ELF images for the loader tests: ELF32 or ELF64, any machine, PT_LOAD segments
/// with bss, and "Xen" (or other) notes in a PT_NOTE segment or an SHT_NOTE section.
/// Layout: file header, program headers, notes, segment data (16-aligned), section headers.
/// </summary>
public sealed class ElfWriter
{
    public sealed class Segment
    {
        public uint Type = 1; // PT_LOAD
        public uint Flags = 5; // R+X
        public ulong PAddr, VAddr;
        public byte[] Data = Array.Empty<byte>();
        public ulong MemSize;
        public ulong Align = 0x1000;
    }

    public sealed record Note(string Name, uint Type, byte[] Desc);

    public byte Class = 2;
    public ushort Machine = 62;
    public byte DataEncoding = 1;
    public ulong Entry = 0xFFFFFFFF81000000;
    public readonly List<Segment> Segments = new();
    public readonly List<Note> Notes = new();
    /// <summary>Put the notes in an SHT_NOTE section instead of a PT_NOTE segment.</summary>
    public bool NotesInSection;

    public bool Is64 => Class == 2;
    public int EhdrSize => Is64 ? 64 : 52;
    public int PhdrSize => Is64 ? 56 : 32;
    public int ShdrSize => Is64 ? 64 : 40;
    /// <summary>Program header index of the PT_NOTE segment (after the loadable ones), or -1.</summary>
    public int NotePhdrIndex => Notes.Count > 0 && !NotesInSection ? Segments.Count : -1;
    public int PhNum => Segments.Count + (NotePhdrIndex >= 0 ? 1 : 0);
    /// <summary>File offset of the note area (valid after Build).</summary>
    public int NotesOffset { get; private set; }
    public int[] SegmentOffsets { get; private set; }

    public const uint PhysBase = 0x100000;
    public const uint TextSize = 0x1800, DataFileSize = 0x100, DataMemSize = 0x3000;
    public const uint DataBase = PhysBase + 0x2000;
    public const uint PhysEntry = PhysBase + 0x40;

    /// <summary>A PVH kernel: text at 1 MiB, data with bss, a Xen PHYS32_ENTRY note.</summary>
    public static ElfWriter Pvh(byte cls = 2, ushort machine = 62)
    {
        var w = new ElfWriter { Class = cls, Machine = machine };
        w.Segments.Add(new Segment { PAddr = PhysBase, VAddr = 0xFFFFFFFF81000000, Data = Pattern(TextSize, 1), MemSize = TextSize });
        w.Segments.Add(new Segment { Flags = 6, PAddr = DataBase, VAddr = 0xFFFFFFFF81002000, Data = Pattern(DataFileSize, 7), MemSize = DataMemSize });
        w.Notes.Add(XenU32(18, PhysEntry));
        return w;
    }

    public static byte[] Pattern(uint length, int seed)
    {
        var b = new byte[length];
        for (int i = 0; i < b.Length; i++) b[i] = (byte)(i * 31 + seed | 1);
        return b;
    }

    public static Note XenU32(uint type, uint value) => new("Xen", type, BitConverter.GetBytes(value));
    public static Note XenU64(uint type, ulong value) => new("Xen", type, BitConverter.GetBytes(value));
    public static Note XenString(uint type, string value) => new("Xen", type, Encoding.ASCII.GetBytes(value + "\0"));

    public byte[] Build()
    {
        var notes = EncodeNotes();
        int phoff = EhdrSize;
        int notesOff = phoff + PhNum * PhdrSize;
        NotesOffset = notesOff;
        int pos = Align(notesOff + notes.Length, 16);
        SegmentOffsets = new int[Segments.Count];
        for (int i = 0; i < Segments.Count; i++)
        {
            SegmentOffsets[i] = pos;
            pos = Align(pos + Segments[i].Data.Length, 16);
        }
        int shoff = NotesInSection && notes.Length > 0 ? pos : 0;
        int shnum = shoff != 0 ? 2 : 0;
        var f = new byte[pos + shnum * ShdrSize];

        f[0] = 0x7F; f[1] = (byte)'E'; f[2] = (byte)'L'; f[3] = (byte)'F';
        f[4] = Class; f[5] = DataEncoding; f[6] = 1;
        U16(f, 16, 2); U16(f, 18, Machine); U32(f, 20, 1);
        if (Is64)
        {
            U64(f, 24, Entry); U64(f, 32, (ulong)phoff); U64(f, 40, (ulong)shoff);
            U16(f, 52, 64); U16(f, 54, (ushort)PhdrSize); U16(f, 56, (ushort)PhNum);
            U16(f, 58, (ushort)ShdrSize); U16(f, 60, (ushort)shnum);
        }
        else
        {
            U32(f, 24, (uint)Entry); U32(f, 28, (uint)phoff); U32(f, 32, (uint)shoff);
            U16(f, 40, 52); U16(f, 42, (ushort)PhdrSize); U16(f, 44, (ushort)PhNum);
            U16(f, 46, (ushort)ShdrSize); U16(f, 48, (ushort)shnum);
        }
        for (int i = 0; i < Segments.Count; i++)
        {
            var s = Segments[i];
            WritePhdr(f, phoff + i * PhdrSize, s.Type, s.Flags, (ulong)SegmentOffsets[i], s.VAddr, s.PAddr, (ulong)s.Data.Length, s.MemSize, s.Align);
            s.Data.CopyTo(f, SegmentOffsets[i]);
        }
        if (NotePhdrIndex >= 0)
            WritePhdr(f, phoff + NotePhdrIndex * PhdrSize, 4, 4, (ulong)notesOff, 0, 0, (ulong)notes.Length, (ulong)notes.Length, 4);
        notes.CopyTo(f, notesOff);
        if (shnum != 0) WriteNoteShdr(f, shoff + ShdrSize, (ulong)notesOff, (ulong)notes.Length);
        return f;
    }

    byte[] EncodeNotes()
    {
        var ms = new MemoryStream();
        foreach (var n in Notes)
        {
            var name = Encoding.ASCII.GetBytes(n.Name + "\0");
            var h = new byte[12];
            U32(h, 0, (uint)name.Length); U32(h, 4, (uint)n.Desc.Length); U32(h, 8, n.Type);
            ms.Write(h);
            ms.Write(name); ms.Write(new byte[Align(name.Length, 4) - name.Length]);
            ms.Write(n.Desc); ms.Write(new byte[Align(n.Desc.Length, 4) - n.Desc.Length]);
        }
        return ms.ToArray();
    }

    /// <summary>Writes one program header (class-aware) at <paramref name="at"/>.</summary>
    public void WritePhdr(byte[] f, int at, uint type, uint flags, ulong offset, ulong vaddr, ulong paddr, ulong filesz, ulong memsz, ulong align)
    {
        U32(f, at, type);
        if (Is64)
        {
            U32(f, at + 4, flags); U64(f, at + 8, offset); U64(f, at + 16, vaddr); U64(f, at + 24, paddr);
            U64(f, at + 32, filesz); U64(f, at + 40, memsz); U64(f, at + 48, align);
        }
        else
        {
            U32(f, at + 4, (uint)offset); U32(f, at + 8, (uint)vaddr); U32(f, at + 12, (uint)paddr);
            U32(f, at + 16, (uint)filesz); U32(f, at + 20, (uint)memsz); U32(f, at + 24, flags); U32(f, at + 28, (uint)align);
        }
    }

    void WriteNoteShdr(byte[] f, int at, ulong offset, ulong size)
    {
        U32(f, at + 4, 7);
        if (Is64) { U64(f, at + 24, offset); U64(f, at + 32, size); U64(f, at + 48, 4); }
        else { U32(f, at + 16, (uint)offset); U32(f, at + 20, (uint)size); U32(f, at + 32, 4); }
    }

    /// <summary>Offset of a program header field (p_offset, p_paddr, p_filesz, p_memsz) and its width.</summary>
    public (int At, int Width) PhdrField(int index, string field)
    {
        int b = EhdrSize + index * PhdrSize;
        return (field, Is64) switch
        {
            ("offset", true) => (b + 8, 8), ("paddr", true) => (b + 24, 8), ("filesz", true) => (b + 32, 8), ("memsz", true) => (b + 40, 8),
            ("flags", true) => (b + 4, 4),
            ("offset", false) => (b + 4, 4), ("paddr", false) => (b + 12, 4), ("filesz", false) => (b + 16, 4), ("memsz", false) => (b + 20, 4),
            ("flags", false) => (b + 24, 4),
            _ => throw new ArgumentException(field),
        };
    }

    public void SetPhdrField(byte[] f, int index, string field, ulong value)
    {
        var (at, width) = PhdrField(index, field);
        if (width == 8) U64(f, at, value); else U32(f, at, (uint)value);
    }

    public int PhNumOffset => Is64 ? 56 : 44;
    public int PhEntSizeOffset => Is64 ? 54 : 42;
    public int PhOffOffset => Is64 ? 32 : 28;

    static int Align(int v, int a) => (v + a - 1) / a * a;
    public static void U16(byte[] f, int at, ushort v) => BitConverter.TryWriteBytes(f.AsSpan(at), v);
    public static void U32(byte[] f, int at, uint v) => BitConverter.TryWriteBytes(f.AsSpan(at), v);
    public static void U64(byte[] f, int at, ulong v) => BitConverter.TryWriteBytes(f.AsSpan(at), v);
}

using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using XenLite.Hv.Common.Loader;
using static XenLite.Tests.Loader.ElfWriter;

namespace XenLite.Tests.Loader;

/// <summary>Every refusal path: the right reason, and not one byte of the domain's RAM changed.</summary>
[Category("loader")]
public class RefusalTests
{
    public sealed record Case(string Name, Func<byte[]> Image, LoadError Expected, int Index = -1, int Other = -1)
    {
        public override string ToString() => Name;
    }

    static byte[] Edit(ElfWriter w, Action<ElfWriter, byte[]> edit)
    {
        var f = w.Build();
        edit(w, f);
        return f;
    }

    static byte[] Edit(Action<ElfWriter, byte[]> edit, byte cls = 2) => Edit(Pvh(cls), edit);

    static byte[] With(Action<ElfWriter> change, byte cls = 2)
    {
        var w = Pvh(cls);
        change(w);
        return w.Build();
    }

    static IEnumerable<Case> Cases()
    {
        yield return new("zero-length file", () => Array.Empty<byte>(), LoadError.EmptyImage);
        yield return new("bad magic", () => Edit((w, f) => f[1] = (byte)'X'), LoadError.BadMagic);
        yield return new("text file", () => "hello world, not an ELF"u8.ToArray(), LoadError.BadMagic);
        yield return new("three bytes of magic", () => new byte[] { 0x7F, (byte)'E', (byte)'L' }, LoadError.TruncatedHeader);
        yield return new("truncated ident", () => Pvh().Build()[..10], LoadError.TruncatedHeader);
        yield return new("truncated ELF64 header", () => Pvh().Build()[..60], LoadError.TruncatedHeader);
        yield return new("truncated ELF32 header", () => Pvh(1).Build()[..51], LoadError.TruncatedHeader);
        yield return new("class 0", () => Edit((w, f) => f[4] = 0), LoadError.BadClass);
        yield return new("class 3", () => Edit((w, f) => f[4] = 3), LoadError.BadClass);
        yield return new("big-endian", () => Edit((w, f) => f[5] = 2), LoadError.NotLittleEndian);
        yield return new("no data encoding", () => Edit((w, f) => f[5] = 0), LoadError.NotLittleEndian);
        yield return new("ident version 0", () => Edit((w, f) => f[6] = 0), LoadError.BadVersion);
        yield return new("e_version 2", () => Edit((w, f) => U32(f, 20, 2)), LoadError.BadVersion);
        yield return new("EM_ARM", () => Edit((w, f) => U16(f, 18, 40)), LoadError.WrongMachine);
        yield return new("EM_AARCH64 on x86", () => Pvh(2, 183).Build(), LoadError.WrongMachine);
        yield return new("ELF64 with EM_386", () => Pvh(2, 3).Build(), LoadError.WrongMachine);
        yield return new("program header entry too small", () => Edit((w, f) => U16(f, w.PhEntSizeOffset, 16)), LoadError.BadPhEntSize);
        yield return new("phoff beyond the file", () => Edit((w, f) => U64(f, w.PhOffOffset, (ulong)f.Length)), LoadError.TruncatedPhdrs);
        yield return new("phoff near 2^64 (sum overflows)", () => Edit((w, f) => U64(f, w.PhOffOffset, ulong.MaxValue - 8)), LoadError.TruncatedPhdrs);
        yield return new("ELF32 phoff near 2^32", () => Edit((w, f) => U32(f, w.PhOffOffset, uint.MaxValue - 8), 1), LoadError.TruncatedPhdrs);
        yield return new("phnum 0xffff", () => Edit((w, f) => U16(f, w.PhNumOffset, 0xFFFF)), LoadError.TruncatedPhdrs);
        yield return new("file ends inside the program headers", () => Pvh().Build()[..(64 + 56 + 20)], LoadError.TruncatedPhdrs);
        yield return new("phnum 0", () => Edit((w, f) => U16(f, w.PhNumOffset, 0)), LoadError.NoLoadableSegments);
        yield return new("section header entry too small", () => Edit(SectionNotes(), (w, f) => U16(f, 58, 8)), LoadError.BadShEntSize);
        yield return new("shnum beyond the file", () => Edit(SectionNotes(), (w, f) => U16(f, 60, 0x4000)), LoadError.TruncatedShdrs);
        yield return new("shoff near 2^64", () => Edit(SectionNotes(), (w, f) => U64(f, 40, ulong.MaxValue - 1)), LoadError.TruncatedShdrs);
        yield return new("segment offset beyond the file", () => Edit((w, f) => w.SetPhdrField(f, 0, "offset", (ulong)f.Length + 1)), LoadError.SegmentOutsideFile, 0);
        yield return new("segment filesz runs past the end", () => Edit((w, f) => { w.SetPhdrField(f, 1, "filesz", 0x2000); }), LoadError.SegmentOutsideFile, 1);
        yield return new("segment offset + filesz overflows", () => Edit((w, f) => w.SetPhdrField(f, 1, "offset", ulong.MaxValue - 0x10)), LoadError.SegmentOutsideFile, 1);
        yield return new("ELF32 segment offset + filesz overflows 32 bits", () => Edit((w, f) => w.SetPhdrField(f, 1, "offset", uint.MaxValue - 0x10), 1), LoadError.SegmentOutsideFile, 1);
        yield return new("filesz > memsz", () => Edit((w, f) => w.SetPhdrField(f, 1, "memsz", DataFileSize - 1)), LoadError.FileSizeOverMemSize, 1);
        yield return new("segment address range wraps", () => With(w => w.Segments[1].PAddr = ulong.MaxValue - 0xFFF), LoadError.SegmentWraps, 1);
        yield return new("overlapping segments", () => With(w => w.Segments[1].PAddr = PhysBase + 0x1000), LoadError.SegmentsOverlap, 1, 0);
        yield return new("ELF32 overlapping segments", () => With(w => w.Segments[0].PAddr = DataBase + DataMemSize - 1, 1), LoadError.SegmentsOverlap, 1, 0);
        yield return new("no loadable segment (flags 0)", () => With(w => { w.Segments[0].Flags = 0; w.Segments[1].Flags = 0; }), LoadError.NoLoadableSegments);
        yield return new("no loadable segment (memsz 0)", () => With(w => { foreach (var s in w.Segments) { s.Data = Array.Empty<byte>(); s.MemSize = 0; } }), LoadError.NoLoadableSegments);
        yield return new("65 loadable segments", () => With(w =>
        {
            w.Segments.Clear();
            for (uint i = 0; i < 65; i++) w.Segments.Add(new Segment { PAddr = PhysBase + i * 0x100, Data = new byte[16], MemSize = 0x100 });
        }), LoadError.TooManySegments, 64);
        yield return new("segment outside RAM", () => With(w => w.Segments[1].PAddr = 0x1000_0000), LoadError.SegmentOutsideRam, 1);
        yield return new("bss runs past the end of RAM", () => With(w => w.Segments[1].MemSize = LoaderRig.DomainPages * 4096 - DataBase + 1), LoadError.SegmentOutsideRam, 1);
        yield return new("no notes at all", () => With(w => w.Notes.Clear()), LoadError.NoPhys32Entry);
        yield return new("Xen notes without PHYS32_ENTRY", () => With(w => { w.Notes.Clear(); w.Notes.Add(XenString(6, "linux")); }), LoadError.NoPhys32Entry);
        yield return new("PHYS32_ENTRY under another name", () => With(w => { w.Notes.Clear(); w.Notes.Add(new Note("Xen2", 18, BitConverter.GetBytes(PhysEntry))); }), LoadError.NoPhys32Entry);
        yield return new("entry outside the loaded image", () => With(w => w.Notes[0] = XenU32(18, 0x180000)), LoadError.EntryOutsideImage);
        yield return new("note namesz huge", () => Edit((w, f) => U32(f, w.NotesOffset, 0xFFFFFFFF)), LoadError.MalformedNote);
        yield return new("note descsz past its segment", () => Edit((w, f) => U32(f, w.NotesOffset + 4, 0x100)), LoadError.MalformedNote);
        yield return new("note segment with a trailing partial header", () => Edit((w, f) => w.SetPhdrField(f, w.NotePhdrIndex, "filesz", 20 + 4)), LoadError.MalformedNote);
        yield return new("note segment outside the file", () => Edit((w, f) => w.SetPhdrField(f, w.NotePhdrIndex, "filesz", (ulong)f.Length)), LoadError.NoteOutsideFile, 2);
        yield return new("note section outside the file", () => Edit(SectionNotes(), (w, f) => U64(f, f.Length - 64 + 32, 0x10_0000)), LoadError.NoteOutsideFile);
        yield return new("PHYS32_ENTRY of 3 bytes", () => With(w => w.Notes[0] = new Note("Xen", 18, new byte[] { 0x40, 0, 0x10 })), LoadError.BadNumericNote, 18);
        yield return new("unterminated GUEST_OS", () => With(w => w.Notes.Add(new Note("Xen", 6, "linux"u8.ToArray()))), LoadError.UnterminatedStringNote, 6);
        yield return new("FEATURES requires an unknown feature", () => With(w => w.Notes.Add(XenString(10, "writable_page_tables|!teleportation"))), LoadError.UnknownRequiredFeature, 10);
        yield return new("SUPPORTED_FEATURES without dom0, loaded as dom0", () => With(w => w.Notes.Add(XenU32(17, 1u << 8))), LoadError.NotDom0Capable);
        yield return new("kernel fills RAM", () => With(w =>
        {
            w.Segments.Clear();
            w.Segments.Add(new Segment { PAddr = 0, Data = new byte[0x100], MemSize = LoaderRig.DomainPages * 4096 });
            w.Notes[0] = XenU32(18, 0x10);
        }), LoadError.NoRoomForStartInfo);
        yield return new("too many notes", () => With(w =>
        {
            w.Notes.Clear();
            for (int i = 0; i < 65537; i++) w.Notes.Add(new Note("", 0, Array.Empty<byte>()));
        }), LoadError.TooManyNotes);
    }

    static ElfWriter SectionNotes()
    {
        var w = Pvh();
        w.NotesInSection = true;
        return w;
    }

    [TestCaseSource(nameof(Cases))]
    public void RefusesAndLeavesRamUntouched(Case c)
    {
        using var m = LoaderRig.Machine(out var d);
        LoaderRig.Fill(m, d, 0xA5);
        var before = LoaderRig.Snapshot(m, d);

        var r = LoaderRig.Build(d, c.Image(), "console=hvc0", out var boot);

        Assert.That(r.Code, Is.EqualTo(c.Expected), r.Message);
        Assert.That((r.Index, r.Other), Is.EqualTo((c.Index, c.Other)));
        Assert.That(boot, Is.EqualTo(default(PvhBoot)));
        Assert.That(LoaderRig.Snapshot(m, d).AsSpan().SequenceEqual(before), Is.True, "domain RAM changed");
    }

    [Test]
    public void HugeCommandLineHasNoRoom()
    {
        using var m = LoaderRig.Machine(out var d);
        var r = LoaderRig.Build(d, Pvh().Build(), new string('x', 3 << 20), out _);
        Assert.That(r.Code, Is.EqualTo(LoadError.NoRoomForStartInfo));
    }
}

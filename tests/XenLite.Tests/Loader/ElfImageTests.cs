using System;
using System.Collections.Generic;
using System.Text;
using NUnit.Framework;
using XenLite.Hv.Common.Loader;
using static XenLite.Tests.Loader.ElfWriter;

namespace XenLite.Tests.Loader;

[Category("loader")]
public unsafe class ElfImageTests
{
    // A parsed image points into its buffer: keep the buffers until the test ends.
    readonly List<GuardedImage> _held = new();

    [TearDown]
    public void ReleaseImages()
    {
        foreach (var g in _held) g.Dispose();
        _held.Clear();
    }

    LoadRefusal Parse(byte[] image, ElfTarget[] targets, out ElfImage elf)
    {
        var g = new GuardedImage(image);
        _held.Add(g);
        return ElfImage.Parse(g.Pointer, g.Length, targets, out elf);
    }

    ElfImage ParseOk(ElfWriter w, ElfTarget[] targets = null)
    {
        var r = Parse(w.Build(), targets ?? ElfTarget.X86, out var elf);
        Assert.That(r.Code, Is.EqualTo(LoadError.None), r.Message);
        return elf;
    }

    static string Str(ElfWriter w, ImageString s) => Encoding.ASCII.GetString(w.Build(), (int)s.Offset, (int)s.Length);

    [TestCase((byte)1, (ushort)3)]
    [TestCase((byte)1, (ushort)62)]
    [TestCase((byte)2, (ushort)62)]
    public void HeaderAndSegmentsReadTheSameInEveryClass(byte cls, ushort machine)
    {
        var w = Pvh(cls, machine);
        var elf = ParseOk(w);
        Assert.That((elf.Class, elf.Machine, elf.PhNum, elf.LoadableCount), Is.EqualTo((cls, machine, 3u, 2)));
        Assert.That((elf.LoadStart, elf.LoadEnd), Is.EqualTo(((ulong)PhysBase, (ulong)(DataBase + DataMemSize))));
        var s1 = elf.Segment(1);
        Assert.That((s1.Type, s1.Flags, s1.PAddr, s1.FileSize, s1.MemSize, s1.Offset),
            Is.EqualTo((1u, 6u, (ulong)DataBase, (ulong)DataFileSize, (ulong)DataMemSize, (ulong)w.SegmentOffsets[1])));
        Assert.That(s1.VAddr, Is.EqualTo(cls == 2 ? 0xFFFFFFFF81002000 : 0x81002000UL));
        Assert.That(elf.Notes.Phys32Entry, Is.EqualTo(PhysEntry));
    }

    [Test]
    public void MachineCheckIsDrivenByTheTargetTable()
    {
        Assert.That(Parse(Pvh(2, 183).Build(), ElfTarget.Arm64, out _).Refused, Is.False);
        Assert.That(Parse(Pvh(2, 62).Build(), ElfTarget.Arm64, out _).Code, Is.EqualTo(LoadError.WrongMachine));
        Assert.That(Parse(Pvh(1, 183).Build(), ElfTarget.Arm64, out _).Code, Is.EqualTo(LoadError.WrongMachine));
        var custom = new[] { new ElfTarget(1, 40) };
        Assert.That(Parse(Pvh(1, 40).Build(), custom, out _).Refused, Is.False);
    }

    [Test]
    public void ReadsTheNotesXenReads()
    {
        var w = Pvh();
        w.Notes.Add(XenString(6, "linux"));
        w.Notes.Add(XenString(7, "2.6"));
        w.Notes.Add(XenString(5, "xen-3.0"));
        w.Notes.Add(XenString(8, "generic"));
        w.Notes.Add(XenString(9, "yes"));
        w.Notes.Add(XenString(11, "yes"));
        w.Notes.Add(XenU64(1, 0xFFFFFFFF81000040));
        w.Notes.Add(XenU64(2, 0xFFFFFFFF81001000));
        w.Notes.Add(XenU64(3, 0xFFFFFFFF80000000));
        w.Notes.Add(XenU64(4, 0));
        w.Notes.Add(XenU64(12, 0xFFFF800000000000));
        w.Notes.Add(XenU64(15, 0x8000000000));
        w.Notes.Add(XenU32(14, 1));
        w.Notes.Add(XenU32(16, 1));
        w.Notes.Add(new Note("Xen", 13, new byte[16]));
        w.Notes.Add(new Note("Xen", 19, new byte[] { 0, 0, 0x20, 0, 0, 0, 0x10, 0, 0xFF, 0xFF, 0xFF, 0x7F }));
        w.Notes.Add(new Note("GNU", 18, BitConverter.GetBytes(0xDEADu)));
        var n = ParseOk(w).Notes;

        Assert.That(n.Count, Is.EqualTo(17u), "the GNU note is not a Xen note");
        Assert.That(n.Phys32Entry, Is.EqualTo(PhysEntry));
        Assert.That((Str(w, n.GuestOs), Str(w, n.GuestVersion), Str(w, n.XenVersion), Str(w, n.Loader), Str(w, n.PaeMode), Str(w, n.BsdSymtab)),
            Is.EqualTo(("linux", "2.6", "xen-3.0", "generic", "yes", "yes")));
        Assert.That((n.Entry, n.HypercallPage, n.VirtBase, n.PaddrOffset, n.HvStartLow, n.InitP2m, n.SuspendCancel, n.ModStartPfn),
            Is.EqualTo((0xFFFFFFFF81000040, 0xFFFFFFFF81001000, 0xFFFFFFFF80000000, 0UL, 0xFFFF800000000000, 0x8000000000UL, 1UL, 1UL)));
        Assert.That(n.Has(XenElfNote.L1MfnValid) && n.Has(XenElfNote.Phys32Reloc) && n.Has(XenElfNote.PaddrOffset), Is.True);
        Assert.That(n.Has(XenElfNote.Features), Is.False);
        Assert.That((n.PhysAlign, n.PhysMin, n.PhysMax), Is.EqualTo((0x200000u, 0x100000u, 0x7FFFFFFFu)));
    }

    [TestCase(1, 0x40UL)]
    [TestCase(2, 0x4000UL)]
    [TestCase(8, 0x100040UL)]
    public void NumericNotesMayBe1_2_4Or8Bytes(int size, ulong expected)
    {
        var w = Pvh();
        var desc = BitConverter.GetBytes(expected)[..size];
        w.Notes.Add(new Note("Xen", 1, desc));
        Assert.That(ParseOk(w).Notes.Entry, Is.EqualTo(expected));
    }

    [Test]
    public void FeaturesNoteSetsSupportedAndRequiredBits()
    {
        var w = Pvh();
        w.Notes.Add(XenString(10, "!writable_page_tables|hvm_callback_vector|unknown_but_optional|!dom0"));
        var n = ParseOk(w).Notes;
        Assert.That(n.FeaturesSupported, Is.EqualTo((1u << 0) | (1u << 8) | (1u << 11)));
        Assert.That(n.FeaturesRequired, Is.EqualTo((1u << 0) | (1u << 11)));
        Assert.That(Str(w, n.Features), Does.StartWith("!writable_page_tables|"));
    }

    [Test]
    public void SupportedFeaturesNoteAddsToTheSupportedBits()
    {
        var w = Pvh();
        w.Notes.Add(XenString(10, "pae_pgdir_above_4gb"));
        w.Notes.Add(XenU32(17, 1u << 11));
        var n = ParseOk(w).Notes;
        Assert.That(n.FeaturesSupported, Is.EqualTo((1u << 4) | (1u << 11)));
        Assert.That(n.Has(XenElfNote.SupportedFeatures), Is.True);
    }

    [Test]
    public void SegmentNotesWinOverSectionNotes()
    {
        var w = Pvh();
        var f = w.Build();
        // Add a section table whose SHT_NOTE section points at a different PHYS32_ENTRY: it must be ignored.
        var sw = Pvh();
        sw.Notes[0] = XenU32(18, PhysBase + 4);
        sw.NotesInSection = true;
        var fs = sw.Build();
        Assert.That(Parse(fs, ElfTarget.X86, out var fromSection).Refused, Is.False);
        Assert.That(fromSection.Notes.Phys32Entry, Is.EqualTo(PhysBase + 4));
        Assert.That(ParseOk(w).Notes.Phys32Entry, Is.EqualTo(PhysEntry));
        Assert.That(f.Length, Is.GreaterThan(0));
    }

    [Test]
    public void NoteSegmentAtOffsetZeroIsSkippedLikeBinutilsBugWorkaround()
    {
        var w = Pvh();
        var f = w.Build();
        w.SetPhdrField(f, w.NotePhdrIndex, "offset", 0);
        Assert.That(Parse(f, ElfTarget.X86, out var elf).Refused, Is.False);
        Assert.That(elf.Notes.Has(XenElfNote.Phys32Entry), Is.False);
    }

    [Test]
    public void NonLoadablePtLoadIsIgnoredLikeLibelf()
    {
        var w = Pvh();
        w.Segments.Add(new Segment { Flags = 0, PAddr = PhysBase, Data = new byte[4], MemSize = 0x10 });
        var elf = ParseOk(w);
        Assert.That(elf.LoadableCount, Is.EqualTo(2), "flags 0 overlaps segment 0 but is not loaded");
    }

    [Test]
    public void LargerProgramHeaderEntriesAreAccepted()
    {
        var w = Pvh();
        var f = w.Build();
        // Re-lay the three 56-byte headers as 64-byte entries at the end of a grown file.
        var grown = new byte[f.Length + 3 * 64];
        f.CopyTo(grown, 0);
        for (int i = 0; i < 3; i++) Array.Copy(f, 64 + i * 56, grown, f.Length + i * 64, 56);
        U64(grown, 32, (ulong)f.Length);
        U16(grown, 54, 64);
        Assert.That(Parse(grown, ElfTarget.X86, out var elf).Refused, Is.False);
        Assert.That(elf.Segment(1).PAddr, Is.EqualTo((ulong)DataBase));
    }
}

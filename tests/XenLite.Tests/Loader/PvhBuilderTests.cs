using System;
using System.Linq;
using System.Text;
using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Loader;
using XenLite.Hv.Common.Memory;
using XenLite.Tests.Harness;
using static XenLite.Tests.Loader.ElfWriter;

namespace XenLite.Tests.Loader;

[Category("loader")]
public unsafe class PvhBuilderTests
{
    static readonly object[] Classes =
    {
        new object[] { (byte)1, (ushort)3 },   // ELF32, EM_386
        new object[] { (byte)1, (ushort)62 },  // ELF32, EM_X86_64
        new object[] { (byte)2, (ushort)62 },  // ELF64, EM_X86_64
    };

    [TestCaseSource(nameof(Classes))]
    public void LoadsSegmentsAtTheirPhysicalAddressesAndZeroesBss(byte cls, ushort machine)
    {
        using var m = LoaderRig.Machine(out var d);
        LoaderRig.Fill(m, d, 0xCC);
        var w = Pvh(cls, machine);
        var r = LoaderRig.Build(d, w.Build(), "console=hvc0", out var boot);

        Assert.That(r.Code, Is.EqualTo(LoadError.None), r.Message);
        Assert.That(m.Peek(d, PhysBase, (int)TextSize), Is.EqualTo(w.Segments[0].Data));
        Assert.That(m.Peek(d, DataBase, (int)DataFileSize), Is.EqualTo(w.Segments[1].Data));
        Assert.That(m.Peek(d, DataBase + DataFileSize, (int)(DataMemSize - DataFileSize)), Is.All.EqualTo(0), "bss");
        // Untouched: below the kernel and the gap between text and data.
        Assert.That(m.Peek(d, PhysBase - 16, 16), Is.All.EqualTo(0xCC));
        Assert.That(m.Peek(d, PhysBase + TextSize, (int)(DataBase - PhysBase - TextSize)), Is.All.EqualTo(0xCC));
        Assert.That(boot.Entry, Is.EqualTo(PhysEntry));
    }

    [Test]
    public void StartInfoSitsOnTheFirstPageAboveTheKernelWithDom0Fields()
    {
        using var m = LoaderRig.Machine(out var d);
        var r = LoaderRig.Build(d, Pvh().Build(), "console=hvc0 earlyprintk=xen", out var boot);

        Assert.That(r.Refused, Is.False, r.Message);
        Assert.That(boot.StartInfoGpa, Is.EqualTo((ulong)(DataBase + DataMemSize)));
        var si = m.PeekStruct<HvmStartInfo>(d, boot.StartInfoGpa);
        Assert.That(si.Magic, Is.EqualTo(0x336ec578u));
        Assert.That(si.Version, Is.EqualTo(1u));
        Assert.That(si.Flags, Is.EqualTo(StartInfoFlags.Privileged | StartInfoFlags.InitDomain));
        Assert.That(si.NrModules, Is.Zero);
        Assert.That(si.ModlistPaddr, Is.Zero);
        Assert.That(si.RsdpPaddr, Is.Zero);
        Assert.That(si.Reserved, Is.Zero);
        Assert.That(LoaderRig.CString(m, d, si.CmdlinePaddr), Is.EqualTo("console=hvc0 earlyprintk=xen"));
        Assert.That(si.CmdlinePaddr, Is.GreaterThanOrEqualTo(boot.StartInfoGpa + 56));
        Assert.That(si.MemmapPaddr % 8, Is.Zero);
        Assert.That(si.MemmapEntries, Is.EqualTo(1u));
        var e = m.PeekStruct<HvmMemmapTableEntry>(d, si.MemmapPaddr);
        Assert.That((e.Addr, e.Size, e.Type, e.Reserved), Is.EqualTo((0UL, LoaderRig.DomainPages * Page.Size, 1u, 0u)));
    }

    [Test]
    public void UnprivilegedDomainGetsNoFlags()
    {
        using var m = LoaderRig.Machine(out _);
        var d1 = m.NewDomain(GuestMode.Hvm32, id: 1, pages: LoaderRig.DomainPages, privileged: false);
        var r = LoaderRig.Build(d1, Pvh().Build(), "", out var boot);
        Assert.That(r.Refused, Is.False, r.Message);
        var si = m.PeekStruct<HvmStartInfo>(d1, boot.StartInfoGpa);
        Assert.That(si.Flags, Is.Zero);
        Assert.That(si.CmdlinePaddr, Is.Not.Zero, "an empty command line is still passed");
        Assert.That(LoaderRig.CString(m, d1, si.CmdlinePaddr), Is.Empty);
    }

    [Test]
    public void NoCommandLineGivesCmdlinePaddrZero()
    {
        using var m = LoaderRig.Machine(out var d);
        var r = LoaderRig.Build(d, Pvh().Build(), null, out var boot);
        Assert.That(r.Refused, Is.False, r.Message);
        Assert.That(m.PeekStruct<HvmStartInfo>(d, boot.StartInfoGpa).CmdlinePaddr, Is.Zero);
    }

    [Test]
    public void MemmapHasOneRamEntryPerRunOfFrames()
    {
        using var m = LoaderRig.Machine(out var d);
        d.P2m.Clear(new Gfn(300));
        d.P2m.Clear(new Gfn(301));
        var r = LoaderRig.Build(d, Pvh().Build(), "x", out var boot);
        Assert.That(r.Refused, Is.False, r.Message);
        var si = m.PeekStruct<HvmStartInfo>(d, boot.StartInfoGpa);
        Assert.That(si.MemmapEntries, Is.EqualTo(2u));
        var a = m.PeekStruct<HvmMemmapTableEntry>(d, si.MemmapPaddr);
        var b = m.PeekStruct<HvmMemmapTableEntry>(d, si.MemmapPaddr + 24);
        Assert.That((a.Addr, a.Size, a.Type), Is.EqualTo((0UL, 300 * Page.Size, 1u)));
        Assert.That((b.Addr, b.Size, b.Type), Is.EqualTo((302 * Page.Size, (LoaderRig.DomainPages - 302) * Page.Size, 1u)));
    }

    [Test]
    public void ModulesArePlacedPageAlignedWithTheirCommandLinesAndListed()
    {
        using var m = LoaderRig.Machine(out var d);
        var initrd = Pattern(5000, 3);
        var second = Pattern(10, 9);
        var cmd = Encoding.ASCII.GetBytes("initrd args");
        fixed (byte* i1 = initrd, i2 = second, c1 = cmd)
        {
            var mods = new[]
            {
                new BootModule { Data = i1, Length = (ulong)initrd.Length, Cmdline = c1, CmdlineLength = (ulong)cmd.Length },
                new BootModule { Data = i2, Length = (ulong)second.Length },
            };
            var r = LoaderRig.Build(d, Pvh().Build(), "root=/dev/ram0", out var boot, mods);
            Assert.That(r.Refused, Is.False, r.Message);

            var si = m.PeekStruct<HvmStartInfo>(d, boot.StartInfoGpa);
            Assert.That(si.NrModules, Is.EqualTo(2u));
            var e0 = m.PeekStruct<HvmModlistEntry>(d, si.ModlistPaddr);
            var e1 = m.PeekStruct<HvmModlistEntry>(d, si.ModlistPaddr + 32);
            Assert.That(e0.Paddr, Is.EqualTo((ulong)(DataBase + DataMemSize)), "first module on the first page above the kernel");
            Assert.That(e0.Size, Is.EqualTo((ulong)initrd.Length));
            Assert.That(m.Peek(d, e0.Paddr, initrd.Length), Is.EqualTo(initrd));
            Assert.That(LoaderRig.CString(m, d, e0.CmdlinePaddr), Is.EqualTo("initrd args"));
            Assert.That(e1.Paddr % Page.Size, Is.Zero);
            Assert.That(e1.Paddr, Is.GreaterThan(e0.CmdlinePaddr));
            Assert.That((e1.Size, e1.CmdlinePaddr, e1.Reserved), Is.EqualTo((10UL, 0UL, 0UL)));
            Assert.That(m.Peek(d, e1.Paddr, 10), Is.EqualTo(second));
            Assert.That(boot.StartInfoGpa % Page.Size, Is.Zero);
            Assert.That(boot.StartInfoGpa, Is.GreaterThanOrEqualTo(e1.Paddr + 10));
            Assert.That(LoaderRig.CString(m, d, si.CmdlinePaddr), Is.EqualTo("root=/dev/ram0"));
        }
    }

    [Test]
    public void BootDataGoesBelowTheKernelWhenNothingIsFreeAboveIt()
    {
        using var m = LoaderRig.Machine(out var d);
        var w = Pvh();
        // The data segment's bss runs to the last byte of RAM.
        w.Segments[1].MemSize = LoaderRig.DomainPages * Page.Size - DataBase;
        var r = LoaderRig.Build(d, w.Build(), "c", out var boot);
        Assert.That(r.Refused, Is.False, r.Message);
        Assert.That(boot.StartInfoGpa, Is.LessThan((ulong)PhysBase));
        Assert.That(boot.StartInfoGpa % Page.Size, Is.Zero);
        Assert.That(m.PeekStruct<HvmStartInfo>(d, boot.StartInfoGpa).Magic, Is.EqualTo(HvmStartInfo.MagicValue));
    }

    [Test]
    public void NotesAreFoundInAnShtNoteSectionWhenThereIsNoNoteSegment()
    {
        using var m = LoaderRig.Machine(out var d);
        var w = Pvh();
        w.NotesInSection = true;
        var r = LoaderRig.Build(d, w.Build(), "", out var boot);
        Assert.That(r.Refused, Is.False, r.Message);
        Assert.That(boot.Entry, Is.EqualTo(PhysEntry));
    }

    [Test]
    public void Dom0CapableKernelLoadsAsDom0()
    {
        using var m = LoaderRig.Machine(out var d);
        var w = Pvh();
        w.Notes.Add(XenU32(17, 1u << 11));
        Assert.That(LoaderRig.Build(d, w.Build(), "", out _).Refused, Is.False);
    }

    [Test]
    public void KernelWithoutDom0FeatureLoadsAsDomU()
    {
        using var m = LoaderRig.Machine(out _);
        var d1 = m.NewDomain(GuestMode.Hvm32, id: 1, pages: LoaderRig.DomainPages, privileged: false);
        var w = Pvh();
        w.Notes.Add(XenU32(17, 1u << 8));
        Assert.That(LoaderRig.Build(d1, w.Build(), "", out _).Refused, Is.False);
    }

    [Test]
    public void DescribeNamesTheSegments()
    {
        using var m = LoaderRig.Machine(out var d);
        var w = Pvh();
        w.Segments[1].PAddr = PhysBase + 0x1000;
        var r = LoaderRig.Build(d, w.Build(), "", out _);
        r.Describe(m.Hv.Console);
        Assert.That(m.Platform.ConsoleText, Is.EqualTo("segment 1 overlaps segment 0"));
        new LoadRefusal(LoadError.SegmentOutsideRam, 2).Describe(m.Hv.Console);
        new LoadRefusal(LoadError.NoPhys32Entry).Describe(m.Hv.Console);
        Assert.That(m.Platform.ConsoleText, Does.EndWith("segment 2: segment lies outside the domain's RAMno XEN_ELFNOTE_PHYS32_ENTRY note"));
    }

    [Test]
    public void EveryRefusalHasItsOwnMessage()
    {
        var codes = Enum.GetValues<LoadError>();
        var messages = codes.Select(LoadRefusal.MessageFor).ToArray();
        Assert.That(messages, Is.Unique);
        Assert.That(messages, Has.None.EqualTo("unknown refusal"));
    }
}

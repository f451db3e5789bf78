using System;
using System.Linq;
using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Plugin.Hypfs;

namespace XenLite.Plugins.Tests.Hypfs;

/// <summary>XEN_HYPFS_OP_read over the tree: directories, leaves, their types and encodings.</summary>
[Category("hypfs_op")]
public class HypfsTreeTests
{
    static uint EntrySize(string name) => HypfsAbi.DirlistNameOffset + (uint)((name.Length + 1 + 3) & ~3);

    [Test]
    public void RootListsBuildinfoAndParams()
    {
        using var m = HypfsRig.Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        Assert.That(m.Read(d0, "/", out var e, out var content), Is.EqualTo(0));
        Assert.That(e.Type, Is.EqualTo(HypfsAbi.TypeDir));
        Assert.That(e.Encoding, Is.EqualTo(HypfsAbi.EncPlain));
        Assert.That(e.Pad, Is.EqualTo(0));
        Assert.That(e.MaxWriteLen, Is.EqualTo(0));
        Assert.That(e.ContentLen, Is.EqualTo(EntrySize("buildinfo") + EntrySize("params")));
        var entries = HypfsRig.ParseDir(content);
        Assert.That(entries.Select(x => x.Name), Is.EqualTo(new[] { "buildinfo", "params" }));
        Assert.That(entries[0].OffNext, Is.EqualTo(EntrySize("buildinfo")));
        Assert.That(entries[1].OffNext, Is.EqualTo(0));
        Assert.That(entries[0].E.Type, Is.EqualTo(HypfsAbi.TypeDir));
    }

    [Test]
    public void DirectoryEntriesAreSortedAndCarryEachChildsSize()
    {
        using var m = HypfsRig.Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        Assert.That(m.Read(d0, "/buildinfo/compileinfo", out _, out var content), Is.EqualTo(0));
        var entries = HypfsRig.ParseDir(content);
        Assert.That(entries.Select(x => x.Name), Is.EqualTo(new[] { "compile_by", "compile_date", "compile_domain", "compiler" }));
        var b = m.Hv.Build;
        Assert.That(entries.Select(x => x.E.ContentLen), Is.EqualTo(new[]
            { b.CompileBy.Length + 1, b.CompileDate.Length + 1, b.CompileDomain.Length + 1, b.Compiler.Length + 1 }.Select(n => (uint)n)));
        Assert.That(entries.All(x => x.E.Type == HypfsAbi.TypeString && x.E.MaxWriteLen == 0), Is.True);

        Assert.That(m.Read(d0, "/buildinfo", out _, out content), Is.EqualTo(0));
        Assert.That(HypfsRig.ParseDir(content).Select(x => x.Name), Is.EqualTo(new[] { "changeset", "compileinfo", "version" }));
        Assert.That(m.Read(d0, "/params", out _, out content), Is.EqualTo(0));
        Assert.That(HypfsRig.ParseDir(content).Select(x => x.Name), Is.EqualTo(new[] { "console_timestamps", "conswitch", "guest_loglvl", "loglvl" }));
    }

    [Test]
    public void PaddingAfterANameIsLeftAsTheGuestHadIt()
    {
        using var m = HypfsRig.Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        Assert.That(m.Read(d0, "/", out _, out var content), Is.EqualTo(0));
        // "params\0" is 7 bytes in an 8-byte field: the last byte keeps the buffer's 0xEE.
        int at = (int)EntrySize("buildinfo");
        Assert.That(content[at + (int)HypfsAbi.DirlistNameOffset + 7], Is.EqualTo(0xEE));
    }

    [Test]
    public void VersionLeavesAreNumbersAndStrings()
    {
        using var m = HypfsRig.Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        Assert.That(m.Read(d0, "/buildinfo/version/major", out var e, out var content), Is.EqualTo(0));
        Assert.That(e.Type, Is.EqualTo(HypfsAbi.TypeUint));
        Assert.That(e.ContentLen, Is.EqualTo(4));
        Assert.That(BitConverter.ToUInt32(content), Is.EqualTo(BuildInfo.Major));
        Assert.That(m.Read(d0, "/buildinfo/version/minor", out _, out content), Is.EqualTo(0));
        Assert.That(BitConverter.ToUInt32(content), Is.EqualTo(BuildInfo.Minor));
        Assert.That(m.ReadString(d0, "/buildinfo/version/extra"), Is.EqualTo(m.Hv.Build.ExtraVersion));
        Assert.That(m.ReadString(d0, "/buildinfo/changeset"), Is.EqualTo(m.Hv.Build.Changeset));
        Assert.That(m.ReadString(d0, "/buildinfo/compileinfo/compiler"), Is.EqualTo(m.Hv.Build.Compiler));
    }

    [TestCase("/buildinfo/")]
    [TestCase("/buildinfo/version/")]
    public void TrailingSlashNamesTheDirectory(string path)
    {
        using var m = HypfsRig.Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        Assert.That(m.Read(d0, path, out var e, out _), Is.EqualTo(0));
        Assert.That(e.Type, Is.EqualTo(HypfsAbi.TypeDir));
    }

    [TestCase("/nothing")]
    [TestCase("/buildinfo/changeset/")]
    [TestCase("/buildinfo/changeset/more")]
    [TestCase("/buildinfo/versio")]
    [TestCase("/buildinfo/versions")]
    [TestCase("//")]
    [TestCase("/params/Loglvl")]
    public void UnknownPathIsEnoent(string path)
    {
        using var m = HypfsRig.Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        Assert.That(m.Read(d0, path, out _, out _), Is.EqualTo(-Errno.ENOENT));
    }

    [Test]
    public void ThirtyTwoBitCallerReadsTheSameWay()
    {
        using var m = HypfsRig.Machine();
        var d0 = m.NewDomain(GuestMode.Pv32);
        Assert.That(m.Read(d0, "/buildinfo/version/minor", out var e, out var content), Is.EqualTo(0));
        Assert.That(e.Type, Is.EqualTo(HypfsAbi.TypeUint));
        Assert.That(BitConverter.ToUInt32(content), Is.EqualTo(BuildInfo.Minor));
    }
}

using System.Text;
using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Plugin.Hypfs;

namespace XenLite.Plugins.Tests.Hypfs;

/// <summary>XEN_HYPFS_OP_write_contents: runtime parameters under /params and the read-only rest.</summary>
[Category("hypfs_op")]
public class HypfsParamsTests
{
    [TestCase("/")]
    [TestCase("/buildinfo")]
    [TestCase("/buildinfo/changeset")]
    [TestCase("/buildinfo/version/major")]
    public void ReadOnlyNodesAreEacces(string path)
    {
        using var m = HypfsRig.Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        Assert.That(m.WriteString(d0, path, "x"), Is.EqualTo(-Errno.EACCES));
    }

    [Test]
    public void DefaultsAreXenReleaseValues()
    {
        using var m = HypfsRig.Machine(commandLine: "console=com1");
        var d0 = m.NewDomain(GuestMode.Hvm64);
        Assert.That(m.ReadString(d0, "/params/loglvl"), Is.EqualTo("info/info"));
        Assert.That(m.ReadString(d0, "/params/guest_loglvl"), Is.EqualTo("none/warning"));
        Assert.That(m.ReadString(d0, "/params/console_timestamps"), Is.EqualTo("none"));
        Assert.That(m.ReadString(d0, "/params/conswitch"), Is.EqualTo("a"));
    }

    [Test]
    public void CommandLineSetsTheStartingValues()
    {
        using var m = HypfsRig.Machine(commandLine: "loglvl=all guest_loglvl=info/debug console_timestamps=boot conswitch=xyz");
        var d0 = m.NewDomain(GuestMode.Hvm64);
        Assert.That(m.ReadString(d0, "/params/loglvl"), Is.EqualTo("all/all"));
        Assert.That(m.ReadString(d0, "/params/guest_loglvl"), Is.EqualTo("info/all"));
        Assert.That(m.ReadString(d0, "/params/console_timestamps"), Is.EqualTo("boot"));
        Assert.That(m.ReadString(d0, "/params/conswitch"), Is.EqualTo("xy"), "truncated to its 3-byte variable");
    }

    [Test]
    public void NegatedCustomOptionMeansNo()
    {
        using var m = HypfsRig.Machine(commandLine: "console_timestamps=raw no-console_timestamps");
        var d0 = m.NewDomain(GuestMode.Hvm64);
        Assert.That(m.ReadString(d0, "/params/console_timestamps"), Is.EqualTo("none"));
    }

    [Test]
    public void CustomParamShowsItsBufferSizeAsMaxWriteLen()
    {
        using var m = HypfsRig.Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        Assert.That(m.Read(d0, "/params/loglvl", out var e, out _), Is.EqualTo(0));
        Assert.That(e.Type, Is.EqualTo(HypfsAbi.TypeString));
        Assert.That(e.MaxWriteLen, Is.EqualTo(16));
        Assert.That(m.Read(d0, "/params/console_timestamps", out e, out _), Is.EqualTo(0));
        Assert.That(e.MaxWriteLen, Is.EqualTo(7));
        Assert.That(m.Read(d0, "/params/conswitch", out e, out _), Is.EqualTo(0));
        Assert.That(e.MaxWriteLen, Is.EqualTo(3));
    }

    [TestCase("error", "error/error")]
    [TestCase("error/info", "error/info")]
    [TestCase("info/error", "info/info")]
    [TestCase("debug", "all/all")]
    [TestCase("none/all", "none/all")]
    public void LogLevelWrites(string value, string shown)
    {
        using var m = HypfsRig.Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        Assert.That(m.WriteString(d0, "/params/loglvl", value), Is.EqualTo(0));
        Assert.That(m.ReadString(d0, "/params/loglvl"), Is.EqualTo(shown));
        Assert.That(m.Read(d0, "/params/loglvl", out var e, out _), Is.EqualTo(0));
        Assert.That(e.ContentLen, Is.EqualTo(shown.Length + 1));
    }

    [TestCase("bogus", "warning/warning")]
    [TestCase("error/bogus", "error/warning")]
    [TestCase("infox", "info/info")]
    public void BadLogLevelIsEinvalButWhatParsedStays(string value, string shown)
    {
        using var m = HypfsRig.Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        Assert.That(m.WriteString(d0, "/params/loglvl", value), Is.EqualTo(-Errno.EINVAL));
        Assert.That(m.ReadString(d0, "/params/loglvl"), Is.EqualTo(shown));
    }

    [Test]
    public void CustomWriteLimitIs128BytesNotMaxWriteLen()
    {
        using var m = HypfsRig.Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        // 20 bytes is above max_write_len (16) but within MAX_PARAM_SIZE: the parser decides.
        Assert.That(m.WriteString(d0, "/params/loglvl", "error/" + new string('x', 13)), Is.EqualTo(-Errno.EINVAL));
        Assert.That(m.WriteString(d0, "/params/guest_loglvl", new string('a', 127)), Is.EqualTo(-Errno.EINVAL));
        Assert.That(m.WriteString(d0, "/params/guest_loglvl", new string('a', 128)), Is.EqualTo(-Errno.ENOSPC));
    }

    [Test]
    public void CustomValueNeedsExactlyOneTrailingNul()
    {
        using var m = HypfsRig.Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        Assert.That(m.Write(d0, "/params/loglvl", Encoding.ASCII.GetBytes("error")), Is.EqualTo(-Errno.EDOM));
        Assert.That(m.Write(d0, "/params/loglvl", Encoding.ASCII.GetBytes("err\0or\0")), Is.EqualTo(-Errno.EDOM));
        Assert.That(m.Write(d0, "/params/loglvl", new byte[0]), Is.EqualTo(-Errno.EDOM));
        Assert.That(m.ReadString(d0, "/params/loglvl"), Is.EqualTo("all/all"), "TestMachine boots with loglvl=all");
    }

    [Test]
    public void UnreadableValueIsEfault()
    {
        using var m = HypfsRig.Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        ulong len = m.PutPath(d0, "/params/loglvl");
        Assert.That(m.Op(d0, HypfsAbi.OpWriteContents, HypfsRig.PathGpa, len, 0x10_0000_0000, 5), Is.EqualTo(-Errno.EFAULT));
        len = m.PutPath(d0, "/params/conswitch");
        Assert.That(m.Op(d0, HypfsAbi.OpWriteContents, HypfsRig.PathGpa, len, 0x10_0000_0000, 2), Is.EqualTo(-Errno.EFAULT));
    }

    [Test]
    public void WriteLengthIsTruncatedTo32Bits()
    {
        using var m = HypfsRig.Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        Assert.That(m.Write(d0, "/params/loglvl", Encoding.ASCII.GetBytes("none\0"), length: (1UL << 32) | 5), Is.EqualTo(0));
        Assert.That(m.ReadString(d0, "/params/loglvl"), Is.EqualTo("none/none"));
    }

    [TestCase("date", "date")]
    [TestCase("datems", "datems")]
    [TestCase("boot", "boot")]
    [TestCase("raw", "raw")]
    [TestCase("none", "none")]
    [TestCase("yes", "date")]
    [TestCase("0", "none")]
    [TestCase("", "date")]
    public void ConsoleTimestampsWrites(string value, string shown)
    {
        using var m = HypfsRig.Machine(commandLine: "console_timestamps=raw");
        var d0 = m.NewDomain(GuestMode.Hvm64);
        Assert.That(m.WriteString(d0, "/params/console_timestamps", value), Is.EqualTo(0));
        Assert.That(m.ReadString(d0, "/params/console_timestamps"), Is.EqualTo(shown));
    }

    [Test]
    public void UnknownTimestampModeIsEinvalAndChangesNothing()
    {
        using var m = HypfsRig.Machine(commandLine: "console_timestamps=raw");
        var d0 = m.NewDomain(GuestMode.Hvm64);
        Assert.That(m.WriteString(d0, "/params/console_timestamps", "dates"), Is.EqualTo(-Errno.EINVAL));
        Assert.That(m.ReadString(d0, "/params/console_timestamps"), Is.EqualTo("raw"));
    }

    [Test]
    public void ConswitchTakesAStringUpToItsSize()
    {
        using var m = HypfsRig.Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        Assert.That(m.WriteString(d0, "/params/conswitch", "bx"), Is.EqualTo(0));
        Assert.That(m.ReadString(d0, "/params/conswitch"), Is.EqualTo("bx"));
        Assert.That(m.WriteString(d0, "/params/conswitch", "abc"), Is.EqualTo(-Errno.ENOSPC));
        Assert.That(m.Write(d0, "/params/conswitch", Encoding.ASCII.GetBytes("ab")), Is.EqualTo(-Errno.EINVAL), "no NUL");
        Assert.That(m.Write(d0, "/params/conswitch", Encoding.ASCII.GetBytes("\0b\0")), Is.EqualTo(-Errno.EINVAL), "early NUL");
        Assert.That(m.ReadString(d0, "/params/conswitch"), Is.EqualTo("bx"));
        Assert.That(m.WriteString(d0, "/params/conswitch", ""), Is.EqualTo(0));
        Assert.That(m.ReadString(d0, "/params/conswitch"), Is.EqualTo(""));
    }

    [Test]
    public void EachHypervisorHasItsOwnTree()
    {
        using var a = HypfsRig.Machine();
        using var b = HypfsRig.Machine();
        var da = a.NewDomain(GuestMode.Hvm64);
        var db = b.NewDomain(GuestMode.Hvm64);
        Assert.That(a.WriteString(da, "/params/loglvl", "error"), Is.EqualTo(0));
        Assert.That(b.ReadString(db, "/params/loglvl"), Is.EqualTo("all/all"));
        Assert.That(HypfsState.Of(a.Hv).LogLevel.Lower, Is.EqualTo(1));
    }
}

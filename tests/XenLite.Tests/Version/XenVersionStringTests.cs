using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Tests.Harness;
using static XenLite.Tests.XenVersion.VersionGuest;

namespace XenLite.Tests.XenVersion;

/// <summary>The sub-ops that return a number or a fixed-size string.</summary>
[Category("xen_version")]
public class XenVersionStringTests
{
    const string X86Caps = "xen-3.0-x86_64 xen-3.0-x86_32p hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64 ";
    const string ArmCaps = "xen-3.0-aarch64 xen-3.0-armv7l ";

    [Test]
    public void VersionIsMajorShiftedOverMinorInEveryMode([ValueSource(typeof(VersionGuest), nameof(AllModes))] GuestMode mode)
    {
        using var m = new TestMachine();
        var d = m.NewDomain(mode, id: 1, privileged: false);
        Assert.That(Ver(m, d, XenVer.Version, 0), Is.EqualTo((4L << 16) | 22));
    }

    [Test]
    public void CommandUsesOnlyTheLow32BitsOfItsRegister()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Hvm64);
        long rc = m.Call(d.Vcpus[0], HypercallNumber.XenVersion, 0x1_0000_0000UL | XenVer.Version, 0);
        Assert.That(rc, Is.EqualTo((4L << 16) | 22));
    }

    [Test]
    public void ExtraversionFillsSixteenBytesWithZeroTail([ValueSource(typeof(VersionGuest), nameof(AllModes))] GuestMode mode)
    {
        using var m = new TestMachine();
        var d = m.NewDomain(mode, id: 1, privileged: false);
        Dirty(m, d, 32);
        Assert.That(VerBuf(m, d, XenVer.Extraversion), Is.EqualTo(0));
        Assert.That(m.Peek(d, Buf, 16), Is.EqualTo(Field(".0-xenlite", 16)));
        Assert.That(m.Peek(d, Buf + 16, 1)[0], Is.EqualTo(Junk), "nothing past the field");
    }

    [Test]
    public void LongExtraversionIsTruncatedAndStillTerminated()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Hvm64);
        m.Hv.Build.ExtraVersion = ".0-a-very-long-extraversion";
        Assert.That(VerBuf(m, d, XenVer.Extraversion), Is.EqualTo(0));
        Assert.That(m.Peek(d, Buf, 16), Is.EqualTo(Field(".0-a-very-long-", 16)));
    }

    [Test]
    public void CompileInfoFieldsSitAtTheirOffsetsTruncated()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Hvm32, id: 2, privileged: false);
        m.Hv.Build.Compiler = new string('c', 70);
        m.Hv.Build.CompileBy = "someone-with-a-long-name";
        Dirty(m, d, 160);
        Assert.That(VerBuf(m, d, XenVer.CompileInfo), Is.EqualTo(0));
        Assert.That(m.Peek(d, Buf, 64), Is.EqualTo(Field(new string('c', 63), 64)));
        Assert.That(m.Peek(d, Buf + 64, 16), Is.EqualTo(Field("someone-with-a-", 16)));
        Assert.That(m.Peek(d, Buf + 80, 32), Is.EqualTo(Field("xenlite.dev", 32)));
        Assert.That(m.Peek(d, Buf + 112, 32), Is.EqualTo(Field("2026-11-26", 32)));
        Assert.That(m.Peek(d, Buf + 144, 1)[0], Is.EqualTo(Junk));
    }

    [TestCase(GuestMode.Hvm64, X86Caps)]
    [TestCase(GuestMode.Hvm32, X86Caps)]
    [TestCase(GuestMode.Pv64, X86Caps)]
    [TestCase(GuestMode.Pv32, X86Caps)]
    [TestCase(GuestMode.Arm, ArmCaps)]
    public void CapabilitiesListTheArchitecturesGuestAbis(GuestMode mode, string expected)
    {
        using var m = new TestMachine();
        var d = m.NewDomain(mode, id: 1, privileged: false);
        Dirty(m, d, 1100);
        Assert.That(VerBuf(m, d, XenVer.Capabilities), Is.EqualTo(0));
        Assert.That(m.Peek(d, Buf, 1024), Is.EqualTo(Field(expected, 1024)));
        Assert.That(m.Peek(d, Buf + 1024, 1)[0], Is.EqualTo(Junk));
    }

    [Test]
    public void ChangesetFillsSixtyFourBytes()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Pv64, id: 1, privileged: false);
        Dirty(m, d, 80);
        Assert.That(VerBuf(m, d, XenVer.Changeset), Is.EqualTo(0));
        Assert.That(m.Peek(d, Buf, 64), Is.EqualTo(Field("unavailable", 64)));
        Assert.That(m.Peek(d, Buf + 64, 1)[0], Is.EqualTo(Junk));
    }

    [Test]
    public void CommandlineGivesThePrivilegedDomainTheWholeField([ValueSource(typeof(VersionGuest), nameof(AllModes))] GuestMode mode)
    {
        using var m = new TestMachine();
        var d = m.NewDomain(mode);
        Dirty(m, d, 1030);
        Assert.That(VerBuf(m, d, XenVer.Commandline), Is.EqualTo(0));
        Assert.That(m.Peek(d, Buf, 1024), Is.EqualTo(Field("console=com1 loglvl=all", 1024)));
        Assert.That(m.Peek(d, Buf + 1024, 1)[0], Is.EqualTo(Junk));
    }

    [Test]
    public void CommandlineIsDeniedToOthersAsJustTheDeniedString()
    {
        using var m = new TestMachine();
        m.NewDomain(GuestMode.Hvm64);
        var d = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        Dirty(m, d, 16);
        Assert.That(VerBuf(m, d, XenVer.Commandline), Is.EqualTo(0));
        Assert.That(m.Peek(d, Buf, 9), Is.EqualTo(Field("<denied>", 9)));
        Assert.That(m.Peek(d, Buf + 9, 1)[0], Is.EqualTo(Junk), "only the string and its NUL are written");
    }

    [Test]
    public void LongCommandlineKeepsItsFirst1023Bytes()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Hvm64);
        m.Hv.Build.CommandLine = new string('x', 2000);
        Assert.That(VerBuf(m, d, XenVer.Commandline), Is.EqualTo(0));
        Assert.That(m.Peek(d, Buf, 1024), Is.EqualTo(Field(new string('x', 1023), 1024)));
    }

    [TestCase(XenVer.Extraversion)]
    [TestCase(XenVer.CompileInfo)]
    [TestCase(XenVer.Capabilities)]
    [TestCase(XenVer.Changeset)]
    [TestCase(XenVer.Commandline)]
    public void BadBufferIsEfault(int cmd)
    {
        using var m = new TestMachine();
        foreach (var mode in AllModes)
        {
            var d = m.NewDomain(mode, id: (uint)mode, privileged: true);
            Assert.That(Ver(m, d, cmd, BadAddr(d)), Is.EqualTo(-Errno.EFAULT), mode.ToString());
        }
    }
}

using System;
using System.Linq;
using System.Text;
using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Tests.Harness;
using static XenLite.Tests.XenVersion.VersionGuest;

namespace XenLite.Tests.XenVersion;

/// <summary>build_id and the *2 sub-ops: size requests, ENOBUFS, ENODATA, E2BIG, EFAULT.</summary>
[Category("xen_version")]
public class XenVersionVarBufTests
{
    static readonly byte[] Id = Enumerable.Range(1, 20).Select(i => (byte)(i * 7)).ToArray();

    static void SetLen(TestMachine m, Domain d, uint len, ulong gpa = Buf) => m.PokeStruct(d, gpa, new XenVarbuf { Len = len });

    [Test]
    public void BuildIdSizeRequestWithNullArgument()
    {
        using var m = new TestMachine();
        m.Hv.Build.BuildId = Id;
        var d = m.NewDomain(GuestMode.Hvm64);
        Assert.That(Ver(m, d, XenVer.BuildId, 0), Is.EqualTo(20));
    }

    [TestCase(GuestMode.Hvm64)]
    [TestCase(GuestMode.Hvm32)]
    [TestCase(GuestMode.Pv64)]
    [TestCase(GuestMode.Pv32)]
    [TestCase(GuestMode.Arm)]
    public void BuildIdIsCopiedAfterTheLengthAndItsSizeReturned(GuestMode mode)
    {
        using var m = new TestMachine();
        m.Hv.Build.BuildId = Id;
        var d = m.NewDomain(mode);
        Dirty(m, d, 64);
        SetLen(m, d, 32);
        Assert.That(VerBuf(m, d, XenVer.BuildId), Is.EqualTo(20));
        Assert.That(m.Peek(d, Buf + 4, 20), Is.EqualTo(Id));
        Assert.That(m.Peek(d, Buf + 24, 1)[0], Is.EqualTo(Junk), "no terminator, nothing past the data");
        Assert.That(m.PeekStruct<XenVarbuf>(d, Buf).Len, Is.EqualTo(32u), "len is input only");
    }

    [Test]
    public void BuildIdIntoExactlyFittingBuffer()
    {
        using var m = new TestMachine();
        m.Hv.Build.BuildId = Id;
        var d = m.NewDomain(GuestMode.Hvm64);
        SetLen(m, d, 20);
        Assert.That(VerBuf(m, d, XenVer.BuildId), Is.EqualTo(20));
        Assert.That(m.Peek(d, Buf + 4, 20), Is.EqualTo(Id));
    }

    [Test]
    public void BuildIdIntoTooSmallBufferIsEnobufsAndWritesNothing()
    {
        using var m = new TestMachine();
        m.Hv.Build.BuildId = Id;
        var d = m.NewDomain(GuestMode.Hvm64);
        Dirty(m, d, 32);
        SetLen(m, d, 19);
        Assert.That(VerBuf(m, d, XenVer.BuildId), Is.EqualTo(-Errno.ENOBUFS));
        Assert.That(m.Peek(d, Buf + 4, 20), Is.All.EqualTo(Junk));
    }

    [Test]
    public void NoBuildIdIsEnodataEvenForASizeRequest()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Hvm64);
        Assert.That(Ver(m, d, XenVer.BuildId, 0), Is.EqualTo(-Errno.ENODATA));
        Assert.That(VerBuf(m, d, XenVer.BuildId), Is.EqualTo(-Errno.ENODATA));
    }

    [Test]
    public void BuildIdIsRefusedToUnprivilegedDomainsBeforeAnythingElse()
    {
        using var m = new TestMachine();
        m.NewDomain(GuestMode.Hvm64);
        var d = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        Assert.That(Ver(m, d, XenVer.BuildId, 0), Is.EqualTo(-Errno.EPERM), "no build id: EPERM wins over ENODATA");
        m.Hv.Build.BuildId = Id;
        Assert.That(Ver(m, d, XenVer.BuildId, 0), Is.EqualTo(-Errno.EPERM));
    }

    [Test]
    public void OversizedDataIsE2bigButSixtyFourKiBIsFine()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Hvm64, pages: 32);
        m.Hv.Build.BuildId = new byte[64 * 1024 + 1];
        Assert.That(Ver(m, d, XenVer.BuildId, 0), Is.EqualTo(-Errno.E2BIG));
        Assert.That(VerBuf(m, d, XenVer.BuildId), Is.EqualTo(-Errno.E2BIG));
        m.Hv.Build.BuildId = Enumerable.Repeat((byte)0x5A, 64 * 1024).ToArray();
        SetLen(m, d, 64 * 1024, 0x1000);
        Assert.That(Ver(m, d, XenVer.BuildId, 0x1000), Is.EqualTo(64 * 1024));
        Assert.That(m.Peek(d, 0x1004, 64 * 1024), Is.All.EqualTo((byte)0x5A));
    }

    [Test]
    public void UnreadableHeaderIsEfault([ValueSource(typeof(VersionGuest), nameof(AllModes))] GuestMode mode)
    {
        using var m = new TestMachine();
        m.Hv.Build.BuildId = Id;
        var d = m.NewDomain(mode);
        Assert.That(Ver(m, d, XenVer.BuildId, BadAddr(d)), Is.EqualTo(-Errno.EFAULT));
        Assert.That(Ver(m, d, XenVer.Extraversion2, BadAddr(d)), Is.EqualTo(-Errno.EFAULT));
    }

    [Test]
    public void DataRunningOffGuestMemoryIsEfault()
    {
        using var m = new TestMachine();
        m.Hv.Build.BuildId = Id;
        var d = m.NewDomain(GuestMode.Hvm64, pages: 64);
        const ulong LastWord = 64 * 4096 - 4; // header readable, data beyond RAM
        SetLen(m, d, 100, LastWord);
        Assert.That(Ver(m, d, XenVer.BuildId, LastWord), Is.EqualTo(-Errno.EFAULT));
        Assert.That(Ver(m, d, XenVer.Changeset2, LastWord), Is.EqualTo(-Errno.EFAULT));
    }

    [TestCase(XenVer.Extraversion2, ".0-xenlite")]
    [TestCase(XenVer.Changeset2, "unavailable")]
    [TestCase(XenVer.Commandline2, "console=com1 loglvl=all")]
    public void TextSubOpsReturnTheWholeStringWithoutTerminator(int cmd, string text)
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Pv64);
        Assert.That(Ver(m, d, cmd, 0), Is.EqualTo(text.Length));
        Dirty(m, d, 1100);
        SetLen(m, d, 1000);
        Assert.That(VerBuf(m, d, cmd), Is.EqualTo(text.Length));
        Assert.That(Ascii(m.Peek(d, Buf + 4, text.Length)), Is.EqualTo(text));
        Assert.That(m.Peek(d, Buf + 4 + (ulong)text.Length, 1)[0], Is.EqualTo(Junk));
    }

    [TestCase(GuestMode.Hvm32, "xen-3.0-x86_64 xen-3.0-x86_32p hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64 ")]
    [TestCase(GuestMode.Arm, "xen-3.0-aarch64 xen-3.0-armv7l ")]
    public void Capabilities2(GuestMode mode, string text)
    {
        using var m = new TestMachine();
        var d = m.NewDomain(mode, id: 1, privileged: false);
        Assert.That(Ver(m, d, XenVer.Capabilities2, 0), Is.EqualTo(text.Length));
        SetLen(m, d, 200);
        Assert.That(VerBuf(m, d, XenVer.Capabilities2), Is.EqualTo(text.Length));
        Assert.That(Ascii(m.Peek(d, Buf + 4, text.Length)), Is.EqualTo(text));
    }

    [Test]
    public void Extraversion2IsNotTruncatedLikeExtraversion()
    {
        using var m = new TestMachine();
        m.Hv.Build.ExtraVersion = ".0-a-very-long-extraversion-string";
        var d = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        SetLen(m, d, 64);
        Assert.That(VerBuf(m, d, XenVer.Extraversion2), Is.EqualTo(34));
        Assert.That(Ascii(m.Peek(d, Buf + 4, 34)), Is.EqualTo(".0-a-very-long-extraversion-string"));
    }

    [Test]
    public void TextTooLongForBufferIsEnobufs()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Hvm64);
        SetLen(m, d, 5);
        Assert.That(VerBuf(m, d, XenVer.Changeset2), Is.EqualTo(-Errno.ENOBUFS));
        SetLen(m, d, 0);
        Assert.That(VerBuf(m, d, XenVer.Extraversion2), Is.EqualTo(-Errno.ENOBUFS));
    }

    [Test]
    public void EmptyCommandLineIsZeroBytes()
    {
        using var m = new TestMachine();
        m.Hv.Build.CommandLine = "";
        var d = m.NewDomain(GuestMode.Hvm64);
        Assert.That(Ver(m, d, XenVer.Commandline2, 0), Is.EqualTo(0));
        SetLen(m, d, 0);
        Assert.That(VerBuf(m, d, XenVer.Commandline2), Is.EqualTo(0));
    }

    [Test]
    public void Commandline2IsTheSavedLineOfAtMost1023Bytes()
    {
        using var m = new TestMachine();
        m.Hv.Build.CommandLine = new string('y', 3000);
        var d = m.NewDomain(GuestMode.Hvm64);
        Assert.That(Ver(m, d, XenVer.Commandline2, 0), Is.EqualTo(1023));
    }

    [Test]
    public void Commandline2IsPrivilegedButTheOtherTextSubOpsAreNot()
    {
        using var m = new TestMachine();
        m.NewDomain(GuestMode.Hvm64);
        var d = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        Assert.That(Ver(m, d, XenVer.Commandline2, 0), Is.EqualTo(-Errno.EPERM));
        Assert.That(Ver(m, d, XenVer.Extraversion2, 0), Is.EqualTo(10));
        Assert.That(Ver(m, d, XenVer.Changeset2, 0), Is.EqualTo(11));
        Assert.That(Ver(m, d, XenVer.Capabilities2, 0), Is.GreaterThan(0));
    }
}

using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Tests.Harness;
using static XenLite.Tests.XenVersion.VersionGuest;

namespace XenLite.Tests.XenVersion;

/// <summary>What a refusing XSM policy changes, unknown sub-ops, and routing.</summary>
[Category("xen_version")]
public class XenVersionXsmTests
{
    static TestMachine Denying() => new(xsm: XsmOverride.Create("XenVersion", -Errno.EACCES));

    [Test]
    public void DeniedStringsReadDenied()
    {
        using var m = Denying();
        var d = m.NewDomain(GuestMode.Hvm64);
        Dirty(m, d, 200);
        Assert.That(VerBuf(m, d, XenVer.Extraversion), Is.EqualTo(0));
        Assert.That(m.Peek(d, Buf, 16), Is.EqualTo(Field("<denied>", 16)));
        Assert.That(VerBuf(m, d, XenVer.Changeset), Is.EqualTo(0));
        Assert.That(m.Peek(d, Buf, 64), Is.EqualTo(Field("<denied>", 64)));
        Assert.That(VerBuf(m, d, XenVer.CompileInfo), Is.EqualTo(0));
        Assert.That(m.Peek(d, Buf, 64), Is.EqualTo(Field("<denied>", 64)));
        Assert.That(m.Peek(d, Buf + 64, 16), Is.EqualTo(Field("<denied>", 16)));
        Assert.That(m.Peek(d, Buf + 80, 32), Is.EqualTo(Field("<denied>", 32)));
        Assert.That(m.Peek(d, Buf + 112, 32), Is.EqualTo(Field("<denied>", 32)));
    }

    [Test]
    public void DeniedCapabilitiesAreAllZero()
    {
        using var m = Denying();
        var d = m.NewDomain(GuestMode.Arm);
        Dirty(m, d, 1024);
        Assert.That(VerBuf(m, d, XenVer.Capabilities), Is.EqualTo(0));
        Assert.That(m.Peek(d, Buf, 1024), Is.All.EqualTo((byte)0));
    }

    [Test]
    public void DeniedPagesizeIsZeroWhateverTheArgument()
    {
        using var m = Denying();
        var d = m.NewDomain(GuestMode.Hvm64);
        Assert.That(Ver(m, d, XenVer.Pagesize, 0), Is.EqualTo(0));
        Assert.That(VerBuf(m, d, XenVer.Pagesize), Is.EqualTo(0));
    }

    [Test]
    public void DeniedGuestHandleIsZeros()
    {
        using var m = Denying();
        var d = m.NewDomain(GuestMode.Pv64);
        for (int i = 0; i < 16; i++) d.Handle[i] = 0xEE;
        Dirty(m, d, 16);
        Assert.That(VerBuf(m, d, XenVer.GuestHandle), Is.EqualTo(0));
        Assert.That(m.Peek(d, Buf, 16), Is.All.EqualTo((byte)0));
    }

    [Test]
    public void DeniedCommandlineIsTheDeniedStringEvenForDom0()
    {
        using var m = Denying();
        var d = m.NewDomain(GuestMode.Hvm64);
        Dirty(m, d, 16);
        Assert.That(VerBuf(m, d, XenVer.Commandline), Is.EqualTo(0));
        Assert.That(m.Peek(d, Buf, 10), Is.EqualTo(new byte[] { (byte)'<', (byte)'d', (byte)'e', (byte)'n', (byte)'i', (byte)'e', (byte)'d', (byte)'>', 0, Junk }));
    }

    [TestCase(XenVer.BuildId)]
    [TestCase(XenVer.Extraversion2)]
    [TestCase(XenVer.Capabilities2)]
    [TestCase(XenVer.Changeset2)]
    [TestCase(XenVer.Commandline2)]
    public void DeniedVarBufSubOpsAreEperm(int cmd)
    {
        using var m = Denying();
        m.Hv.Build.BuildId = new byte[] { 1, 2, 3 };
        var d = m.NewDomain(GuestMode.Hvm64);
        Assert.That(Ver(m, d, cmd, 0), Is.EqualTo(-Errno.EPERM));
    }

    [Test]
    public void VersionPlatformParametersAndFeaturesIgnoreTheDecision()
    {
        using var m = Denying();
        var d = m.NewDomain(GuestMode.Pv64);
        Assert.That(Ver(m, d, XenVer.Version, 0), Is.EqualTo((4L << 16) | 22));
        Assert.That(VerBuf(m, d, XenVer.PlatformParameters), Is.EqualTo(0));
        Assert.That(m.PeekStruct<XenPlatformParameters>(d, Buf).VirtStart, Is.EqualTo(0xFFFF_8000_0000_0000UL));
        m.PokeStruct(d, Buf, new XenFeatureInfo());
        Assert.That(VerBuf(m, d, XenVer.GetFeatures), Is.EqualTo(0));
        Assert.That(m.PeekStruct<XenFeatureInfo>(d, Buf).Submap, Is.Not.EqualTo(0u));
    }

    [TestCase(15)]
    [TestCase(16)]
    [TestCase(int.MaxValue)]
    [TestCase(-1)]
    public void UnknownSubOpIsEnosysForEveryone(int cmd)
    {
        using var m = new TestMachine();
        var dom0 = m.NewDomain(GuestMode.Hvm64);
        var domU = m.NewDomain(GuestMode.Hvm32, id: 1, privileged: false);
        Assert.That(VerBuf(m, dom0, cmd), Is.EqualTo(-Errno.ENOSYS));
        Assert.That(VerBuf(m, domU, cmd), Is.EqualTo(-Errno.ENOSYS));
    }

    [Test]
    public void XenVersionIsRoutedInEveryMode([ValueSource(typeof(VersionGuest), nameof(AllModes))] GuestMode mode)
    {
        using var m = new TestMachine();
        Assert.That(m.Hv.Dispatcher.IsImplemented(HypercallNumber.XenVersion, mode), Is.True);
    }
}

using System.Text;
using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Dispatch;
using XenLite.Plugin.Hypfs;
using XenLite.Tests.Harness;
using XenLite.Tests.XenVersion;

namespace XenLite.Plugins.Tests.Hypfs;

/// <summary>get_version, the privilege check, path and buffer validation, and the build without the plugin.</summary>
[Category("hypfs_op")]
public class HypfsOpTests
{
    [Test]
    public void GetVersionIsOne()
    {
        using var m = HypfsRig.Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        Assert.That(m.Op(d0, HypfsAbi.OpGetVersion), Is.EqualTo(1));
    }

    [TestCase(1UL, 0UL, 0UL, 0UL)]
    [TestCase(0UL, 1UL, 0UL, 0UL)]
    [TestCase(0UL, 0UL, 1UL, 0UL)]
    [TestCase(0UL, 0UL, 0UL, 1UL)]
    public void GetVersionWithArgumentsIsEinval(ulong a1, ulong a2, ulong a3, ulong a4)
    {
        using var m = HypfsRig.Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        Assert.That(m.Op(d0, HypfsAbi.OpGetVersion, a1, a2, a3, a4), Is.EqualTo(-Errno.EINVAL));
    }

    [Test]
    public void UnprivilegedCallerIsEpermForEverySubOp()
    {
        using var m = HypfsRig.Machine();
        m.NewDomain(GuestMode.Hvm64);
        var d1 = m.NewDomain(GuestMode.Hvm64, 1, privileged: false);
        Assert.That(m.Op(d1, HypfsAbi.OpGetVersion), Is.EqualTo(-Errno.EPERM));
        Assert.That(m.Read(d1, "/", out _, out _), Is.EqualTo(-Errno.EPERM));
        Assert.That(m.WriteString(d1, "/params/loglvl", "none"), Is.EqualTo(-Errno.EPERM));
        Assert.That(m.Op(d1, 7), Is.EqualTo(-Errno.EPERM));
    }

    [Test]
    public void AnyXsmRefusalReadsAsEperm()
    {
        using var m = HypfsRig.Machine(xsm: XsmOverride.Create("HypfsOp", -Errno.EACCES));
        var d0 = m.NewDomain(GuestMode.Hvm64);
        Assert.That(m.Op(d0, HypfsAbi.OpGetVersion), Is.EqualTo(-Errno.EPERM));
    }

    [Test]
    public void UnknownSubOpIsEopnotsuppOnceThePathIsGood()
    {
        using var m = HypfsRig.Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        ulong len = m.PutPath(d0, "/buildinfo");
        Assert.That(m.Op(d0, 3, HypfsRig.PathGpa, len), Is.EqualTo(-Errno.EOPNOTSUPP));
        len = m.PutPath(d0, "/nowhere");
        Assert.That(m.Op(d0, 3, HypfsRig.PathGpa, len), Is.EqualTo(-Errno.ENOENT));
    }

    [Test]
    public void PathMustStartWithSlash()
    {
        using var m = HypfsRig.Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        Assert.That(m.Read(d0, "buildinfo", out _, out _), Is.EqualTo(-Errno.EINVAL));
        Assert.That(m.Read(d0, "", out _, out _), Is.EqualTo(-Errno.EINVAL));
    }

    [Test]
    public void PathMustEndWithItsOnlyNul()
    {
        using var m = HypfsRig.Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        m.Poke(d0, HypfsRig.PathGpa, Encoding.ASCII.GetBytes("/params\0/x\0"));
        Assert.That(m.Op(d0, HypfsAbi.OpRead, HypfsRig.PathGpa, 11, HypfsRig.BufGpa, HypfsRig.BufSize), Is.EqualTo(-Errno.EINVAL), "NUL inside");
        Assert.That(m.Op(d0, HypfsAbi.OpRead, HypfsRig.PathGpa, 7, HypfsRig.BufGpa, HypfsRig.BufSize), Is.EqualTo(-Errno.EINVAL), "no NUL");
        Assert.That(m.Op(d0, HypfsAbi.OpRead, HypfsRig.PathGpa, 0, HypfsRig.BufGpa, HypfsRig.BufSize), Is.EqualTo(-Errno.EINVAL), "empty");
        Assert.That(m.Op(d0, HypfsAbi.OpRead, HypfsRig.PathGpa, 8, HypfsRig.BufGpa, HypfsRig.BufSize), Is.EqualTo(0));
    }

    [Test]
    public void PathLongerThan1024IsEinval()
    {
        using var m = HypfsRig.Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        string deep = "/" + new string('a', 1022);
        Assert.That(m.Read(d0, deep, out _, out _), Is.EqualTo(-Errno.ENOENT), "1024 bytes with the NUL");
        Assert.That(m.Read(d0, deep + "a", out _, out _), Is.EqualTo(-Errno.EINVAL));
    }

    [Test]
    public void UnreadablePathIsEfault()
    {
        using var m = HypfsRig.Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        Assert.That(m.Op(d0, HypfsAbi.OpRead, 0x10_0000_0000, 8, HypfsRig.BufGpa, HypfsRig.BufSize), Is.EqualTo(-Errno.EFAULT));
    }

    [Test]
    public void BufferSmallerThanADirentryIsEinval()
    {
        using var m = HypfsRig.Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        Assert.That(m.Read(d0, "/", out _, out _, bufLen: 11), Is.EqualTo(-Errno.EINVAL));
        Assert.That(m.Peek(d0, HypfsRig.BufGpa, 1)[0], Is.EqualTo(0xEE), "nothing written");
    }

    [Test]
    public void BufferTooSmallForTheContentsIsEnobufsWithTheSizeNeeded()
    {
        using var m = HypfsRig.Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        string changeset = m.Hv.Build.Changeset;
        ulong needed = 12 + (ulong)changeset.Length + 1;
        Assert.That(m.Read(d0, "/buildinfo/changeset", out var e, out _, bufLen: needed - 1), Is.EqualTo(-Errno.ENOBUFS));
        Assert.That(e.ContentLen, Is.EqualTo(changeset.Length + 1));
        Assert.That(e.Type, Is.EqualTo(HypfsAbi.TypeString));
        Assert.That(m.Peek(d0, HypfsRig.BufGpa + 12, 1)[0], Is.EqualTo(0xEE), "no contents");
        Assert.That(m.Read(d0, "/buildinfo/changeset", out _, out _, bufLen: needed), Is.EqualTo(0));
    }

    [Test]
    public void UnwritableBufferIsEfault()
    {
        using var m = HypfsRig.Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        ulong len = m.PutPath(d0, "/");
        Assert.That(m.Op(d0, HypfsAbi.OpRead, HypfsRig.PathGpa, len, 0x10_0000_0000, 4096), Is.EqualTo(-Errno.EFAULT));
        // The direntry fits in the last bytes of RAM, the listing runs past them.
        const ulong end = 64 * 4096;
        Assert.That(m.Op(d0, HypfsAbi.OpRead, HypfsRig.PathGpa, len, end - 20, 4096), Is.EqualTo(-Errno.EFAULT));
        Assert.That(m.PeekStruct<HypfsDirentry>(d0, end - 20).Type, Is.EqualTo(HypfsAbi.TypeDir));
    }

    static readonly GuestMode[] Modes = { GuestMode.Pv32, GuestMode.Pv64, GuestMode.Hvm32, GuestMode.Hvm64, GuestMode.Arm };

    [TestCaseSource(nameof(Modes))]
    public void LeftOutHypfsOpIsEnosys(GuestMode mode)
    {
        using var m = new TestMachine(HypfsPlugin.Register);
        var d0 = m.NewDomain(mode);
        Assert.That(m.Hv.Dispatcher.IsImplemented(HypercallNumber.HypfsOp, mode), Is.False);
        for (int cmd = 0; cmd <= 3; cmd++)
            Assert.That(m.Op(d0, cmd), Is.EqualTo(-Errno.ENOSYS));
    }

    [TestCaseSource(nameof(Modes))]
    public void BuiltInHypfsOpIsTheSameHandlerInEveryMode(GuestMode mode)
    {
        using var m = HypfsRig.Machine();
        var d0 = m.NewDomain(mode);
        Assert.That(m.Hv.Dispatcher.CellFor(HypercallNumber.HypfsOp, mode).Text, Is.EqualTo("do"));
        Assert.That(m.Op(d0, HypfsAbi.OpGetVersion), Is.EqualTo(1));
        Assert.That(m.ReadString(d0, "/params/conswitch"), Is.EqualTo("a"));
    }
}

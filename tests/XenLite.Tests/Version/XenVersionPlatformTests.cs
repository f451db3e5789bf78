using System;
using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Tests.Harness;
using static XenLite.Tests.XenVersion.VersionGuest;

namespace XenLite.Tests.XenVersion;

/// <summary>platform_parameters (native and compat layouts), pagesize and guest_handle.</summary>
[Category("xen_version")]
public class XenVersionPlatformTests
{
    [TestCase(GuestMode.Pv64, 0xFFFF_8000_0000_0000UL)]
    [TestCase(GuestMode.Hvm64, 0UL)]
    [TestCase(GuestMode.Arm, 0UL)]
    public void PlatformParametersNativeLayoutIsEightBytes(GuestMode mode, ulong virtStart)
    {
        using var m = new TestMachine();
        var d = m.NewDomain(mode, id: 1, privileged: false);
        Dirty(m, d, 16);
        Assert.That(VerBuf(m, d, XenVer.PlatformParameters), Is.EqualTo(0));
        Assert.That(BitConverter.ToUInt64(m.Peek(d, Buf, 8)), Is.EqualTo(virtStart));
        Assert.That(m.Peek(d, Buf + 8, 1)[0], Is.EqualTo(Junk));
    }

    [TestCase(GuestMode.Pv32, 0xF580_0000U)]
    [TestCase(GuestMode.Hvm32, 0U)]
    public void PlatformParametersCompatLayoutIsFourBytes(GuestMode mode, uint virtStart)
    {
        using var m = new TestMachine();
        var d = m.NewDomain(mode, id: 1, privileged: false);
        Dirty(m, d, 16);
        Assert.That(VerBuf(m, d, XenVer.PlatformParameters), Is.EqualTo(0));
        Assert.That(BitConverter.ToUInt32(m.Peek(d, Buf, 4)), Is.EqualTo(virtStart));
        Assert.That(m.Peek(d, Buf + 4, 4), Is.EqualTo(new[] { Junk, Junk, Junk, Junk }), "compat struct is 4 bytes");
    }

    [Test]
    public void HvmVcpuInThirtyTwoBitModeGetsTheCompatLayout()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Hvm64);
        d.Vcpus[0].Mode = GuestMode.Hvm32;
        Dirty(m, d, 8);
        Assert.That(VerBuf(m, d, XenVer.PlatformParameters), Is.EqualTo(0));
        Assert.That(m.Peek(d, Buf, 8), Is.EqualTo(new byte[] { 0, 0, 0, 0, Junk, Junk, Junk, Junk }));
    }

    [Test]
    public void PlatformParametersBadBufferIsEfault([ValueSource(typeof(VersionGuest), nameof(AllModes))] GuestMode mode)
    {
        using var m = new TestMachine();
        var d = m.NewDomain(mode);
        Assert.That(Ver(m, d, XenVer.PlatformParameters, BadAddr(d)), Is.EqualTo(-Errno.EFAULT));
    }

    [Test]
    public void PagesizeIs4096WithANullArgument([ValueSource(typeof(VersionGuest), nameof(AllModes))] GuestMode mode)
    {
        using var m = new TestMachine();
        var d = m.NewDomain(mode, id: 3, privileged: false);
        Assert.That(Ver(m, d, XenVer.Pagesize, 0), Is.EqualTo(4096));
    }

    [Test]
    public void PagesizeWithAnArgumentIsEinval()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Hvm64);
        Assert.That(VerBuf(m, d, XenVer.Pagesize), Is.EqualTo(-Errno.EINVAL));
    }

    [Test]
    public void GuestHandleCopiesTheDomainHandle([ValueSource(typeof(VersionGuest), nameof(AllModes))] GuestMode mode)
    {
        using var m = new TestMachine();
        var d = m.NewDomain(mode, id: 5, privileged: false);
        for (int i = 0; i < 16; i++) d.Handle[i] = (byte)(0x10 + i);
        Dirty(m, d, 20);
        Assert.That(VerBuf(m, d, XenVer.GuestHandle), Is.EqualTo(0));
        Assert.That(m.Peek(d, Buf, 16), Is.EqualTo(d.Handle));
        Assert.That(m.Peek(d, Buf + 16, 1)[0], Is.EqualTo(Junk));
    }

    [Test]
    public void GuestHandleBadBufferIsEfault()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Pv64);
        Assert.That(Ver(m, d, XenVer.GuestHandle, BadAddr(d)), Is.EqualTo(-Errno.EFAULT));
    }

    [Test]
    public void ReadOnlyPvPageIsEfaultForOutputs()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Pv64);
        PvPageTables.MakeReadOnly(m, d, Buf >> 12);
        Assert.That(VerBuf(m, d, XenVer.Extraversion), Is.EqualTo(-Errno.EFAULT));
        Assert.That(VerBuf(m, d, XenVer.PlatformParameters), Is.EqualTo(-Errno.EFAULT));
        Assert.That(VerBuf(m, d, XenVer.GuestHandle), Is.EqualTo(-Errno.EFAULT));
    }
}

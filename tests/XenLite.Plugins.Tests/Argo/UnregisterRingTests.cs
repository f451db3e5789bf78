using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Plugin.Argo;

namespace XenLite.Plugins.Tests.Argo;

[Category("argo_op")]
public class UnregisterRingTests
{
    const uint Len = 4096 - 64;

    [Test]
    public void UnregisteredRingRefusesMessages()
    {
        using var m = ArgoRig.Machine();
        var d1 = m.Guest(1);
        var d2 = m.Guest(2);
        Assert.That(m.Register(d1, 1, 2, Len), Is.EqualTo(0));
        Assert.That(m.Unregister(d1, 1, 2), Is.EqualTo(0));
        Assert.That(m.Send(d2, ArgoRig.Addr(1, 2), ArgoRig.Addr(1, 1), 0, ArgoRig.Bytes(4, 0)), Is.EqualTo(-Errno.ECONNREFUSED));
        Assert.That(m.Unregister(d1, 1, 2), Is.EqualTo(-Errno.ENOENT));
    }

    [Test]
    public void RingIsNamedByPortAndPartner()
    {
        using var m = ArgoRig.Machine();
        var d1 = m.Guest(1);
        m.Guest(2);
        Assert.That(m.Register(d1, 1, 2, Len), Is.EqualTo(0));
        Assert.That(m.Unregister(d1, 1, ArgoAbi.DomidAny), Is.EqualTo(-Errno.ENOENT));
        Assert.That(m.Unregister(d1, 2, 2), Is.EqualTo(-Errno.ENOENT));
        Assert.That(m.Unregister(d1, 1, 2), Is.EqualTo(0));
    }

    [Test]
    public void NonZeroPadIsEinval()
    {
        using var m = ArgoRig.Machine();
        var d1 = m.Guest(1);
        m.Guest(2);
        Assert.That(m.Register(d1, 1, 2, Len), Is.EqualTo(0));
        Assert.That(m.Unregister(d1, 1, 2, pad: 1), Is.EqualTo(-Errno.EINVAL));
    }

    [Test]
    public void ExtraArgumentsAreEinval()
    {
        using var m = ArgoRig.Machine();
        var d1 = m.Guest(1);
        Assert.That(m.Argo(d1, ArgoAbi.OpUnregisterRing, ArgoRig.ArgGpa, 8), Is.EqualTo(-Errno.EINVAL));
        Assert.That(m.Argo(d1, ArgoAbi.OpUnregisterRing, ArgoRig.ArgGpa, 0, 1), Is.EqualTo(-Errno.EINVAL));
        Assert.That(m.Argo(d1, ArgoAbi.OpUnregisterRing, ArgoRig.ArgGpa, 0, 0, 1), Is.EqualTo(-Errno.EINVAL));
    }

    [Test]
    public void UnreadableArgumentIsEfault()
    {
        using var m = ArgoRig.Machine();
        var d1 = m.Guest(1);
        Assert.That(m.Argo(d1, ArgoAbi.OpUnregisterRing, 0x10_0000_0000), Is.EqualTo(-Errno.EFAULT));
    }
}

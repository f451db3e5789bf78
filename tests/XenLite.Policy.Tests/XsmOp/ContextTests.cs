using NUnit.Framework;
using XenLite.Flask;
using XenLite.Hv.Abi;

namespace XenLite.Policy.Tests.XsmOp;

/// <summary>FLASK_CONTEXT_TO_SID and FLASK_SID_TO_CONTEXT (security:check_context): contexts are
/// `system_u:system_r:type` strings in guest memory.</summary>
[Category("xsm_op")]
[Category("flask")]
public class ContextTests
{
    FlaskOpRig _rig;

    [SetUp] public void SetUp() => _rig = new FlaskOpRig();
    [TearDown] public void TearDown() => _rig.Dispose();

    [TestCase("system_u:system_r:domU_t", "domU_t")]
    [TestCase("system_u:object_r:nic_dev_t", "nic_dev_t")]
    [TestCase("system_u:system_r:dom0_t\0trailing", "dom0_t")]
    public void ContextToSidFindsTheType(string context, string type)
    {
        Assert.That(_rig.ContextToSid(_rig.Dom0, context), Is.EqualTo(0));
        Assert.That(_rig.Back(_rig.Dom0).SidContextSid, Is.EqualTo(_rig.Sid(type)));
    }

    [Test]
    public void TheSizeBoundsTheString()
    {
        Assert.That(_rig.ContextToSid(_rig.Dom0, "system_u:system_r:domU_t_self", 24), Is.EqualTo(0));
        Assert.That(_rig.Back(_rig.Dom0).SidContextSid, Is.EqualTo(_rig.Sid("domU_t")));
    }

    [TestCase("domU_t")]
    [TestCase("system_u:system_r:no_such_t")]
    [TestCase("user_u:system_r:domU_t")]
    [TestCase("system_u:user_r:domU_t")]
    [TestCase("system_u:system_r:domU_t:s0")]
    [TestCase("system_u:system_r:")]
    [TestCase("")]
    public void AnInvalidContextIsEinval(string context)
    {
        Assert.That(_rig.ContextToSid(_rig.Dom0, context), Is.EqualTo(-Errno.EINVAL));
    }

    [Test]
    public void ContextToSidErrors()
    {
        Assert.That(_rig.ContextToSid(_rig.Dom0, "system_u:system_r:domU_t", FlaskOpAbi.MaxString + 1), Is.EqualTo(-Errno.ENOBUFS));
        Assert.That(_rig.ContextToSid(_rig.Dom0, "system_u:system_r:domU_t", FlaskOpAbi.MaxString), Is.EqualTo(0), "a page is still fine");
        var op = FlaskOpRig.New(FlaskOpAbi.ContextToSid);
        op.SidContextContext = FlaskOpRig.Hole;
        op.SidContextSize = 10;
        Assert.That(_rig.Op(_rig.Dom0, op), Is.EqualTo(-Errno.EFAULT));
        Assert.That(_rig.ContextToSid(_rig.DomU, "system_u:system_r:domU_t"), Is.EqualTo(-Errno.EACCES), "check_context");
    }

    long SidToContext(uint sid, uint size, ulong? buffer = null)
    {
        var op = FlaskOpRig.New(FlaskOpAbi.SidToContext);
        op.SidContextSid = sid;
        op.SidContextSize = size;
        op.SidContextContext = buffer ?? FlaskOpRig.G(_rig.Dom0, FlaskOpRig.BufGpa);
        return _rig.Op(_rig.Dom0, op);
    }

    [Test]
    public void SidToContextWritesTheContextAndItsNul()
    {
        _rig.PutString(_rig.Dom0, new string('#', 40));
        Assert.That(SidToContext(_rig.Sid("domU_t"), 64), Is.EqualTo(0));
        const string expected = "system_u:system_r:domU_t\0";
        Assert.That(_rig.Back(_rig.Dom0).SidContextSize, Is.EqualTo(expected.Length));
        Assert.That(_rig.GetString(_rig.Dom0, expected.Length + 1), Is.EqualTo(expected + "#"));
    }

    [Test]
    public void ContextsRoundTripForEveryType()
    {
        for (uint sid = 1; sid <= (uint)_rig.Policy.TypeCount; sid++)
        {
            Assert.That(SidToContext(sid, 256), Is.EqualTo(0));
            uint size = _rig.Back(_rig.Dom0).SidContextSize;
            string context = _rig.GetString(_rig.Dom0, (int)size);
            Assert.That(_rig.ContextToSid(_rig.Dom0, context, size), Is.EqualTo(0), context);
            Assert.That(_rig.Back(_rig.Dom0).SidContextSid, Is.EqualTo(sid), context);
        }
    }

    [Test]
    public void AnUnknownSidReadsAsUnlabeled()
    {
        Assert.That(SidToContext(0, 64), Is.EqualTo(0));
        Assert.That(_rig.GetString(_rig.Dom0, 30), Does.StartWith("system_u:system_r:unlabeled_t\0"));
        Assert.That(SidToContext(99999, 64), Is.EqualTo(0));
        Assert.That(_rig.GetString(_rig.Dom0, 30), Does.StartWith("system_u:system_r:unlabeled_t\0"));
    }

    [Test]
    public void ASmallBufferIsErangeAndNothingIsWrittenBack()
    {
        _rig.PutString(_rig.Dom0, "untouched");
        Assert.That(SidToContext(_rig.Sid("domU_t"), 24), Is.EqualTo(-Errno.ERANGE), "the NUL does not fit");
        Assert.That(_rig.Back(_rig.Dom0).SidContextSize, Is.EqualTo(24), "Xen returns before copying the struct back");
        Assert.That(_rig.GetString(_rig.Dom0, 9), Is.EqualTo("untouched"));
        Assert.That(SidToContext(_rig.Sid("domU_t"), 25), Is.EqualTo(0));
    }

    [Test]
    public void SidToContextErrors()
    {
        Assert.That(SidToContext(_rig.Sid("domU_t"), 64, FlaskOpRig.Hole), Is.EqualTo(-Errno.EFAULT));
        var op = FlaskOpRig.New(FlaskOpAbi.SidToContext);
        op.SidContextSid = _rig.Sid("domU_t");
        op.SidContextSize = 64;
        op.SidContextContext = FlaskOpRig.G(_rig.DomU, FlaskOpRig.BufGpa);
        Assert.That(_rig.Op(_rig.DomU, op), Is.EqualTo(-Errno.EACCES), "check_context");
    }

    [Test]
    public void BeforeAPolicyIsLoadedNoContextIsValid()
    {
        using var late = new FlaskOpRig("flask=late");
        Assert.That(late.ContextToSid(late.DomU, "system_u:system_r:domU_t"), Is.EqualTo(-Errno.EINVAL));
        var op = FlaskOpRig.New(FlaskOpAbi.SidToContext);
        op.SidContextSid = 3;
        op.SidContextSize = 64;
        op.SidContextContext = FlaskOpRig.G(late.DomU, FlaskOpRig.BufGpa);
        Assert.That(late.Op(late.DomU, op), Is.EqualTo(-Errno.EINVAL));
    }
}

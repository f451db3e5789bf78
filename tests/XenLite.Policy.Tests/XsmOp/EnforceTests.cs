using NUnit.Framework;
using XenLite.Flask;
using XenLite.Hv.Abi;

namespace XenLite.Policy.Tests.XsmOp;

/// <summary>FLASK_GETENFORCE and FLASK_SETENFORCE (security:setenforce, asked only for a change).</summary>
[Category("xsm_op")]
[Category("flask")]
public class EnforceTests
{
    FlaskOpRig _rig;

    [SetUp] public void SetUp() => _rig = new FlaskOpRig();
    [TearDown] public void TearDown() => _rig.Dispose();

    [Test]
    public void GetenforceAnswersTheModeToAnyDomain()
    {
        Assert.That(_rig.GetEnforce(_rig.DomU), Is.EqualTo(1));
        _rig.Xsm.Enforcing = false;
        Assert.That(_rig.GetEnforce(_rig.DomU), Is.EqualTo(0));
    }

    [Test]
    public void SetenforceTogglesWhetherDenialsFail()
    {
        var readConsole = ConsoleIoCmd.Read;
        Assert.That(_rig.Xsm.ConsoleIo(_rig.DomU, readConsole), Is.EqualTo(-Errno.EACCES));
        Assert.That(_rig.SetEnforce(_rig.Dom0, 0), Is.EqualTo(0));
        Assert.That(_rig.GetEnforce(_rig.Dom0), Is.EqualTo(0));
        Assert.That(_rig.Xsm.ConsoleIo(_rig.DomU, readConsole), Is.EqualTo(0), "permissive: denied but allowed");
        Assert.That(_rig.M.Platform.ConsoleText, Does.Contain("avc: denied { readconsole } for domid=1"), "and still logged");
        Assert.That(_rig.SetEnforce(_rig.Dom0, 7), Is.EqualTo(0), "any non-zero value means enforcing");
        Assert.That(_rig.GetEnforce(_rig.Dom0), Is.EqualTo(1));
        Assert.That(_rig.Xsm.ConsoleIo(_rig.DomU, readConsole), Is.EqualTo(-Errno.EACCES));
    }

    [Test]
    public void TheChangeIsAuditedAsThePolicyAsks()
    {
        Assert.That(_rig.SetEnforce(_rig.Dom0, 0), Is.EqualTo(0));
        Assert.That(_rig.M.Platform.ConsoleText, Does.Contain("avc: granted { setenforce } for domid=0 scontext=system_u:system_r:dom0_t tcontext=system_u:system_r:security_t tclass=security"));
    }

    [Test]
    public void AnUnprivilegedDomainMayNotChangeTheMode()
    {
        Assert.That(_rig.SetEnforce(_rig.DomU, 0), Is.EqualTo(-Errno.EACCES));
        Assert.That(_rig.Xsm.Enforcing, Is.True);
        Assert.That(_rig.SetEnforce(_rig.DomU, 1), Is.EqualTo(0), "no change: no check");
    }
}

using NUnit.Framework;
using XenLite.Flask;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;

namespace XenLite.Policy.Tests.XsmOp;

/// <summary>FLASK_ACCESS, FLASK_CREATE, FLASK_RELABEL, FLASK_MEMBER (security:compute_*),
/// FLASK_POLICYVERS and FLASK_MLS.</summary>
[Category("xsm_op")]
[Category("flask")]
public class ComputeTests
{
    FlaskOpRig _rig;

    [SetUp] public void SetUp() => _rig = new FlaskOpRig();
    [TearDown] public void TearDown() => _rig.Dispose();

    const uint SecclassDomain = FlaskSchema.ClassDomain + 1;
    const uint SecclassEvent = FlaskSchema.ClassEvent + 1;

    long Access(Domain caller, uint ssid, uint tsid, uint tclass)
    {
        var op = FlaskOpRig.New(FlaskOpAbi.Access);
        op.AccessSsid = ssid;
        op.AccessTsid = tsid;
        op.AccessTclass = tclass;
        op.AccessReq = 0xFFFFFFFF;
        return _rig.Op(caller, op);
    }

    [Test]
    public void AccessReportsTheTablesDecision()
    {
        uint dom0 = _rig.Sid("dom0_t"), domU = _rig.Sid("domU_t"), xen = _rig.Sid("xen_t");
        Assert.That(Access(_rig.Dom0, dom0, domU, SecclassDomain), Is.EqualTo(0));
        var back = _rig.Back(_rig.Dom0);
        _rig.Policy.Decide(dom0, domU, FlaskSchema.ClassDomain, out uint allowed, out uint auditallow, out uint dontaudit);
        Assert.That(back.AccessAllowed, Is.EqualTo(allowed));
        Assert.That(back.AccessAllowed & Perm.Domain.Pause, Is.Not.Zero);
        Assert.That(back.AccessAuditAllow, Is.EqualTo(auditallow));
        Assert.That(back.AccessAuditDeny, Is.EqualTo(~dontaudit));
        Assert.That(back.AccessSeqno, Is.EqualTo(1), "one policy loaded");

        // guest_writeconsole's false branch dontaudits writeconsole: auditdeny loses the bit.
        Assert.That(_rig.SetBool(_rig.Dom0, _rig.Policy.BoolIndex("guest_writeconsole"u8), false, commit: true), Is.EqualTo(0));
        Assert.That(Access(_rig.Dom0, domU, xen, FlaskSchema.ClassXen + 1), Is.EqualTo(0));
        back = _rig.Back(_rig.Dom0);
        Assert.That(back.AccessAllowed & Perm.Xen.Writeconsole, Is.Zero);
        Assert.That(back.AccessAuditDeny & Perm.Xen.Writeconsole, Is.Zero);
        Assert.That(back.AccessSeqno, Is.EqualTo(2), "the commit bumped the sequence");
    }

    [Test]
    public void TheClassIsSixteenBitsAndOneBased()
    {
        Assert.That(Access(_rig.Dom0, 1, 1, 0), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Access(_rig.Dom0, 1, 1, FlaskSchema.ClassCount + 1), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Access(_rig.Dom0, 1, 1, 0x10000), Is.EqualTo(-Errno.EINVAL), "0x10000 is class 0");
        Assert.That(Access(_rig.Dom0, _rig.Sid("dom0_t"), _rig.Sid("domU_t"), 0x10000 + SecclassDomain), Is.EqualTo(0));
        Assert.That(_rig.Back(_rig.Dom0).AccessAllowed & Perm.Domain.Pause, Is.Not.Zero);
        Assert.That(Access(_rig.Dom0, 1, 1, FlaskSchema.ClassCount), Is.EqualTo(0), "argo, the last class");
    }

    [Test]
    public void AccessWithoutAPolicyAllowsEverything()
    {
        using var late = new FlaskOpRig("flask=late");
        var op = FlaskOpRig.New(FlaskOpAbi.Access);
        op.AccessTclass = 0;
        Assert.That(late.Op(late.DomU, op), Is.EqualTo(0));
        var back = late.Back(late.DomU);
        Assert.That(back.AccessAllowed, Is.EqualTo(0xFFFFFFFF));
        Assert.That(back.AccessAuditAllow, Is.Zero);
        Assert.That(back.AccessAuditDeny, Is.EqualTo(0xFFFFFFFF));
        Assert.That(back.AccessSeqno, Is.Zero);
    }

    long Compute(Domain caller, uint cmd, uint ssid, uint tsid, uint tclass)
    {
        var op = FlaskOpRig.New(cmd);
        op.TransitionSsid = ssid;
        op.TransitionTsid = tsid;
        op.TransitionTclass = tclass;
        op.TransitionNewsid = 0xDEAD;
        return _rig.Op(caller, op);
    }

    uint NewSid => _rig.Back(_rig.Dom0).TransitionNewsid;

    [Test]
    public void CreateFollowsTypeTransitions()
    {
        uint domU = _rig.Sid("domU_t"), dom0 = _rig.Sid("dom0_t");
        Assert.That(Compute(_rig.Dom0, FlaskOpAbi.Create, domU, domU, SecclassDomain), Is.EqualTo(0));
        Assert.That(NewSid, Is.EqualTo(_rig.Sid("domU_t_self")));
        Assert.That(Compute(_rig.Dom0, FlaskOpAbi.Create, domU, dom0, SecclassDomain), Is.EqualTo(0));
        Assert.That(NewSid, Is.EqualTo(domU), "no rule: the domain class keeps the subject");
        Assert.That(Compute(_rig.Dom0, FlaskOpAbi.Create, domU, dom0, FlaskSchema.ClassDomain2 + 1), Is.EqualTo(0));
        Assert.That(NewSid, Is.EqualTo(dom0), "every other class keeps the object");
    }

    [TestCase(FlaskOpAbi.Relabel)]
    [TestCase(FlaskOpAbi.Member)]
    public void RelabelAndMemberGiveTheDefaultType(uint cmd)
    {
        uint domU = _rig.Sid("domU_t"), dom0 = _rig.Sid("dom0_t");
        Assert.That(Compute(_rig.Dom0, cmd, domU, domU, SecclassDomain), Is.EqualTo(0));
        Assert.That(NewSid, Is.EqualTo(domU), "type_transition rules do not apply");
        Assert.That(Compute(_rig.Dom0, cmd, domU, dom0, SecclassEvent), Is.EqualTo(0));
        Assert.That(NewSid, Is.EqualTo(dom0));
        Assert.That(Compute(_rig.Dom0, cmd, 99999, dom0, SecclassDomain), Is.EqualTo(0));
        Assert.That(NewSid, Is.EqualTo(_rig.Sid("unlabeled_t")), "an unknown SID reads as unlabeled");
    }

    [TestCase(FlaskOpAbi.Access)]
    [TestCase(FlaskOpAbi.Create)]
    [TestCase(FlaskOpAbi.Relabel)]
    [TestCase(FlaskOpAbi.Member)]
    public void AnUnprivilegedDomainMayNotAskTheSecurityServer(uint cmd)
    {
        Assert.That(Compute(_rig.DomU, cmd, 1, 1, SecclassDomain), Is.EqualTo(-Errno.EACCES));
        Assert.That(_rig.Back(_rig.DomU).TransitionNewsid, Is.EqualTo(0xDEAD), "nothing written back");
    }

    [Test]
    public void PolicyversAndMlsNeedNoPermission()
    {
        Assert.That(_rig.Op(_rig.DomU, FlaskOpRig.New(FlaskOpAbi.PolicyVers)), Is.EqualTo(30));
        Assert.That(_rig.Op(_rig.DomU, FlaskOpRig.New(FlaskOpAbi.Mls)), Is.EqualTo(0));
    }
}

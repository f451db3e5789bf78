using NUnit.Framework;
using XenLite.Flask;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;

namespace XenLite.Policy.Tests.XsmOp;

/// <summary>FLASK_GETBOOL, FLASK_SETBOOL and FLASK_COMMITBOOLS (security:setbool).</summary>
[Category("xsm_op")]
[Category("flask")]
public class BooleanTests
{
    FlaskOpRig _rig;
    int _writeconsole;

    [SetUp]
    public void SetUp()
    {
        _rig = new FlaskOpRig();
        _writeconsole = _rig.Policy.BoolIndex("guest_writeconsole"u8);
    }

    [TearDown] public void TearDown() => _rig.Dispose();

    long GetBool(Domain d, uint id, uint size = 0, ulong name = 0)
    {
        var op = FlaskOpRig.New(FlaskOpAbi.GetBool);
        op.BoolId = id;
        op.BoolSize = size;
        op.BoolName = name;
        return _rig.Op(d, op);
    }

    [Test]
    public void SetboolPendsUntilCommitboolsChangesTheDecision()
    {
        Assert.That(_rig.WriteConsole(_rig.DomU), Is.EqualTo(0), "guest_writeconsole is true");
        Assert.That(_rig.SetBool(_rig.Dom0, _writeconsole, false, commit: false), Is.EqualTo(0));
        var back = _rig.Back(_rig.Dom0);
        Assert.That((back.BoolEnforcing, back.BoolPending), Is.EqualTo(((byte)1, (byte)0)));
        Assert.That(_rig.WriteConsole(_rig.DomU), Is.EqualTo(0), "pending only");
        Assert.That(_rig.Op(_rig.Dom0, FlaskOpRig.New(FlaskOpAbi.CommitBools)), Is.EqualTo(0));
        Assert.That(_rig.WriteConsole(_rig.DomU), Is.EqualTo(-Errno.EACCES));
        Assert.That(_rig.WriteConsole(_rig.Dom0), Is.EqualTo(0), "dom0 writes regardless");
        Assert.That(_rig.Xsm.Seqno, Is.EqualTo(2));
    }

    [Test]
    public void SetboolWithCommitAppliesAtOnceAndLeavesOtherPendingValues()
    {
        int locked = _rig.Policy.BoolIndex("prot_doms_locked"u8);
        Assert.That(_rig.SetBool(_rig.Dom0, locked, true, commit: false), Is.EqualTo(0));
        Assert.That(_rig.SetBool(_rig.Dom0, _writeconsole, false, commit: true), Is.EqualTo(0));
        var back = _rig.Back(_rig.Dom0);
        Assert.That((back.BoolEnforcing, back.BoolPending), Is.EqualTo(((byte)0, (byte)0)));
        Assert.That(_rig.WriteConsole(_rig.DomU), Is.EqualTo(-Errno.EACCES));
        Assert.That(GetBool(_rig.DomU, (uint)locked), Is.EqualTo(0));
        back = _rig.Back(_rig.DomU);
        Assert.That((back.BoolEnforcing, back.BoolPending), Is.EqualTo(((byte)0, (byte)1)), "still only pending");
        Assert.That(_rig.SetBool(_rig.Dom0, _writeconsole, true, commit: true), Is.EqualTo(0));
        Assert.That(_rig.WriteConsole(_rig.DomU), Is.EqualTo(0));
    }

    [Test]
    public void GetboolByIndexReturnsValuesAndName()
    {
        ulong name = FlaskOpRig.G(_rig.DomU, FlaskOpRig.BufGpa);
        _rig.PutString(_rig.DomU, new string('#', 32));
        Assert.That(GetBool(_rig.DomU, (uint)_writeconsole, 64, name), Is.EqualTo(0), "no permission needed");
        var back = _rig.Back(_rig.DomU);
        Assert.That((back.BoolEnforcing, back.BoolPending), Is.EqualTo(((byte)1, (byte)1)));
        Assert.That(back.BoolSize, Is.EqualTo("guest_writeconsole".Length));
        Assert.That(_rig.GetString(_rig.DomU, 19), Is.EqualTo("guest_writeconsole#"), "no NUL is written");
    }

    [Test]
    public void GetboolWithASmallBufferIsErange()
    {
        ulong name = FlaskOpRig.G(_rig.DomU, FlaskOpRig.BufGpa);
        Assert.That(GetBool(_rig.DomU, (uint)_writeconsole, 5, name), Is.EqualTo(-Errno.ERANGE));
        Assert.That(GetBool(_rig.DomU, (uint)_writeconsole, 64, FlaskOpRig.Hole), Is.EqualTo(-Errno.EFAULT));
    }

    [Test]
    public void ABooleanCanBeNamedWithIdMinusOne()
    {
        ulong name = _rig.PutString(_rig.Dom0, "guest_writeconsole\0");
        Assert.That(GetBool(_rig.Dom0, FlaskOpAbi.BoolByName, 19, name), Is.EqualTo(0));
        var back = _rig.Back(_rig.Dom0);
        Assert.That(back.BoolId, Is.EqualTo(_writeconsole), "the index is filled in");
        Assert.That(back.BoolSize, Is.Zero, "and the name is not written back");
        Assert.That(back.BoolEnforcing, Is.EqualTo(1));

        var set = FlaskOpRig.New(FlaskOpAbi.SetBool);
        set.BoolId = FlaskOpAbi.BoolByName;
        set.BoolName = name;
        set.BoolSize = 18;
        set.BoolNewValue = 0;
        set.BoolCommit = 1;
        Assert.That(_rig.Op(_rig.Dom0, set), Is.EqualTo(0));
        Assert.That(_rig.Back(_rig.Dom0).BoolId, Is.EqualTo(_writeconsole));
        Assert.That(_rig.WriteConsole(_rig.DomU), Is.EqualTo(-Errno.EACCES));
    }

    [Test]
    public void UnknownBooleansAreEnoent()
    {
        ulong name = _rig.PutString(_rig.Dom0, "no_such_bool");
        Assert.That(GetBool(_rig.Dom0, FlaskOpAbi.BoolByName, 12, name), Is.EqualTo(-Errno.ENOENT));
        Assert.That(GetBool(_rig.Dom0, (uint)_rig.Policy.BoolCount), Is.EqualTo(-Errno.ENOENT));
        Assert.That(_rig.SetBool(_rig.Dom0, _rig.Policy.BoolCount, true, commit: false), Is.EqualTo(-Errno.ENOENT));
        Assert.That(_rig.SetBool(_rig.Dom0, _rig.Policy.BoolCount, true, commit: true), Is.EqualTo(-Errno.ENOENT));
        Assert.That(_rig.SetBool(_rig.Dom0, -1, true, commit: false), Is.EqualTo(-Errno.ENOENT), "by name, with size 0: the empty name");
    }

    [Test]
    public void NamesLongerThanAPageAreEnobufsAndUnreadableOnesEfault()
    {
        Assert.That(GetBool(_rig.Dom0, FlaskOpAbi.BoolByName, FlaskOpAbi.MaxString + 1, FlaskOpRig.G(_rig.Dom0, FlaskOpRig.BufGpa)), Is.EqualTo(-Errno.ENOBUFS));
        Assert.That(GetBool(_rig.Dom0, FlaskOpAbi.BoolByName, 8, FlaskOpRig.Hole), Is.EqualTo(-Errno.EFAULT));
    }

    [Test]
    public void AnUnprivilegedDomainMayNotSetOrCommit()
    {
        Assert.That(_rig.SetBool(_rig.DomU, _writeconsole, false, commit: true), Is.EqualTo(-Errno.EACCES));
        Assert.That(_rig.SetBool(_rig.DomU, _writeconsole, false, commit: false), Is.EqualTo(-Errno.EACCES));
        Assert.That(_rig.Op(_rig.DomU, FlaskOpRig.New(FlaskOpAbi.CommitBools)), Is.EqualTo(-Errno.EACCES));
        Assert.That(_rig.Policy.BoolPending[_writeconsole], Is.EqualTo(1));
        Assert.That(_rig.WriteConsole(_rig.DomU), Is.EqualTo(0));
    }

    [Test]
    public void WithoutAPolicyThereAreNoBooleans()
    {
        using var late = new FlaskOpRig("flask=late");
        Assert.That(late.Op(late.DomU, FlaskOpRig.New(FlaskOpAbi.GetBool)), Is.EqualTo(-Errno.ENOENT));
        Assert.That(late.SetBool(late.DomU, 0, true, commit: true), Is.EqualTo(-Errno.ENOENT));
        Assert.That(late.Op(late.DomU, FlaskOpRig.New(FlaskOpAbi.CommitBools)), Is.EqualTo(0));
    }
}

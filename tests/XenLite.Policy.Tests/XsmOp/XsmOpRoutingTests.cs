using NUnit.Framework;
using XenLite.Flask;
using XenLite.Hv.Abi;
using XenLite.Hv.Dispatch;
using XenLite.Hv.Xsm;
using XenLite.Tests.Harness;

namespace XenLite.Policy.Tests.XsmOp;

/// <summary>Where xsm_op goes, and what every sub-op has in common: the struct read, the
/// interface version, the write-back.</summary>
[Category("xsm_op")]
[Category("flask")]
public class XsmOpRoutingTests
{
    [TestCase(GuestMode.Hvm64)]
    [TestCase(GuestMode.Hvm32)]
    public void WithoutTheFlaskPluginXsmOpIsEnosys(GuestMode mode)
    {
        using var m = new TestMachine();
        var d = m.NewDomain(mode);
        m.PokeStruct(d, FlaskOpRig.OpGpa, FlaskOpRig.New(FlaskOpAbi.GetEnforce));
        Assert.That(m.Call(d.Vcpus[0], HypercallNumber.XsmOp, FlaskOpRig.OpGpa), Is.EqualTo(-Errno.ENOSYS));
        Assert.That(m.Hv.Dispatcher.IsImplemented(HypercallNumber.XsmOp, mode), Is.False);
    }

    [Test]
    public void FlaskDisabledAtBootLeavesTheDummyModuleWhichAnswersEnosys()
    {
        using var rig = new FlaskOpRig("console=com1 flask=disabled");
        Assert.That(rig.Xsm, Is.Null);
        Assert.That(rig.M.Hv.Xsm, Is.InstanceOf<DummyXsm>());
        Assert.That(rig.M.Platform.ConsoleText, Does.Contain("(XEN) Flask: Disabled at boot."));
        Assert.That(rig.GetEnforce(rig.Dom0), Is.EqualTo(-Errno.ENOSYS));
    }

    [Test]
    public void TheRowRoutesCompatForThirtyTwoBitGuestsAndDoForTheOthers()
    {
        using var rig = new FlaskOpRig();
        var dispatcher = rig.M.Hv.Dispatcher;
        Assert.That(dispatcher.CellFor(HypercallNumber.XsmOp, GuestMode.Pv32).Variant, Is.EqualTo(Variant.Compat));
        Assert.That(dispatcher.CellFor(HypercallNumber.XsmOp, GuestMode.Pv64).Variant, Is.EqualTo(Variant.Do));
        Assert.That(dispatcher.CellFor(HypercallNumber.XsmOp, GuestMode.Hvm32).Variant, Is.EqualTo(Variant.Compat));
        Assert.That(dispatcher.CellFor(HypercallNumber.XsmOp, GuestMode.Hvm64).Variant, Is.EqualTo(Variant.Do));
        Assert.That(dispatcher.CellFor(HypercallNumber.XsmOp, GuestMode.Arm).Variant, Is.EqualTo(Variant.Do));
        for (int mode = 0; mode < GuestModes.Count; mode++)
            Assert.That(dispatcher.IsImplemented(HypercallNumber.XsmOp, (GuestMode)mode), Is.True, ((GuestMode)mode).ToString());
    }

    [TestCase(0u)]
    [TestCase(2u)]
    public void AnotherInterfaceVersionIsEnosys(uint version)
    {
        using var rig = new FlaskOpRig();
        var op = FlaskOpRig.New(FlaskOpAbi.GetEnforce);
        op.InterfaceVersion = version;
        Assert.That(rig.Op(rig.Dom0, op), Is.EqualTo(-Errno.ENOSYS));
    }

    [Test]
    public void AnArgumentOutsideGuestMemoryIsEfault()
    {
        using var rig = new FlaskOpRig();
        Assert.That(rig.M.Call(rig.Dom0.Vcpus[0], HypercallNumber.XsmOp, FlaskOpRig.Hole), Is.EqualTo(-Errno.EFAULT));
        // The struct is 40 bytes: the last 8 past the end of RAM are enough to refuse it.
        ulong end = 128 * 4096;
        Assert.That(rig.M.Call(rig.Dom0.Vcpus[0], HypercallNumber.XsmOp, end - 32), Is.EqualTo(-Errno.EFAULT));
    }

    [TestCase(0u)]
    [TestCase(FlaskOpAbi.User)]
    [TestCase(FlaskOpAbi.Disable)]
    [TestCase(26u)]
    [TestCase(0xFFFFFFFFu)]
    public void UnknownAndRetiredSubOpsAreEnosys(uint cmd)
    {
        using var rig = new FlaskOpRig();
        Assert.That(rig.Op(rig.Dom0, FlaskOpRig.New(cmd)), Is.EqualTo(-Errno.ENOSYS));
    }

    [Test]
    public void TheSubOpCatalogSaysWhichSubOpsThePluginServes()
    {
        var family = SubOpCatalog.Families[SubOpCatalog.IndexOf(HypercallNumber.XsmOp)];
        Assert.That(family.Ops, Has.Length.EqualTo(25));
        using var rig = new FlaskOpRig();
        foreach (var sub in family.Ops)
        {
            long rc = rig.Op(rig.Dom0, FlaskOpRig.New((uint)sub.Number));
            if (sub.Status == SubOpStatus.Plugin) Assert.That(rc, Is.Not.EqualTo(-Errno.ENOSYS), sub.Name);
            else Assert.That(rc, Is.EqualTo(-Errno.ENOSYS), sub.Name);
        }
    }

    [Test]
    public void AResultThatCannotBeWrittenBackIsEfault()
    {
        using var rig = new FlaskOpRig(mode: GuestMode.Pv64);
        var op = FlaskOpRig.New(FlaskOpAbi.AvcHashStats);
        Assert.That(rig.Op(rig.Dom0, op), Is.EqualTo(0), "writable: fine");
        PvPageTables.MakeReadOnly(rig.M, rig.Dom0, FlaskOpRig.OpGpa >> 12);
        Assert.That(rig.Op(rig.Dom0, op), Is.EqualTo(-Errno.EFAULT), "read-only: the stats cannot be returned");
        Assert.That(rig.GetEnforce(rig.Dom0), Is.EqualTo(1), "sub-ops that return nothing in the struct still work");
    }
}

using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Tests.Harness;

namespace XenLite.Tests.Pmu;

/// <summary>xenpmu_op with no vPMU: every sub-op of every x86 caller is -EOPNOTSUPP; arm has no such call.</summary>
[Category("xenpmu_op")]
public class XenpmuOpTests
{
    [Test]
    public void EverySubOpIsEopnotsuppOnX86([Values(GuestMode.Pv32, GuestMode.Pv64, GuestMode.Hvm32, GuestMode.Hvm64)] GuestMode mode,
        [Values(XenPmuOp.ModeGet, XenPmuOp.ModeSet, XenPmuOp.FeatureGet, XenPmuOp.FeatureSet, XenPmuOp.Init, XenPmuOp.Finish, XenPmuOp.LvtpcSet, XenPmuOp.Flush, 8)] int op)
    {
        using var m = new TestMachine();
        var d = m.NewDomain(mode, 0);
        m.PokeStruct(d, 0x4000, new XenPmuParams { VersionMaj = XenPmuOp.VersionMajor, VersionMin = XenPmuOp.VersionMinor });
        Assert.That(m.Call(d.Vcpus[0], HypercallNumber.XenpmuOp, (ulong)op, TestMachine.GuestAddr(d, 0x4000)), Is.EqualTo(-Errno.EOPNOTSUPP));
        Assert.That(m.Call(d.Vcpus[0], HypercallNumber.XenpmuOp, (ulong)op, 0x7FFF_F000), Is.EqualTo(-Errno.EOPNOTSUPP), "before reading the argument");
    }

    [Test]
    public void ArmHasNoXenpmuOp()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Arm, 0);
        Assert.That(m.Call(d.Vcpus[0], HypercallNumber.XenpmuOp, XenPmuOp.ModeGet, 0x4000), Is.EqualTo(-Errno.ENOSYS));
    }
}

using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Dispatch;
using XenLite.Plugin.Xenoprof;
using XenLite.Tests.Harness;

namespace XenLite.Plugins.Tests.Xenoprof;

[Category("xenoprof_op")]
public class XenoprofOpTests
{
    [TestCase(GuestMode.Pv64)]
    [TestCase(GuestMode.Pv32)]
    public void LeftOutOfTheBuildXenoprofOpIsEnosys(GuestMode mode)
    {
        using var m = new TestMachine();
        var d = m.NewDomain(mode);
        Assert.That(m.Call(d.Vcpus[0], HypercallNumber.XenoprofOp, XenoprofCmd.Init, TestMachine.GuestAddr(d, 0x1000)), Is.EqualTo(-Errno.ENOSYS));
    }

    [Test]
    public void HvmCallersAreNotRouted()
    {
        using var m = new TestMachine(XenoprofPlugin.Register, features: Feature.Xenoprof);
        var d = m.NewDomain(GuestMode.Hvm64);
        Assert.That(m.Call(d.Vcpus[0], HypercallNumber.XenoprofOp, XenoprofCmd.Init, 0x1000), Is.EqualTo(-Errno.ENOSYS));
    }

    [TestCase(18UL)]
    [TestCase(0xFFFF_FFFFUL)]       // -1 as the int Xen reads
    [TestCase(0x8000_0000UL)]
    public void OpsOutsideTheRangeAreEinval(ulong op)
    {
        using var rig = new XenoprofRig();
        Assert.That(rig.OpRaw(rig.DomU, op, 0), Is.EqualTo(-Errno.EINVAL));
    }

    [Test]
    public void OpIsTheLow32BitsOfTheRegister()
    {
        using var rig = new XenoprofRig();
        rig.M.PokeStruct(rig.Dom0, XenoprofRig.ArgGpa, default(XenoprofInitArg));
        Assert.That(rig.OpRaw(rig.Dom0, 0x1_0000_0000UL, TestMachine.GuestAddr(rig.Dom0, XenoprofRig.ArgGpa)), Is.EqualTo(0), "op 0: init");
    }

    [Test]
    public void WithoutAPmuInitIsEnodev()
    {
        using var rig = new XenoprofRig(pmu: false);
        Assert.That(rig.Init(rig.Dom0), Is.EqualTo(-Errno.ENODEV));
        Assert.That(rig.State.PrimaryProfiler, Is.Null);
        Assert.That(rig.State.Phase, Is.EqualTo(XenoprofPhase.Idle));
    }

    [Test]
    public void APmuOfNoKnownModelIsEnodev()
    {
        using var rig = new XenoprofRig();
        rig.Pmu.Type = null;
        Assert.That(rig.Init(rig.Dom0), Is.EqualTo(-Errno.ENODEV));
    }

    [Test]
    public void InitDescribesThePmuAndMakesTheHardwareDomainPrimary()
    {
        using var rig = new XenoprofRig();
        Assert.That(rig.Init(rig.Dom0, out var init), Is.EqualTo(0));
        Assert.That(init.NumEvents, Is.EqualTo(4));
        Assert.That(init.IsPrimary, Is.EqualTo(1));
        Assert.That(XenoprofRig.CString(init), Is.EqualTo("x86-64/hammer"));
        Assert.That(rig.State.PrimaryProfiler, Is.SameAs(rig.Dom0));
        Assert.That(rig.State.Phase, Is.EqualTo(XenoprofPhase.Initialized));
    }

    [Test]
    public void OtherDomainsInitAsSecondaryProfilers()
    {
        using var rig = new XenoprofRig();
        Assert.That(rig.Init(rig.DomU, out var init), Is.EqualTo(0));
        Assert.That(init.IsPrimary, Is.EqualTo(0));
        Assert.That(rig.State.Phase, Is.EqualTo(XenoprofPhase.Idle));
        Assert.That(rig.State.PrimaryProfiler, Is.Null);
    }

    [Test]
    public void LongCpuTypesAreCutAndTerminated()
    {
        using var rig = new XenoprofRig();
        rig.Pmu.Type = new string('x', 100);
        Assert.That(rig.Init(rig.Dom0, out var init), Is.EqualTo(0));
        Assert.That(XenoprofRig.CString(init), Has.Length.EqualTo(63));
    }

    [TestCase(XenoprofCmd.Init)]
    [TestCase(XenoprofCmd.GetBuffer)]
    [TestCase(XenoprofCmd.SetActive)]
    [TestCase(XenoprofCmd.SetPassive)]
    [TestCase(XenoprofCmd.Counter)]
    [TestCase(XenoprofCmd.SetBacktrace)]
    [TestCase(XenoprofCmd.IbsCounter)]
    public void BadArgumentPointerIsEfault(int op)
    {
        using var rig = new XenoprofRig();
        if (op != XenoprofCmd.Init)
        {
            rig.ToReady();
            Assert.That(rig.Op(XenoprofCmd.ReleaseCounters), Is.EqualTo(0));
            if (op == XenoprofCmd.Counter || op == XenoprofCmd.IbsCounter)
            {
                Assert.That(rig.SetActive(0), Is.EqualTo(0));
                Assert.That(rig.Op(XenoprofCmd.ReserveCounters), Is.EqualTo(0));
            }
        }
        Assert.That(rig.OpRaw(rig.Dom0, (ulong)op, 0xFFFF_8000_0000_1000), Is.EqualTo(-Errno.EFAULT));
    }

    [TestCase(XenoprofCmd.ResetActiveList)]
    [TestCase(XenoprofCmd.ResetPassiveList)]
    [TestCase(XenoprofCmd.SetActive)]
    [TestCase(XenoprofCmd.SetPassive)]
    [TestCase(XenoprofCmd.ReserveCounters)]
    [TestCase(XenoprofCmd.Counter)]
    [TestCase(XenoprofCmd.SetupEvents)]
    [TestCase(XenoprofCmd.Start)]
    [TestCase(XenoprofCmd.Stop)]
    [TestCase(XenoprofCmd.ReleaseCounters)]
    [TestCase(XenoprofCmd.Shutdown)]
    [TestCase(XenoprofCmd.SetBacktrace)]
    [TestCase(XenoprofCmd.GetIbsCaps)]
    [TestCase(XenoprofCmd.IbsCounter)]
    public void ProfilerOnlyOpsAreEpermForOthers(int op)
    {
        using var rig = new XenoprofRig();
        Assert.That(rig.Op(rig.Dom0, op), Is.EqualTo(-Errno.EPERM), "no primary profiler yet");
        Assert.That(rig.Init(rig.Dom0), Is.EqualTo(0));
        Assert.That(rig.Op(rig.DomU, op), Is.EqualTo(-Errno.EPERM), "a domain that is not the primary");
    }

    [Test]
    public void GetIbsCapsAnswersThePmusCapabilities()
    {
        using var rig = new XenoprofRig();
        Assert.That(rig.Init(rig.Dom0), Is.EqualTo(0));
        Assert.That(rig.Op(XenoprofCmd.GetIbsCaps), Is.EqualTo(0x1F));
    }

    [Test]
    public void SetBacktraceStoresTheDepth()
    {
        using var rig = new XenoprofRig();
        Assert.That(rig.Init(rig.Dom0), Is.EqualTo(0));
        rig.M.PokeStruct(rig.Dom0, XenoprofRig.ArgGpa, 12UL);
        Assert.That(rig.Op(XenoprofCmd.SetBacktrace), Is.EqualTo(0));
        Assert.That(rig.State.BacktraceDepth, Is.EqualTo(12UL));
    }
}

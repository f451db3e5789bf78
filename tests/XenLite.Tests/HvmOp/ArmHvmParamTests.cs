using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Tests.Harness;
using static XenLite.Tests.HvmOp.HvmOpRig;
using P = XenLite.Hv.Abi.HvmParam;

namespace XenLite.Tests.HvmOp;

/// <summary>arm's hvm_op: the xenstore/console/callback params set by the toolstack, read by the guest.</summary>
[Category("hvm_op")]
public class ArmHvmParamTests
{
    [TestCase(P.CallbackIrq)]
    [TestCase(P.StorePfn)]
    [TestCase(P.StoreEvtchn)]
    [TestCase(P.ConsolePfn)]
    [TestCase(P.ConsoleEvtchn)]
    public void ToolstackSetsGuestReadsGuestMayNotSet(uint index)
    {
        using var m = new TestMachine();
        var (dom0, guest) = Pair(m, GuestMode.Arm);
        Assert.That(SetParam(m, dom0.Vcpus[0], 1, index, 0x42), Is.EqualTo(0));
        Assert.That(GetParam(m, guest.Vcpus[0], DomainIds.Self, index, out ulong v), Is.EqualTo(0));
        Assert.That(v, Is.EqualTo(0x42));
        Assert.That(SetParam(m, guest.Vcpus[0], DomainIds.Self, index, 1), Is.EqualTo(-Errno.EPERM));
    }

    [Test]
    public void MonitorRingIsTheToolstacksOnly()
    {
        using var m = new TestMachine();
        var (dom0, guest) = Pair(m, GuestMode.Arm);
        Assert.That(SetParam(m, dom0.Vcpus[0], 1, P.MonitorRingPfn, 9), Is.EqualTo(0));
        Assert.That(GetParam(m, dom0.Vcpus[0], 1, P.MonitorRingPfn, out ulong v), Is.EqualTo(0));
        Assert.That(v, Is.EqualTo(9));
        Assert.That(GetParam(m, guest.Vcpus[0], DomainIds.Self, P.MonitorRingPfn, out _), Is.EqualTo(-Errno.EPERM));
    }

    [TestCase(P.TimerMode)]
    [TestCase(P.IdentPt)]
    [TestCase(P.NrParams)]
    [TestCase(0xFFFF_FFFFu)]
    public void EverythingElseIsEinval(uint index)
    {
        using var m = new TestMachine();
        var (dom0, _) = Pair(m, GuestMode.Arm);
        Assert.That(SetParam(m, dom0.Vcpus[0], 1, index, 1), Is.EqualTo(-Errno.EINVAL));
        Assert.That(GetParam(m, dom0.Vcpus[0], 1, index, out _), Is.EqualTo(-Errno.EINVAL));
    }

    [Test]
    public void XsmComesBeforeTheIndexCheck()
    {
        using var m = new TestMachine();
        var (_, guest) = Pair(m, GuestMode.Arm);
        m.NewDomain(GuestMode.Arm, 2);
        Assert.That(SetParam(m, guest.Vcpus[0], 2, 0xFFFF, 1), Is.EqualTo(-Errno.EPERM));
        Assert.That(GetParam(m, guest.Vcpus[0], 9, P.StorePfn, out _), Is.EqualTo(-Errno.ESRCH));
    }

    [TestCase(HvmOpCmd.GetTime)]
    [TestCase(HvmOpCmd.SetEvtchnUpcallVector)]
    [TestCase(HvmOpCmd.FlushTlbs)]
    [TestCase(HvmOpCmd.Altp2m)]
    public void ArmHasOnlyParamsAndVmEvents(int op)
    {
        using var m = new TestMachine();
        var v = m.NewDomain(GuestMode.Arm, 1).Vcpus[0];
        Assert.That(m.Call(v, HypercallNumber.HvmOp, (ulong)op, ArgGpa), Is.EqualTo(-Errno.ENOSYS));
        Assert.That(m.Call(v, HypercallNumber.HvmOp, HvmOpCmd.GuestRequestVmEvent, 0), Is.EqualTo(0));
        Assert.That(m.Call(v, HypercallNumber.HvmOp, HvmOpCmd.GuestRequestVmEvent, ArgGpa), Is.EqualTo(-Errno.EINVAL));
    }
}

using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Events;
using XenLite.Tests.Harness;
using static XenLite.Tests.HvmOp.HvmOpRig;
using P = XenLite.Hv.Abi.HvmParam;

namespace XenLite.Tests.HvmOp;

/// <summary>x86 HVMOP_set_param / get_param: who may touch what, and each parameter's checks.</summary>
[Category("hvm_op")]
public class HvmParamTests
{
    [TestCase(P.StorePfn, 0xFEFFFUL)]
    [TestCase(P.ConsolePfn, 0xFEFFEUL)]
    [TestCase(P.StoreEvtchn, 1UL)]
    [TestCase(P.ConsoleEvtchn, 2UL)]
    public void ToolstackSetsWhatTheGuestReads(uint index, ulong value)
    {
        using var m = new TestMachine();
        var (dom0, guest) = Pair(m);
        Assert.That(SetParam(m, dom0.Vcpus[0], 1, index, value), Is.EqualTo(0));
        Assert.That(GetParam(m, guest.Vcpus[0], DomainIds.Self, index, out ulong got), Is.EqualTo(0));
        Assert.That(got, Is.EqualTo(value));
        Assert.That(guest.HvmParams[index], Is.EqualTo(value));
    }

    [TestCase(P.StorePfn)]
    [TestCase(P.ConsolePfn)]
    [TestCase(P.IdentPt)]
    [TestCase(P.AcpiSState)]
    [TestCase(P.TimerMode)]
    [TestCase(P.HpetEnabled)]
    public void AGuestMayNotSetToolstackParamsOnItself(uint index)
    {
        using var m = new TestMachine();
        var (_, guest) = Pair(m);
        Assert.That(SetParam(m, guest.Vcpus[0], DomainIds.Self, index, 0), Is.EqualTo(-Errno.EPERM));
    }

    [TestCase(P.StoreEvtchn)]
    [TestCase(P.ConsoleEvtchn)]
    [TestCase(P.VmGenerationIdAddr)]
    public void AGuestMaySetSomeParamsOnItself(uint index)
    {
        using var m = new TestMachine();
        var (_, guest) = Pair(m);
        Assert.That(SetParam(m, guest.Vcpus[0], DomainIds.Self, index, 7), Is.EqualTo(0));
        Assert.That(guest.HvmParams[index], Is.EqualTo(7));
    }

    [TestCase(P.TimerMode)]
    [TestCase(P.IdentPt)]
    [TestCase(P.TripleFaultReason)]
    public void AGuestMayNotReadToolstackParams(uint index)
    {
        using var m = new TestMachine();
        var (dom0, guest) = Pair(m);
        Assert.That(GetParam(m, guest.Vcpus[0], DomainIds.Self, index, out _), Is.EqualTo(-Errno.EPERM));
        Assert.That(GetParam(m, dom0.Vcpus[0], 1, index, out _), Is.EqualTo(0));
    }

    [Test]
    public void IndexBeyondTheLastParamIsEinval()
    {
        using var m = new TestMachine();
        var (dom0, _) = Pair(m);
        Assert.That(SetParam(m, dom0.Vcpus[0], 1, P.NrParams, 0), Is.EqualTo(-Errno.EINVAL));
        Assert.That(GetParam(m, dom0.Vcpus[0], 1, 0xFFFF_FFFF, out _), Is.EqualTo(-Errno.EINVAL));
    }

    [TestCase(P.PaeEnabled)]
    [TestCase(P.DmDomain)]
    [TestCase(P.NestedHvm)]
    [TestCase(P.BufioreqEvtchn)]
    [TestCase(P.MemoryEventMsr)]
    public void DeprecatedParamsAreEinvalEvenForTheToolstack(uint index)
    {
        using var m = new TestMachine();
        var (dom0, _) = Pair(m);
        Assert.That(SetParam(m, dom0.Vcpus[0], 1, index, 0), Is.EqualTo(-Errno.EINVAL));
        Assert.That(GetParam(m, dom0.Vcpus[0], 1, index, out _), Is.EqualTo(-Errno.EINVAL));
    }

    [Test]
    public void Altp2mIsReadOnly()
    {
        using var m = new TestMachine();
        var (dom0, guest) = Pair(m);
        Assert.That(SetParam(m, dom0.Vcpus[0], 1, P.Altp2m, 1), Is.EqualTo(-Errno.EEXIST));
        Assert.That(GetParam(m, guest.Vcpus[0], DomainIds.Self, P.Altp2m, out ulong mode), Is.EqualTo(0));
        Assert.That(mode, Is.EqualTo(0));
    }

    [Test]
    public void NoSuchDomainIsEsrchAndAPvDomainIsEinval()
    {
        using var m = new TestMachine();
        var dom0 = m.NewDomain(GuestMode.Hvm64, 0);
        m.NewDomain(GuestMode.Pv64, 2);
        Assert.That(SetParam(m, dom0.Vcpus[0], 9, P.StorePfn, 1), Is.EqualTo(-Errno.ESRCH));
        Assert.That(GetParam(m, dom0.Vcpus[0], 9, P.StorePfn, out _), Is.EqualTo(-Errno.ESRCH));
        Assert.That(SetParam(m, dom0.Vcpus[0], 2, P.StorePfn, 1), Is.EqualTo(-Errno.EINVAL));
        Assert.That(GetParam(m, dom0.Vcpus[0], 2, P.StorePfn, out _), Is.EqualTo(-Errno.EINVAL));
    }

    [Test]
    public void AnUnprivilegedGuestCannotTouchAnotherDomain()
    {
        using var m = new TestMachine();
        var (_, guest) = Pair(m);
        m.NewDomain(GuestMode.Hvm64, 2);
        Assert.That(SetParam(m, guest.Vcpus[0], 2, P.StoreEvtchn, 1), Is.EqualTo(-Errno.EPERM));
        Assert.That(GetParam(m, guest.Vcpus[0], 2, P.StoreEvtchn, out _), Is.EqualTo(-Errno.EPERM));
    }

    [Test]
    public void ADeviceModelMaySetItsTargetsParams()
    {
        using var m = new TestMachine();
        var (_, guest) = Pair(m);
        var dm = m.NewDomain(GuestMode.Hvm64, 2);
        dm.Target = guest;
        Assert.That(SetParam(m, dm.Vcpus[0], 1, P.IoreqPfn, 0x100), Is.EqualTo(0));
        Assert.That(GetParam(m, dm.Vcpus[0], 1, P.IoreqPfn, out ulong v), Is.EqualTo(0));
        Assert.That(v, Is.EqualTo(0x100));
    }

    [Test]
    public void BadArgumentPointerIsEfault()
    {
        using var m = new TestMachine();
        var (dom0, _) = Pair(m);
        Assert.That(m.Call(dom0.Vcpus[0], HypercallNumber.HvmOp, HvmOpCmd.SetParam, Unmapped), Is.EqualTo(-Errno.EFAULT));
        Assert.That(m.Call(dom0.Vcpus[0], HypercallNumber.HvmOp, HvmOpCmd.GetParam, Unmapped), Is.EqualTo(-Errno.EFAULT));
    }

    [TestCase(0UL, 0)]
    [TestCase(3UL, 0)]
    [TestCase(4UL, -Errno.EINVAL)]
    public void TimerModeTakesTheFourHvmptmValues(ulong mode, int rc)
    {
        using var m = new TestMachine();
        var (dom0, guest) = Pair(m);
        Assert.That(SetParam(m, dom0.Vcpus[0], 1, P.TimerMode, mode), Is.EqualTo(rc));
        Assert.That(guest.HvmParams[P.TimerMode], Is.EqualTo(rc == 0 ? mode : 0));
    }

    [TestCase(P.IoreqPfn)]
    [TestCase(P.BufioreqPfn)]
    [TestCase(P.IoreqServerPfn)]
    public void WriteOnceParamsRefuseADifferentSecondValue(uint index)
    {
        using var m = new TestMachine();
        var (dom0, guest) = Pair(m);
        Assert.That(SetParam(m, dom0.Vcpus[0], 1, index, 0x10), Is.EqualTo(0));
        Assert.That(SetParam(m, dom0.Vcpus[0], 1, index, 0x11), Is.EqualTo(-Errno.EEXIST));
        Assert.That(SetParam(m, dom0.Vcpus[0], 1, index, 0x10), Is.EqualTo(0));
        Assert.That(guest.HvmParams[index], Is.EqualTo(0x10));
    }

    [TestCase(P.Viridian, 1UL, -Errno.ENODEV)]
    [TestCase(P.AcpiIoportsLocation, 1UL, -Errno.ENODEV)]
    [TestCase(P.TripleFaultReason, 6UL, -Errno.EINVAL)]
    [TestCase(P.TripleFaultReason, 3UL, 0)]
    [TestCase(P.X87FipWidth, 3UL, -Errno.EINVAL)]
    [TestCase(P.X87FipWidth, 4UL, 0)]
    [TestCase(P.AcpiSState, 2UL, -Errno.EINVAL)]
    [TestCase(P.AcpiSState, 3UL, 0)]
    [TestCase(P.McaCap, 1UL, -Errno.EINVAL)]
    [TestCase(P.McaCap, 0UL, 0)]
    [TestCase(P.NrIoreqServerPages, 0UL, -Errno.EINVAL)]
    [TestCase(P.NrIoreqServerPages, 65UL, -Errno.EINVAL)]
    [TestCase(P.NrIoreqServerPages, 8UL, 0)]
    [TestCase(P.IdentPt, 0xFEFFC000UL, 0)]
    public void ValuesAreCheckedPerParam(uint index, ulong value, int rc)
    {
        using var m = new TestMachine();
        var (dom0, guest) = Pair(m);
        Assert.That(SetParam(m, dom0.Vcpus[0], 1, index, value), Is.EqualTo(rc));
        if (rc == 0) Assert.That(guest.HvmParams[index], Is.EqualTo(value));
    }

    [Test]
    public void TripleFaultReasonDefaultsToReboot()
    {
        using var m = new TestMachine();
        var (dom0, _) = Pair(m);
        Assert.That(GetParam(m, dom0.Vcpus[0], 1, P.TripleFaultReason, out ulong reason), Is.EqualTo(0));
        Assert.That(reason, Is.EqualTo((ulong)ShutdownReason.Reboot));
    }

    [Test]
    public void Vm86TssIsStoredSizedWith128Bytes()
    {
        using var m = new TestMachine();
        var (_, guest) = Pair(m);
        var v = guest.Vcpus[0];
        Assert.That(SetParam(m, v, DomainIds.Self, P.Vm86Tss, 0x1000), Is.EqualTo(0));
        Assert.That(GetParam(m, v, DomainIds.Self, P.Vm86Tss, out ulong tss), Is.EqualTo(0));
        Assert.That(tss, Is.EqualTo(0x1000));
        Assert.That(GetParam(m, v, DomainIds.Self, P.Vm86TssSized, out ulong sized), Is.EqualTo(0));
        Assert.That(sized, Is.EqualTo((128UL << 32) | 0x1000));
    }

    [Test]
    public void Vm86TssSizedIsCappedAndMustHoldATss()
    {
        using var m = new TestMachine();
        var (dom0, _) = Pair(m);
        var v = dom0.Vcpus[0];
        Assert.That(SetParam(m, v, 1, P.Vm86TssSized, (100UL << 32) | 0x2000), Is.EqualTo(-Errno.EINVAL));
        Assert.That(SetParam(m, v, 1, P.Vm86TssSized, (0x10000UL << 32) | 0x2000), Is.EqualTo(0));
        Assert.That(GetParam(m, v, 1, P.Vm86TssSized, out ulong sized), Is.EqualTo(0));
        Assert.That(sized, Is.EqualTo(((104UL + 32 + 8192 + 1) << 32) | 0x2000));
    }

    [Test]
    public void AGuestGivingItselfAnOversizedVm86TssIsCrashed()
    {
        using var m = new TestMachine();
        var (_, guest) = Pair(m);
        Assert.That(SetParam(m, guest.Vcpus[0], DomainIds.Self, P.Vm86Tss, 1UL << 32), Is.EqualTo(-Errno.EINVAL));
        Assert.That(guest.IsShutdown, Is.True);
        Assert.That(guest.ShutdownCode, Is.EqualTo((uint)ShutdownReason.Crash));
    }

    [Test]
    public void CallbackIrqVectorRoutesUpcallsAndLatchesTheGuestsMode()
    {
        using var m = new TestMachine();
        var guest = m.NewDomain(GuestMode.Hvm64, 1);
        var v = guest.Vcpus[0];
        v.Mode = GuestMode.Hvm32;
        ulong via = (HvmParam.CallbackTypeVector << HvmParam.CallbackTypeShift) | 0xF3;
        Assert.That(SetParam(m, v, DomainIds.Self, P.CallbackIrq, via), Is.EqualTo(0));
        Assert.That(guest.Events.Via, Is.EqualTo(CallbackVia.Vector));
        Assert.That(guest.Events.ViaValue, Is.EqualTo(0xF3));
        Assert.That(guest.SharedInfo.Layout, Is.EqualTo(SharedLayout.X86_32));
        Assert.That(GetParam(m, v, DomainIds.Self, P.CallbackIrq, out ulong back), Is.EqualTo(0));
        Assert.That(back, Is.EqualTo(via));
    }

    [Test]
    public void CallbackIrqSetByTheToolstackKeepsTheGuestsLayout()
    {
        using var m = new TestMachine();
        var dom0 = m.NewDomain(GuestMode.Hvm64, 0);
        dom0.Vcpus[0].Mode = GuestMode.Hvm32;
        var guest = m.NewDomain(GuestMode.Hvm64, 1);
        var before = guest.SharedInfo.Layout;
        Assert.That(SetParam(m, dom0.Vcpus[0], 1, P.CallbackIrq, 5), Is.EqualTo(0));
        Assert.That(guest.Events.Via, Is.EqualTo(CallbackVia.Gsi));
        Assert.That(guest.SharedInfo.Layout, Is.EqualTo(before));
    }

    [Test]
    public void ThirtyTwoBitCallersUseTheSameStruct()
    {
        using var m = new TestMachine();
        var (dom0, guest) = Pair(m, GuestMode.Hvm32);
        Assert.That(SetParam(m, dom0.Vcpus[0], 1, P.ConsolePfn, 0x1234), Is.EqualTo(0));
        Assert.That(GetParam(m, guest.Vcpus[0], DomainIds.Self, P.ConsolePfn, out ulong pfn), Is.EqualTo(0));
        Assert.That(pfn, Is.EqualTo(0x1234));
    }

    [Test]
    public void APvToolstackSetsAnHvmGuestsParams()
    {
        using var m = new TestMachine();
        var dom0 = m.NewDomain(GuestMode.Pv64, 0);
        var guest = m.NewDomain(GuestMode.Hvm64, 1);
        Assert.That(SetParam(m, dom0.Vcpus[0], 1, P.StorePfn, 0x77), Is.EqualTo(0));
        Assert.That(guest.HvmParams[P.StorePfn], Is.EqualTo(0x77));
    }
}

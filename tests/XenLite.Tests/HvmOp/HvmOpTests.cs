using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Tests.Harness;
using static XenLite.Tests.HvmOp.HvmOpRig;

namespace XenLite.Tests.HvmOp;

/// <summary>The other x86 hvm_op sub-ops.</summary>
[Category("hvm_op")]
public class HvmOpTests
{
    static long Op(TestMachine m, Vcpu v, int op, ulong arg) => m.Call(v, HypercallNumber.HvmOp, (ulong)op, arg);

    [Test]
    public void UpcallVectorIsSetPerVcpu()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Hvm64, 1, vcpus: 2);
        m.PokeStruct(d, ArgGpa, new XenHvmEvtchnUpcallVector { Vcpu = 1, Vector = 0xF3 });
        Assert.That(Op(m, d.Vcpus[0], HvmOpCmd.SetEvtchnUpcallVector, ArgGpa), Is.EqualTo(0));
        Assert.That(d.Vcpus[1].Events.UpcallVector, Is.EqualTo(0xF3));
        Assert.That(d.Vcpus[0].Events.UpcallVector, Is.EqualTo(0));
    }

    [TestCase(0u, (byte)0x0F, -Errno.EINVAL)]
    [TestCase(2u, (byte)0x10, -Errno.ENOENT)]
    [TestCase(0u, (byte)0x10, 0)]
    public void UpcallVectorChecksVectorThenVcpu(uint vcpu, byte vector, int rc)
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Hvm32, 1, vcpus: 2);
        m.PokeStruct(d, ArgGpa, new XenHvmEvtchnUpcallVector { Vcpu = vcpu, Vector = vector });
        Assert.That(Op(m, d.Vcpus[0], HvmOpCmd.SetEvtchnUpcallVector, ArgGpa), Is.EqualTo(rc));
    }

    [Test]
    public void UpcallVectorIsEinvalForPvBeforeReadingAndEfaultOnABadPointer()
    {
        using var m = new TestMachine();
        var pv = m.NewDomain(GuestMode.Pv64, 1);
        Assert.That(Op(m, pv.Vcpus[0], HvmOpCmd.SetEvtchnUpcallVector, Unmapped), Is.EqualTo(-Errno.EINVAL));
        var hvm = m.NewDomain(GuestMode.Hvm64, 2);
        Assert.That(Op(m, hvm.Vcpus[0], HvmOpCmd.SetEvtchnUpcallVector, Unmapped), Is.EqualTo(-Errno.EFAULT));
    }

    [TestCase(GuestMode.Hvm64)]
    [TestCase(GuestMode.Hvm32)]
    [TestCase(GuestMode.Pv64)]
    [TestCase(GuestMode.Pv32)]
    public void GetTimeIsSystemTime(GuestMode mode)
    {
        using var m = new TestMachine();
        var d = m.NewDomain(mode, 1);
        m.Platform.Now = 123_456_789;
        Assert.That(Op(m, d.Vcpus[0], HvmOpCmd.GetTime, TestMachine.GuestAddr(d, ArgGpa)), Is.EqualTo(0));
        Assert.That(m.PeekStruct<XenHvmGetTime>(d, ArgGpa).Now, Is.EqualTo(123_456_789UL));
        Assert.That(Op(m, d.Vcpus[0], HvmOpCmd.GetTime, Unmapped), Is.EqualTo(-Errno.EFAULT));
    }

    [Test]
    public void FlushTlbsWantsANullArgumentFromAnHvmGuest()
    {
        using var m = new TestMachine();
        var hvm = m.NewDomain(GuestMode.Hvm64, 1);
        var pv = m.NewDomain(GuestMode.Pv64, 2);
        Assert.That(Op(m, hvm.Vcpus[0], HvmOpCmd.FlushTlbs, 0), Is.EqualTo(0));
        Assert.That(Op(m, hvm.Vcpus[0], HvmOpCmd.FlushTlbs, ArgGpa), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Op(m, pv.Vcpus[0], HvmOpCmd.FlushTlbs, 0), Is.EqualTo(-Errno.EINVAL));
    }

    [Test]
    public void PagetableDyingIsOnlyAboutOneselfAndNeedsShadowPaging()
    {
        using var m = new TestMachine();
        var (dom0, guest) = Pair(m);
        m.PokeStruct(guest, ArgGpa, new XenHvmPagetableDying { DomId = (ushort)DomainIds.Self, Gpa = 0x1000 });
        Assert.That(Op(m, guest.Vcpus[0], HvmOpCmd.PagetableDying, ArgGpa), Is.EqualTo(-Errno.EINVAL));
        m.PokeStruct(dom0, ArgGpa, new XenHvmPagetableDying { DomId = 1 });
        Assert.That(Op(m, dom0.Vcpus[0], HvmOpCmd.PagetableDying, ArgGpa), Is.EqualTo(-Errno.EOPNOTSUPP));
        m.PokeStruct(dom0, ArgGpa, new XenHvmPagetableDying { DomId = 9 });
        Assert.That(Op(m, dom0.Vcpus[0], HvmOpCmd.PagetableDying, ArgGpa), Is.EqualTo(-Errno.ESRCH));
        Assert.That(Op(m, dom0.Vcpus[0], HvmOpCmd.PagetableDying, Unmapped), Is.EqualTo(-Errno.EFAULT));
    }

    [TestCase((ushort)0x0123, (ushort)8, 0)]
    [TestCase((ushort)0x0123, (ushort)6, -Errno.EINVAL)]
    [TestCase((ushort)0x0123, (ushort)32, -Errno.EINVAL)]
    [TestCase((ushort)0x1000, (ushort)0, -Errno.EINVAL)]
    public void XentraceRecordsAreValidated(ushort ev, ushort extra, int rc)
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Hvm64, 1);
        m.PokeStruct(d, ArgGpa, new XenHvmXentrace { Event = ev, ExtraBytes = extra });
        Assert.That(Op(m, d.Vcpus[0], HvmOpCmd.Xentrace, ArgGpa), Is.EqualTo(rc));
    }

    [Test]
    public void GetMemTypeTellsRamFromHoles()
    {
        using var m = new TestMachine();
        var (dom0, guest) = Pair(m);
        m.PokeStruct(dom0, ArgGpa, new XenHvmGetMemType { DomId = 1, Pfn = 3 });
        Assert.That(Op(m, dom0.Vcpus[0], HvmOpCmd.GetMemType, ArgGpa), Is.EqualTo(0));
        Assert.That(m.PeekStruct<XenHvmGetMemType>(dom0, ArgGpa).MemType, Is.EqualTo(HvmMemType.RamRw));
        m.PokeStruct(dom0, ArgGpa, new XenHvmGetMemType { DomId = 1, Pfn = 0x80000 });
        Assert.That(Op(m, dom0.Vcpus[0], HvmOpCmd.GetMemType, ArgGpa), Is.EqualTo(0));
        Assert.That(m.PeekStruct<XenHvmGetMemType>(dom0, ArgGpa).MemType, Is.EqualTo(HvmMemType.MmioDm));
    }

    [Test]
    public void GetMemTypeChecksDomainXsmAndMode()
    {
        using var m = new TestMachine();
        var (_, guest) = Pair(m);
        var pv = m.NewDomain(GuestMode.Pv64, 2);
        m.PokeStruct(guest, ArgGpa, new XenHvmGetMemType { DomId = 2 });
        Assert.That(Op(m, guest.Vcpus[0], HvmOpCmd.GetMemType, ArgGpa), Is.EqualTo(-Errno.EPERM));
        m.PokeStruct(guest, ArgGpa, new XenHvmGetMemType { DomId = 9 });
        Assert.That(Op(m, guest.Vcpus[0], HvmOpCmd.GetMemType, ArgGpa), Is.EqualTo(-Errno.ESRCH));
        var dom0 = m.Hv.Lookup(0);
        m.PokeStruct(dom0, ArgGpa, new XenHvmGetMemType { DomId = 2 });
        Assert.That(Op(m, dom0.Vcpus[0], HvmOpCmd.GetMemType, ArgGpa), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Op(m, dom0.Vcpus[0], HvmOpCmd.GetMemType, Unmapped), Is.EqualTo(-Errno.EFAULT));
    }

    [Test]
    public void VmEventRequestsAltp2mAndUnknownOps()
    {
        using var m = new TestMachine();
        var v = m.NewDomain(GuestMode.Hvm64, 1).Vcpus[0];
        Assert.That(Op(m, v, HvmOpCmd.GuestRequestVmEvent, 0), Is.EqualTo(0));
        Assert.That(Op(m, v, HvmOpCmd.GuestRequestVmEvent, ArgGpa), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Op(m, v, HvmOpCmd.Altp2m, ArgGpa), Is.EqualTo(-Errno.EOPNOTSUPP));
        Assert.That(Op(m, v, HvmOpCmd.SetPciIntxLevel, ArgGpa), Is.EqualTo(-Errno.ENOSYS));
        Assert.That(Op(m, v, HvmOpCmd.SetMemAccess, ArgGpa), Is.EqualTo(-Errno.ENOSYS));
        Assert.That(Op(m, v, 26, ArgGpa), Is.EqualTo(-Errno.ENOSYS));
    }
}

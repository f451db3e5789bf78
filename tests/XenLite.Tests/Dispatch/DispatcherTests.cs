using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Dispatch;
using XenLite.Tests.Harness;

namespace XenLite.Tests.Dispatch;

[Category("dispatch")]
public unsafe class DispatcherTests
{
    static ulong _seen0, _seen4;
    static GuestMode _seenMode;

    static long Echo(Vcpu v, ref HypercallArgs a)
    {
        _seen0 = a[0];
        _seen4 = a[4];
        _seenMode = v.Mode;
        return -1234567890123L;
    }

    static void RegisterEcho(HandlerRegistry r) =>
        r.Add(HypercallNumber.VmAssist, Variant.Do, &Echo);

    [Test]
    public void SixtyFourBitCallersGetFullRegistersAndResult()
    {
        using var m = new TestMachine(RegisterEcho);
        var d = m.NewDomain(GuestMode.Hvm64);
        long rc = m.Call(d.Vcpus[0], HypercallNumber.VmAssist, 0x1234_5678_9ABC_DEF0, 0, 0, 0, 0xFFFF_0000_0000_0001);
        Assert.That(_seen0, Is.EqualTo(0x1234_5678_9ABC_DEF0UL));
        Assert.That(_seen4, Is.EqualTo(0xFFFF_0000_0000_0001UL));
        Assert.That(rc, Is.EqualTo(-1234567890123L));
    }

    [TestCase(GuestMode.Hvm32)]
    [TestCase(GuestMode.Pv32)]
    public void ThirtyTwoBitCallersHaveArgumentsAndResultTruncated(GuestMode mode)
    {
        using var m = new TestMachine(RegisterEcho);
        var d = m.NewDomain(mode);
        var v = d.Vcpus[0];
        v.Regs[X86Reg.Rax] = 0xFFFF_FFFF_0000_0000 | HypercallNumber.VmAssist; // upper half ignored
        v.Regs[X86Reg.Rbx] = 0xAAAA_BBBB_CCCC_DDDD;
        v.Regs[X86Reg.Rdi] = 0x1111_2222_3333_4444;
        Assert.That(m.Hv.Dispatcher.Enter(v), Is.True);
        Assert.That(_seen0, Is.EqualTo(0xCCCC_DDDDUL));
        Assert.That(_seen4, Is.EqualTo(0x3333_4444UL));
        Assert.That(v.Regs[X86Reg.Rax], Is.EqualTo(unchecked((ulong)(uint)(int)-1234567890123L)));
    }

    [Test]
    public void ArmUsesX16AndX0ToX5()
    {
        using var m = new TestMachine(RegisterEcho);
        var d = m.NewDomain(GuestMode.Arm);
        var v = d.Vcpus[0];
        v.Regs[16] = HypercallNumber.VmAssist;
        v.Regs[0] = 77;
        v.Regs[4] = 99;
        m.Hv.Dispatcher.Enter(v);
        Assert.That(_seen0, Is.EqualTo(77UL));
        Assert.That(_seen4, Is.EqualTo(99UL));
        Assert.That(_seenMode, Is.EqualTo(GuestMode.Arm));
        Assert.That((long)v.Regs[0], Is.EqualTo(-1234567890123L));
    }

    [Test]
    public void ACellNotRoutedForTheModeIsEnosysEvenWithAHandler()
    {
        // set_trap_table is "-" for hvm64: a registered handler must not be reachable.
        using var m = new TestMachine(r => r.Add(HypercallNumber.SetTrapTable, Variant.Do | Variant.Compat, &Echo));
        var hvm = m.NewDomain(GuestMode.Hvm64, id: 0);
        var pv = m.NewDomain(GuestMode.Pv64, id: 1);
        Assert.That(m.Call(hvm.Vcpus[0], HypercallNumber.SetTrapTable), Is.EqualTo(-Errno.ENOSYS));
        Assert.That(m.Call(pv.Vcpus[0], HypercallNumber.SetTrapTable), Is.EqualTo(-1234567890123L));
    }

    [Test]
    public void AVariantWithoutAHandlerIsEnosys()
    {
        // physdev_op is "hvm" for hvm64; registering only "do" leaves hvm callers at -ENOSYS.
        using var m = new TestMachine(r => r.Add(HypercallNumber.PhysdevOp, Variant.Do, &Echo));
        var hvm = m.NewDomain(GuestMode.Hvm64, id: 0);
        var pv = m.NewDomain(GuestMode.Pv64, id: 1);
        Assert.That(m.Call(hvm.Vcpus[0], HypercallNumber.PhysdevOp), Is.EqualTo(-Errno.ENOSYS));
        Assert.That(m.Call(pv.Vcpus[0], HypercallNumber.PhysdevOp), Is.EqualTo(-1234567890123L));
    }

    [Test]
    public void PluginRowsAreAbsentUnlessTheFeatureIsBuiltIn()
    {
        using var without = new TestMachine(r => r.Add(HypercallNumber.ArgoOp, Variant.Do | Variant.Compat, &Echo));
        var d = without.NewDomain(GuestMode.Hvm64);
        Assert.That(without.Call(d.Vcpus[0], HypercallNumber.ArgoOp), Is.EqualTo(-Errno.ENOSYS));
        Assert.That(without.Hv.Dispatcher.CellFor(HypercallNumber.ArgoOp, GuestMode.Hvm64).IsRouted, Is.False);

        using var with = new TestMachine(r => r.Add(HypercallNumber.ArgoOp, Variant.Do | Variant.Compat, &Echo), features: Feature.Argo);
        var e = with.NewDomain(GuestMode.Hvm64);
        Assert.That(with.Call(e.Vcpus[0], HypercallNumber.ArgoOp), Is.EqualTo(-1234567890123L));
    }

    [TestCase(64UL)]
    [TestCase(0x1_0000_0011UL)]
    [TestCase(ulong.MaxValue)]
    public void NumbersOutsideTheTableAreEnosys(ulong number)
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Hvm64);
        var v = d.Vcpus[0];
        v.Regs[X86Reg.Rax] = number;
        m.Hv.Dispatcher.Enter(v);
        Assert.That((long)v.Regs[X86Reg.Rax], Is.EqualTo(-Errno.ENOSYS));
    }
}

using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Tests.Harness;

namespace XenLite.Tests.Physdev;

/// <summary>physdev_op_compat (19): the command and its argument in one struct physdev_op.</summary>
[Category("physdev_op_compat")]
public class PhysdevOpCompatTests
{
    const ulong ArgGpa = 0x4000;

    [TestCase(GuestMode.Pv64, 8)]
    [TestCase(GuestMode.Pv32, 4)]
    public void TheArgumentIsTheUnion(GuestMode mode, int unionOffset)
    {
        using var m = new TestMachine();
        var d = m.NewDomain(mode, 1);
        m.PokeStruct(d, ArgGpa, (uint)PhysdevOpCmd.SetIopl);
        m.PokeStruct(d, ArgGpa + (ulong)unionOffset, 2u);
        Assert.That(m.Call(d.Vcpus[0], HypercallNumber.PhysdevOpCompat, TestMachine.GuestAddr(d, ArgGpa)), Is.EqualTo(0));
        Assert.That(d.Physdev.Iopl[0], Is.EqualTo(2));
        m.PokeStruct(d, ArgGpa + (ulong)unionOffset, 9u);
        Assert.That(m.Call(d.Vcpus[0], HypercallNumber.PhysdevOpCompat, TestMachine.GuestAddr(d, ArgGpa)), Is.EqualTo(-Errno.EINVAL));
    }

    [TestCase(GuestMode.Pv64, 24)]
    [TestCase(GuestMode.Pv32, 16)]
    public void TheWholeStructMustBeReadable(GuestMode mode, int size)
    {
        using var m = new TestMachine();
        var d = m.NewDomain(mode, 1);
        ulong gpa = 60 * 4096 - (ulong)size + 1; // the harness maps a PV guest's first 60 of 64 frames
        m.PokeStruct(d, gpa, (uint)PhysdevOpCmd.IrqUnmaskNotify);
        Assert.That(m.Call(d.Vcpus[0], HypercallNumber.PhysdevOpCompat, TestMachine.GuestAddr(d, gpa)), Is.EqualTo(-Errno.EFAULT));
        gpa--;
        m.PokeStruct(d, gpa, (uint)PhysdevOpCmd.IrqUnmaskNotify);
        Assert.That(m.Call(d.Vcpus[0], HypercallNumber.PhysdevOpCompat, TestMachine.GuestAddr(d, gpa)), Is.EqualTo(0));
    }

    [TestCase(GuestMode.Arm)]
    [TestCase(GuestMode.Hvm64)]
    [TestCase(GuestMode.Hvm32)]
    public void OnlyPvGuestsHaveIt(GuestMode mode)
    {
        using var m = new TestMachine();
        var d = m.NewDomain(mode, 1);
        m.PokeStruct(d, ArgGpa, (uint)PhysdevOpCmd.IrqUnmaskNotify);
        Assert.That(m.Call(d.Vcpus[0], HypercallNumber.PhysdevOpCompat, ArgGpa), Is.EqualTo(-Errno.ENOSYS));
    }
}

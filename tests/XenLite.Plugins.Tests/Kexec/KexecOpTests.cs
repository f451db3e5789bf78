using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Dispatch;
using XenLite.Plugin.Kexec;
using XenLite.Tests.Harness;

namespace XenLite.Plugins.Tests.Kexec;

[Category("kexec_op")]
public class KexecOpTests
{
    [TestCase(GuestMode.Pv64)]
    [TestCase(GuestMode.Pv32)]
    public void LeftOutOfTheBuildKexecOpIsEnosys(GuestMode mode)
    {
        using var m = new TestMachine();
        var d = m.NewDomain(mode);
        Assert.That(m.Call(d.Vcpus[0], HypercallNumber.KexecOp, KexecCmd.Status, TestMachine.GuestAddr(d, 0x1000)), Is.EqualTo(-Errno.ENOSYS));
    }

    [Test]
    public void HandlersWithoutTheFeatureStillAnswerEnosys()
    {
        using var m = new TestMachine(KexecPlugin.Register);
        var d = m.NewDomain(GuestMode.Pv64);
        Assert.That(m.Call(d.Vcpus[0], HypercallNumber.KexecOp, KexecCmd.Status, TestMachine.GuestAddr(d, 0x1000)), Is.EqualTo(-Errno.ENOSYS));
    }

    [TestCase(GuestMode.Hvm64)]
    [TestCase(GuestMode.Hvm32)]
    public void HvmCallersAreNotRouted(GuestMode mode)
    {
        using var m = new TestMachine(KexecPlugin.Register, features: Feature.Kexec);
        var d = m.NewDomain(mode);
        Assert.That(m.Call(d.Vcpus[0], HypercallNumber.KexecOp, KexecCmd.Status, 0x1000), Is.EqualTo(-Errno.ENOSYS));
    }

    [TestCase(KexecCmd.Status)]
    [TestCase(KexecCmd.GetRange)]
    [TestCase(KexecCmd.Load)]
    [TestCase(KexecCmd.Exec)]
    [TestCase(7UL)]
    public void UnprivilegedCallersGetEperm(ulong cmd)
    {
        using var rig = new KexecRig();
        var domU = rig.M.NewDomain(GuestMode.Pv64, 1);
        long rc = rig.M.Call(domU.Vcpus[0], HypercallNumber.KexecOp, cmd, TestMachine.GuestAddr(domU, 0x1000));
        Assert.That(rc, Is.EqualTo(-Errno.EPERM));
    }

    [TestCase(KexecCmd.LoadV1)]
    [TestCase(KexecCmd.UnloadV1)]
    [TestCase(7UL)]
    [TestCase(0x1_0000_0004UL)]
    public void UnknownAndRemovedV1CommandsAreEopnotsupp(ulong cmd)
    {
        using var rig = new KexecRig();
        Assert.That(rig.Op(cmd), Is.EqualTo(-Errno.EOPNOTSUPP));
    }

    [Test]
    public void StatusIsZeroUntilLoadedOneAfterAndZeroAfterUnload()
    {
        using var rig = new KexecRig();
        Assert.That(rig.Status(KexecType.Default), Is.EqualTo(0));
        Assert.That(rig.Load(KexecType.Default, 0x100_0000, ElfMachine.X86_64, KexecRig.Seg(0, 0, 0x100_0000, 0x1000)), Is.EqualTo(0));
        Assert.That(rig.Status(KexecType.Default), Is.EqualTo(1));
        Assert.That(rig.Status(KexecType.Crash), Is.EqualTo(0));
        // A second load replaces the first: still loaded (Xen's position bit would say 0 here).
        Assert.That(rig.Load(KexecType.Default, 0x100_0000, ElfMachine.X86_64, KexecRig.Seg(0, 0, 0x100_0000, 0x1000)), Is.EqualTo(0));
        Assert.That(rig.Status(KexecType.Default), Is.EqualTo(1));
        Assert.That(rig.Unload(KexecType.Default), Is.EqualTo(0));
        Assert.That(rig.Status(KexecType.Default), Is.EqualTo(0));
    }

    [TestCase(KexecCmd.Status)]
    [TestCase(KexecCmd.Unload)]
    [TestCase(KexecCmd.Exec)]
    [TestCase(KexecCmd.Load)]
    [TestCase(KexecCmd.GetRange)]
    public void BadArgumentPointerIsEfault(ulong cmd)
    {
        using var rig = new KexecRig();
        Assert.That(rig.OpRaw(cmd, 0xFFFF_8000_0000_1000), Is.EqualTo(-Errno.EFAULT));
    }

    [TestCase(KexecCmd.Status)]
    [TestCase(KexecCmd.Unload)]
    public void UnknownTypeIsEinval(ulong cmd)
    {
        using var rig = new KexecRig();
        rig.M.PokeStruct(rig.Dom0, KexecRig.ArgGpa, new KexecTypeArg { Type = 2 });
        Assert.That(rig.Op(cmd), Is.EqualTo(-Errno.EINVAL));
    }

    [Test]
    public void UnloadingNothingSucceeds()
    {
        using var rig = new KexecRig();
        Assert.That(rig.Unload(KexecType.Crash), Is.EqualTo(0));
        Assert.That(rig.Unload(KexecType.Default), Is.EqualTo(0));
    }

    [TestCase("crashkernel=256M", 256UL << 20)]
    [TestCase("console=com1 crashkernel=64K loglvl=all", 64UL << 10)]
    [TestCase("crashkernel=128", 128UL << 10)]
    [TestCase("crashkernel=2G", 2UL << 30)]
    [TestCase("crashkernel=4096b", 4096UL)]
    [TestCase("crashkernel=", 0UL)]
    [TestCase("crashkernel=12Q", 0UL)]
    [TestCase("xcrashkernel=1M", 0UL)]
    [TestCase("console=com1", 0UL)]
    public void CrashkernelOptionSizes(string cmdline, ulong bytes)
    {
        Assert.That(CrashKernelOption.Parse(cmdline), Is.EqualTo(bytes));
    }
}

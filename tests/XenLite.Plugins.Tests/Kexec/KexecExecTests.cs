using System.Collections.Generic;
using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Plugin.Kexec;
using static XenLite.Plugins.Tests.Kexec.KexecRig;

namespace XenLite.Plugins.Tests.Kexec;

[Category("kexec_op")]
public class KexecExecTests
{
    const ulong Dest = 0x4000_0000;

    [Test]
    public void ExecHandsTheMachineToTheLoadedImage()
    {
        using var rig = new KexecRig();
        var kernel = rig.FillPattern(BufGpa, 0x2000, 0x61);
        var initrd = rig.FillPattern(BufGpa + 0x2000, 0x800, 0x17);
        Assert.That(rig.Load(KexecType.Default, Dest + 0x200, ElfMachine.X86_64,
            Seg(BufGpa, 0x2000, Dest, 0x3000), Seg(BufGpa + 0x2000, 0x800, Dest + 0x8000, 0x1000)), Is.EqualTo(0));
        Assert.That(rig.Exec(KexecType.Default), Is.EqualTo(0));

        var h = rig.Handoff;
        Assert.That(h.Calls, Is.EqualTo(1));
        Assert.That(h.Entry, Is.EqualTo(Dest + 0x200));
        Assert.That(h.Arch, Is.EqualTo(ElfMachine.X86_64));
        Assert.That(h.Control, Is.EqualTo(rig.State.Image(KexecType.Default).ControlPage.ToMaddr().Value));
        // Play the plan the way the relocation code will, and compare with what the segments asked for.
        var machine = Replay(rig, h.Pages);
        var expected = new Dictionary<ulong, byte[]>
        {
            [Dest] = kernel[..0x1000],
            [Dest + 0x1000] = kernel[0x1000..],
            [Dest + 0x2000] = new byte[0x1000],
            [Dest + 0x8000] = Pad(initrd),
        };
        Assert.That(machine, Is.EquivalentTo(expected));
    }

    [Test]
    public void AfterExecImagesCanNoLongerChange()
    {
        using var rig = new KexecRig();
        Assert.That(rig.Load(KexecType.Default, Dest, ElfMachine.X86_64, Seg(0, 0, Dest, 0x1000)), Is.EqualTo(0));
        Assert.That(rig.Exec(KexecType.Default), Is.EqualTo(0));
        Assert.That(rig.Load(KexecType.Default, Dest, ElfMachine.X86_64, Seg(0, 0, Dest, 0x1000)), Is.EqualTo(-Errno.EBUSY));
        Assert.That(rig.Unload(KexecType.Default), Is.EqualTo(-Errno.EBUSY));
        Assert.That(rig.Exec(KexecType.Default), Is.EqualTo(-Errno.EBUSY));
        Assert.That(rig.Status(KexecType.Default), Is.EqualTo(1), "status still answers");
        Assert.That(rig.Handoff.Calls, Is.EqualTo(1));
    }

    [Test]
    public void AFailedHandoffIsReportedAndLeavesTheImageUsable()
    {
        using var rig = new KexecRig();
        rig.Handoff.Result = -Errno.EIO;
        Assert.That(rig.Load(KexecType.Default, Dest, ElfMachine.X86_64, Seg(0, 0, Dest, 0x1000)), Is.EqualTo(0));
        Assert.That(rig.Exec(KexecType.Default), Is.EqualTo(-Errno.EIO));
        Assert.That(rig.Unload(KexecType.Default), Is.EqualTo(0));
    }

    [Test]
    public void ExecWithoutALoadedImageIsEnoent()
    {
        using var rig = new KexecRig();
        Assert.That(rig.Exec(KexecType.Default), Is.EqualTo(-Errno.ENOENT));
        Assert.That(rig.Exec(KexecType.Crash), Is.EqualTo(-Errno.ENOENT));
        Assert.That(rig.Handoff.Calls, Is.EqualTo(0));
    }

    [TestCase(2)]
    [TestCase(-1)]
    public void ExecOfAnUnknownTypeIsEinval(int type)
    {
        using var rig = new KexecRig();
        Assert.That(rig.Exec(type), Is.EqualTo(-Errno.EINVAL));
    }

    [Test]
    public void ExecOnAMachineWithoutHandoffIsEopnotsupp()
    {
        using var rig = new KexecRig(handoff: false);
        Assert.That(rig.Load(KexecType.Default, Dest, ElfMachine.X86_64, Seg(0, 0, Dest, 0x1000)), Is.EqualTo(0));
        Assert.That(rig.Exec(KexecType.Default), Is.EqualTo(-Errno.EOPNOTSUPP));
        Assert.That(rig.Load(KexecType.Default, Dest, ElfMachine.X86_64, Seg(0, 0, Dest, 0x1000)), Is.EqualTo(0), "nothing began");
    }

    static byte[] Pad(byte[] b)
    {
        var r = new byte[0x1000];
        b.CopyTo(r, 0);
        return r;
    }

    static Dictionary<ulong, byte[]> Replay(KexecRig rig, HandoffPage[] plan)
    {
        var machine = new Dictionary<ulong, byte[]>();
        foreach (var p in plan)
        {
            if (p.Source == HandoffPage.ZeroFill)
                for (ulong i = 0; i < p.Pages; i++) machine[p.Dest + i * 0x1000] = new byte[0x1000];
            else
                machine[p.Dest] = rig.MachineBytes(p.Source, 0x1000);
        }
        return machine;
    }
}

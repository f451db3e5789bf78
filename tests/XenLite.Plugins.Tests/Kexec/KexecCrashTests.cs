using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Plugin.Kexec;
using static XenLite.Plugins.Tests.Kexec.KexecRig;

namespace XenLite.Plugins.Tests.Kexec;

[Category("kexec_op")]
public unsafe class KexecCrashTests
{
    static KexecRig WithCrashArea(out ulong start, out ulong size)
    {
        var rig = new KexecRig(cmdline: "crashkernel=64K");
        start = rig.State.CrashStart;
        size = rig.State.CrashSize;
        return rig;
    }

    [Test]
    public void WithoutACrashAreaACrashImageIsEaddrnotavail()
    {
        using var rig = new KexecRig();
        Assert.That(rig.Load(KexecType.Crash, 0x100_0000, ElfMachine.X86_64), Is.EqualTo(-Errno.EADDRNOTAVAIL));
    }

    [Test]
    public void EntryOutsideTheCrashAreaIsEaddrnotavail()
    {
        using var rig = WithCrashArea(out ulong start, out ulong size);
        Assert.That(rig.Load(KexecType.Crash, start - 1, ElfMachine.X86_64), Is.EqualTo(-Errno.EADDRNOTAVAIL));
        Assert.That(rig.Load(KexecType.Crash, start + size + 1, ElfMachine.X86_64), Is.EqualTo(-Errno.EADDRNOTAVAIL));
    }

    [Test]
    public void SourcedSegmentOutsideTheCrashAreaIsEaddrnotavail()
    {
        using var rig = WithCrashArea(out ulong start, out ulong size);
        rig.FillPattern(BufGpa, 0x1000, 1);
        Assert.That(rig.Load(KexecType.Crash, start, ElfMachine.X86_64, Seg(BufGpa, 0x1000, start + size - 0x1000, 0x2000)),
            Is.EqualTo(-Errno.EADDRNOTAVAIL));
    }

    [Test]
    public void SegmentsWithoutSourceMayLieOutsideTheArea()
    {
        using var rig = WithCrashArea(out ulong start, out _);
        Assert.That(rig.Load(KexecType.Crash, start, ElfMachine.X86_64, Seg(0, 0, 0x4000_0000, 0x1000)), Is.EqualTo(0));
    }

    [Test]
    public void CrashImageIsCopiedInPlaceWithItsTailZeroedAndNoFramesTaken()
    {
        using var rig = WithCrashArea(out ulong start, out _);
        // Dirty the area first so zeroing is visible.
        for (int i = 0; i < 0x3000; i++) rig.M.Hv.Memory.Map(new XenLite.Hv.Common.Memory.Maddr(start + (ulong)i).Frame)[(start + (ulong)i) & 0xFFF] = 0xEE;
        var kernel = rig.FillPattern(BufGpa, 0x1200, 0x30);
        ulong free = rig.M.Hv.Memory.FreeFrames;
        Assert.That(rig.Load(KexecType.Crash, start + 0x10, ElfMachine.X86_64, Seg(BufGpa, 0x1200, start, 0x3000)), Is.EqualTo(0));
        Assert.That(rig.M.Hv.Memory.FreeFrames, Is.EqualTo(free));
        Assert.That(rig.MachineBytes(start, 0x1200), Is.EqualTo(kernel));
        Assert.That(rig.MachineBytes(start + 0x1200, 0x1E00), Is.EqualTo(new byte[0x1E00]));
        Assert.That(rig.Status(KexecType.Crash), Is.EqualTo(1));
        var image = rig.State.Image(KexecType.Crash);
        Assert.That(image.ControlPage.ToMaddr().Value, Is.EqualTo(start + 0x3000), "first hole after the segment");
        Assert.That(image.PlanCount, Is.EqualTo(0), "nothing to move at exec");
    }

    [Test]
    public void NoHoleForTheControlPageIsEnomem()
    {
        using var rig = WithCrashArea(out ulong start, out ulong size);
        Assert.That(rig.Load(KexecType.Crash, start, ElfMachine.X86_64, Seg(0, 0, start, size)), Is.EqualTo(-Errno.ENOMEM));
    }

    [Test]
    public void UnreadableCrashBufferIsEfault()
    {
        using var rig = WithCrashArea(out ulong start, out _);
        Assert.That(rig.Load(KexecType.Crash, start, ElfMachine.X86_64, Seg(0x7F000, 0x3000, start, 0x3000)), Is.EqualTo(-Errno.EFAULT));
        Assert.That(rig.Status(KexecType.Crash), Is.EqualTo(0));
    }

    [Test]
    public void ExecOfTheCrashImageJumpsToItsEntryWithNothingToCopy()
    {
        using var rig = WithCrashArea(out ulong start, out _);
        Assert.That(rig.Load(KexecType.Crash, start + 0x40, ElfMachine.X86_64, Seg(0, 0, start, 0x1000)), Is.EqualTo(0));
        Assert.That(rig.Exec(KexecType.Crash), Is.EqualTo(0));
        Assert.That(rig.Handoff.Calls, Is.EqualTo(1));
        Assert.That(rig.Handoff.Entry, Is.EqualTo(start + 0x40));
        Assert.That(rig.Handoff.Pages, Is.Empty);
        Assert.That(rig.Handoff.Control, Is.EqualTo(start + 0x1000));
    }

    [Test]
    public void UnloadingTheCrashImageLeavesTheAreaReserved()
    {
        using var rig = WithCrashArea(out ulong start, out ulong size);
        Assert.That(rig.Load(KexecType.Crash, start, ElfMachine.X86_64, Seg(0, 0, start, 0x1000)), Is.EqualTo(0));
        Assert.That(rig.Unload(KexecType.Crash), Is.EqualTo(0));
        Assert.That(rig.Status(KexecType.Crash), Is.EqualTo(0));
        Assert.That(rig.Range(KexecRange.Crash, 0, out var r), Is.EqualTo(0));
        Assert.That((r.Start, r.Size), Is.EqualTo((start, size)));
    }
}

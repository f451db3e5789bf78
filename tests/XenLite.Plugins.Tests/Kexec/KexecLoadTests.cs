using System.Linq;
using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;
using XenLite.Plugin.Kexec;
using static XenLite.Plugins.Tests.Kexec.KexecRig;

namespace XenLite.Plugins.Tests.Kexec;

[Category("kexec_op")]
public class KexecLoadTests
{
    const ulong Dest = 0x4000_0000; // outside the simulated RAM: nothing there to collide with
    const ulong Entry = Dest + 0x100;

    [Test]
    public void DefaultImageIsCopiedIntoXenFramesAndPlannedPageByPage()
    {
        using var rig = new KexecRig();
        var kernel = rig.FillPattern(BufGpa, 0x1800, 0x11);      // 1.5 pages into a 4-page segment
        var initrd = rig.FillPattern(BufGpa + 0x2000, 0x1000, 0x55);
        int xenBefore = rig.XenFrames();
        long rc = rig.Load(KexecType.Default, Entry, ElfMachine.X86_64,
            Seg(BufGpa, 0x1800, Dest, 0x4000),
            Seg(BufGpa + 0x2000, 0x1000, Dest + 0x10000, 0x1000),
            Seg(0, 0, Dest + 0x20000, 0x3000));
        Assert.That(rc, Is.EqualTo(0));

        KexecImage image = rig.State.Image(KexecType.Default);
        Assert.That(image.FrameCount, Is.EqualTo(4), "control page + 2 kernel pages + 1 initrd page");
        Assert.That(rig.XenFrames(), Is.EqualTo(xenBefore + 4));
        var plan = image.Plan.Take(image.PlanCount).ToArray();
        Assert.That(plan.Select(p => (p.Dest, p.Source == HandoffPage.ZeroFill, p.Pages)), Is.EqualTo(new[]
        {
            (Dest, false, 1UL), (Dest + 0x1000, false, 1UL), (Dest + 0x2000, true, 2UL),
            (Dest + 0x10000, false, 1UL),
        }));
        Assert.That(rig.MachineBytes(plan[0].Source, 0x1000), Is.EqualTo(kernel[..0x1000]));
        Assert.That(rig.MachineBytes(plan[1].Source, 0x1000), Is.EqualTo(kernel[0x1000..].Concat(new byte[0x800])));
        Assert.That(rig.MachineBytes(plan[3].Source, 0x1000), Is.EqualTo(initrd));
        foreach (var p in plan.Where(p => p.Source != HandoffPage.ZeroFill))
            Assert.That(rig.M.Hv.Memory.OwnerOf(new Maddr(p.Source).Frame), Is.EqualTo((ushort)DomainIds.Xen));
    }

    [Test]
    public void UnloadFreesEveryFrameTheImageHeld()
    {
        using var rig = new KexecRig();
        rig.FillPattern(BufGpa, 0x3000, 1);
        ulong free = rig.M.Hv.Memory.FreeFrames;
        Assert.That(rig.Load(KexecType.Default, Entry, ElfMachine.I386, Seg(BufGpa, 0x3000, Dest, 0x3000)), Is.EqualTo(0));
        Assert.That(rig.M.Hv.Memory.FreeFrames, Is.EqualTo(free - 4));
        Assert.That(rig.Unload(KexecType.Default), Is.EqualTo(0));
        Assert.That(rig.M.Hv.Memory.FreeFrames, Is.EqualTo(free));
    }

    [Test]
    public void ALoadReplacesAndFreesThePreviousImage()
    {
        using var rig = new KexecRig();
        rig.FillPattern(BufGpa, 0x3000, 1);
        ulong free = rig.M.Hv.Memory.FreeFrames;
        Assert.That(rig.Load(KexecType.Default, Entry, ElfMachine.X86_64, Seg(BufGpa, 0x3000, Dest, 0x3000)), Is.EqualTo(0));
        var first = rig.State.Image(KexecType.Default);
        Assert.That(rig.Load(KexecType.Default, Entry, ElfMachine.X86_64, Seg(BufGpa, 0x1000, Dest, 0x1000)), Is.EqualTo(0));
        Assert.That(rig.State.Image(KexecType.Default), Is.Not.SameAs(first));
        Assert.That(rig.M.Hv.Memory.FreeFrames, Is.EqualTo(free - 2));
    }

    [Test]
    public void SourcePagesAreNeverAnotherPagesDestination()
    {
        using var rig = new KexecRig();
        var mem = rig.M.Hv.Memory;
        // The allocator hands out frames after the last one taken: make those the destination.
        Mfn probe = mem.Allocate((ushort)DomainIds.Xen);
        mem.Free(probe);
        ulong next = (probe.Value + 1) << Page.Shift;
        rig.FillPattern(BufGpa, 0x2000, 9);
        ulong free = mem.FreeFrames;
        Assert.That(rig.Load(KexecType.Default, next, ElfMachine.X86_64, Seg(BufGpa, 0x2000, next, 0x8000)), Is.EqualTo(0));
        var image = rig.State.Image(KexecType.Default);
        ulong s = next, e = s + 0x8000;
        ulong control = image.ControlPage.ToMaddr().Value;
        Assert.That(control, Is.EqualTo(e), "the control page skipped the eight destination frames");
        for (int i = 0; i < image.PlanCount; i++)
        {
            var p = image.Plan[i];
            if (p.Source == HandoffPage.ZeroFill) continue;
            Assert.That(p.Source == p.Dest || p.Source < s || p.Source >= e, Is.True, $"source {p.Source:x} for {p.Dest:x}");
        }
        Assert.That(mem.FreeFrames, Is.EqualTo(free - (ulong)image.FrameCount), "frames set aside went back");
    }

    [Test]
    public void FifteenSegmentsAreAllowed()
    {
        using var rig = new KexecRig();
        var segs = Enumerable.Range(0, 15).Select(i => Seg(0, 0, Dest + (ulong)i * 0x1000, 0x1000)).ToArray();
        Assert.That(rig.Load(KexecType.Default, Entry, ElfMachine.X86_64, segs), Is.EqualTo(0));
    }

    [Test]
    public void SixteenSegmentsAreEinval()
    {
        using var rig = new KexecRig();
        var segs = Enumerable.Range(0, 16).Select(i => Seg(0, 0, Dest + (ulong)i * 0x1000, 0x1000)).ToArray();
        Assert.That(rig.Load(KexecType.Default, Entry, ElfMachine.X86_64, segs), Is.EqualTo(-Errno.EINVAL));
    }

    [Test]
    public void BadSegmentArrayPointerIsEfault()
    {
        using var rig = new KexecRig();
        rig.M.PokeStruct(rig.Dom0, ArgGpa, new KexecLoadArg
        {
            Type = KexecType.Default, Arch = ElfMachine.X86_64, NrSegments = 1, Segments = 0xFFFF_8000_0000_0000, EntryMaddr = Entry,
        });
        Assert.That(rig.Op(KexecCmd.Load), Is.EqualTo(-Errno.EFAULT));
    }

    [Test]
    public void UnknownTypeIsEinval()
    {
        using var rig = new KexecRig();
        Assert.That(rig.Load(2, Entry, ElfMachine.X86_64, Seg(0, 0, Dest, 0x1000)), Is.EqualTo(-Errno.EINVAL));
    }

    [TestCase(Dest + 0x800, 0x1000UL)]
    [TestCase(Dest, 0x1800UL)]
    public void UnalignedDestinationIsEaddrnotavail(ulong dest, ulong size)
    {
        using var rig = new KexecRig();
        Assert.That(rig.Load(KexecType.Default, Entry, ElfMachine.X86_64, Seg(0, 0, dest, size)), Is.EqualTo(-Errno.EADDRNOTAVAIL));
    }

    [Test]
    public void OverlappingDestinationsAreEinval()
    {
        using var rig = new KexecRig();
        long rc = rig.Load(KexecType.Default, Entry, ElfMachine.X86_64, Seg(0, 0, Dest, 0x3000), Seg(0, 0, Dest + 0x2000, 0x1000));
        Assert.That(rc, Is.EqualTo(-Errno.EINVAL));
    }

    [Test]
    public void AlignmentIsCheckedBeforeOverlap()
    {
        using var rig = new KexecRig();
        long rc = rig.Load(KexecType.Default, Entry, ElfMachine.X86_64, Seg(0, 0, Dest, 0x3000), Seg(0, 0, Dest + 0x2000, 0x1800));
        Assert.That(rc, Is.EqualTo(-Errno.EADDRNOTAVAIL));
    }

    [Test]
    public void BufferLargerThanDestinationIsEinval()
    {
        using var rig = new KexecRig();
        Assert.That(rig.Load(KexecType.Default, Entry, ElfMachine.X86_64, Seg(BufGpa, 0x1001, Dest, 0x1000)), Is.EqualTo(-Errno.EINVAL));
    }

    [Test]
    public void UnreadableBufferIsEfaultAndLeaksNothing()
    {
        using var rig = new KexecRig();
        rig.FillPattern(BufGpa, 0x1000, 3);
        ulong free = rig.M.Hv.Memory.FreeFrames;
        // The second page of the buffer lies past the guest's mapped RAM.
        ulong lastMapped = 0x70000;
        long rc = rig.Load(KexecType.Default, Entry, ElfMachine.X86_64, Seg(lastMapped, 0x100000, Dest, 0x100000));
        Assert.That(rc, Is.EqualTo(-Errno.EFAULT));
        Assert.That(rig.M.Hv.Memory.FreeFrames, Is.EqualTo(free));
        Assert.That(rig.Status(KexecType.Default), Is.EqualTo(0));
    }

    [TestCase((ushort)40)]  // EM_ARM
    [TestCase((ushort)183)] // EM_AARCH64
    [TestCase((ushort)0)]
    public void NonX86ImagesAreEinvalAfterCopyingAndLeakNothing(ushort arch)
    {
        using var rig = new KexecRig();
        rig.FillPattern(BufGpa, 0x2000, 3);
        ulong free = rig.M.Hv.Memory.FreeFrames;
        Assert.That(rig.Load(KexecType.Default, Entry, arch, Seg(BufGpa, 0x2000, Dest, 0x2000)), Is.EqualTo(-Errno.EINVAL));
        Assert.That(rig.M.Hv.Memory.FreeFrames, Is.EqualTo(free));
    }

    [Test]
    public void AFailedLoadKeepsThePreviousImage()
    {
        using var rig = new KexecRig();
        Assert.That(rig.Load(KexecType.Default, Entry, ElfMachine.X86_64, Seg(0, 0, Dest, 0x1000)), Is.EqualTo(0));
        var loaded = rig.State.Image(KexecType.Default);
        Assert.That(rig.Load(KexecType.Default, Entry, 40, Seg(0, 0, Dest, 0x1000)), Is.EqualTo(-Errno.EINVAL));
        Assert.That(rig.State.Image(KexecType.Default), Is.SameAs(loaded));
    }

    [Test]
    public void OutOfMemoryIsEnomemAndLeaksNothing()
    {
        using var rig = new KexecRig();
        var mem = rig.M.Hv.Memory;
        rig.FillPattern(BufGpa, 0x4000, 3);
        // Leave two free frames: the control page and one source page fit, the second source does not.
        var hog = new System.Collections.Generic.List<Mfn>();
        while (mem.FreeFrames > 2) hog.Add(mem.Allocate(1000));
        Assert.That(rig.Load(KexecType.Default, Entry, ElfMachine.X86_64, Seg(BufGpa, 0x4000, Dest, 0x4000)), Is.EqualTo(-Errno.ENOMEM));
        Assert.That(mem.FreeFrames, Is.EqualTo(2UL));
    }

    [Test]
    public void NoFrameForTheControlPageIsEnomem()
    {
        using var rig = new KexecRig();
        var mem = rig.M.Hv.Memory;
        while (mem.FreeFrames > 0) mem.Allocate(1000);
        Assert.That(rig.Load(KexecType.Default, Entry, ElfMachine.X86_64, Seg(0, 0, Dest, 0x1000)), Is.EqualTo(-Errno.ENOMEM));
    }

    [Test]
    public void CompatCallersLoadWithTheSameLayout()
    {
        using var rig = new KexecRig(GuestMode.Pv32);
        var bytes = rig.FillPattern(BufGpa, 0x1000, 0x42);
        Assert.That(rig.Load(KexecType.Default, Entry, ElfMachine.I386, Seg(BufGpa, 0x1000, Dest, 0x1000)), Is.EqualTo(0));
        var image = rig.State.Image(KexecType.Default);
        Assert.That(rig.MachineBytes(image.Plan[0].Source, 0x1000), Is.EqualTo(bytes));
    }
}

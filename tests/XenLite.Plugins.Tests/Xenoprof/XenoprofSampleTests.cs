using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Plugin.Xenoprof;
using L = XenLite.Plugin.Xenoprof.XenoprofBufLayout;

namespace XenLite.Plugins.Tests.Xenoprof;

[Category("xenoprof_op")]
public unsafe class XenoprofSampleTests
{
    static ulong Eip(XenoprofBuffers b, int vcpu, int slot) => *(ulong*)(b.Buffer(vcpu) + L.EventLog + slot * b.EntrySize);
    static byte Field(XenoprofBuffers b, int vcpu, int slot, int off) => b.Buffer(vcpu)[L.EventLog + slot * b.EntrySize + off];

    [Test]
    public void SamplesLandInTheRingOfTheVcpuThatRan()
    {
        using var rig = new XenoprofRig();
        rig.ToProfiling();
        var v = rig.Dom0.Vcpus[0];
        Assert.That(XenoprofSampler.Sample(v, 0xFFFF_FFFF_8100_1234, XenoprofSampler.ModeKernel, 2), Is.True);
        Assert.That(XenoprofSampler.Sample(v, 0x40_1000, XenoprofSampler.ModeUser, 0), Is.True);
        var b = rig.State.BuffersOf(rig.Dom0);
        Assert.That(rig.BufInt(b, 0, L.EventHead), Is.EqualTo(2));
        Assert.That(Eip(b, 0, 0), Is.EqualTo(0xFFFF_FFFF_8100_1234));
        Assert.That(Field(b, 0, 0, L.EntryMode), Is.EqualTo(1));
        Assert.That(Field(b, 0, 0, L.EntryEvent), Is.EqualTo(2));
        Assert.That(Eip(b, 0, 1), Is.EqualTo(0x40_1000UL));
        Assert.That((rig.BufLong(b, 0, L.KernelSamples), rig.BufLong(b, 0, L.UserSamples)), Is.EqualTo((1UL, 1UL)));
        Assert.That(rig.State.ActiveSamples, Is.EqualTo(2UL));
    }

    [Test]
    public void CompatRingsUseTwelveByteEntries()
    {
        using var rig = new XenoprofRig(GuestMode.Pv32);
        rig.ToProfiling();
        var v = rig.Dom0.Vcpus[0];
        XenoprofSampler.Sample(v, 0x1111, XenoprofSampler.ModeUser, 0);
        XenoprofSampler.Sample(v, 0x2222, XenoprofSampler.ModeUser, 0);
        var b = rig.State.BuffersOf(rig.Dom0);
        Assert.That(*(ulong*)(b.Buffer(0) + L.EventLog + 12), Is.EqualTo(0x2222UL));
    }

    [Test]
    public void NothingIsSampledOutsideProfiling()
    {
        using var rig = new XenoprofRig();
        rig.ToReady();
        Assert.That(XenoprofSampler.Sample(rig.Dom0.Vcpus[0], 0x1000, XenoprofSampler.ModeUser, 0), Is.False);
        Assert.That(rig.State.TotalSamples, Is.EqualTo(0UL));
    }

    [Test]
    public void SamplesOfUnprofiledDomainsAreCountedAsOthers()
    {
        using var rig = new XenoprofRig();
        rig.ToProfiling();
        Assert.That(XenoprofSampler.Sample(rig.DomU.Vcpus[1], 0x1000, XenoprofSampler.ModeUser, 0), Is.False);
        Assert.That((rig.State.TotalSamples, rig.State.OthersSamples), Is.EqualTo((1UL, 1UL)));
    }

    [Test]
    public void AFullRingLosesSamples()
    {
        using var rig = new XenoprofRig();
        rig.ToProfiling(maxSamples: 4);
        var v = rig.Dom0.Vcpus[0];
        for (int i = 0; i < 3; i++) Assert.That(XenoprofSampler.Sample(v, (ulong)i, XenoprofSampler.ModeUser, 0), Is.True);
        Assert.That(XenoprofSampler.Sample(v, 9, XenoprofSampler.ModeUser, 0), Is.False, "one slot stays empty");
        var b = rig.State.BuffersOf(rig.Dom0);
        Assert.That(rig.BufLong(b, 0, L.LostSamples), Is.EqualTo(1UL));
        // The guest consumes two: room again, and the head wraps.
        *(int*)(b.Buffer(0) + L.EventTail) = 2;
        Assert.That(XenoprofSampler.Sample(v, 10, XenoprofSampler.ModeUser, 0), Is.True);
        Assert.That(XenoprofSampler.Sample(v, 11, XenoprofSampler.ModeUser, 0), Is.True);
        Assert.That(rig.BufInt(b, 0, L.EventHead), Is.EqualTo(1));
        Assert.That(Eip(b, 0, 0), Is.EqualTo(11UL));
    }

    [TestCase(L.EventHead, 4)]
    [TestCase(L.EventHead, -1)]
    [TestCase(L.EventTail, 1000)]
    public void ScribbledRingIndexesAreRefused(int field, int value)
    {
        using var rig = new XenoprofRig();
        rig.ToProfiling(maxSamples: 4);
        var b = rig.State.BuffersOf(rig.Dom0);
        *(int*)(b.Buffer(0) + field) = value;
        Assert.That(XenoprofSampler.Sample(rig.Dom0.Vcpus[0], 1, XenoprofSampler.ModeUser, 0), Is.False);
        Assert.That(rig.State.CorruptedBufferSamples, Is.EqualTo(1UL));
    }

    [Test]
    public void WithBacktracesASampleIsPrecededByTheEscape()
    {
        using var rig = new XenoprofRig();
        rig.ToReady();
        rig.M.PokeStruct(rig.Dom0, XenoprofRig.ArgGpa, 4UL);
        Assert.That(rig.Op(XenoprofCmd.SetBacktrace), Is.EqualTo(0));
        Assert.That(rig.Op(XenoprofCmd.EnableVirq), Is.EqualTo(0));
        Assert.That(rig.Op(XenoprofCmd.Start), Is.EqualTo(0));
        var v = rig.Dom0.Vcpus[0];
        Assert.That(XenoprofSampler.Sample(v, 0x5000, XenoprofSampler.ModeKernel, 1), Is.True);
        Assert.That(XenoprofSampler.AddTrace(v, 0x4000, XenoprofSampler.ModeKernel), Is.True);
        Assert.That(XenoprofSampler.AddTrace(v, XenoprofLimits.EscapeCode, XenoprofSampler.ModeKernel), Is.False);
        var b = rig.State.BuffersOf(rig.Dom0);
        Assert.That(Eip(b, 0, 0), Is.EqualTo(XenoprofLimits.EscapeCode));
        Assert.That(Field(b, 0, 0, L.EntryEvent), Is.EqualTo(XenoprofLimits.TraceBegin));
        Assert.That(Eip(b, 0, 1), Is.EqualTo(0x5000UL));
        Assert.That(Eip(b, 0, 2), Is.EqualTo(0x4000UL));
        Assert.That(rig.State.InvalidBufferSamples, Is.EqualTo(1UL));
    }

    [Test]
    public void GuestSamplesRaiseVirqXenoprofButHypervisorSamplesDoNot()
    {
        using var rig = new XenoprofRig();
        uint port = rig.BindXenoprofVirq(rig.Dom0, 0);
        rig.ToProfiling();
        var v = rig.Dom0.Vcpus[0];
        XenoprofSampler.Sample(v, 0x1000, XenoprofSampler.ModeXen, 0);
        Assert.That(rig.Dom0.Events.IsPending(port), Is.False);
        XenoprofSampler.Sample(v, 0x1000, XenoprofSampler.ModeKernel, 0);
        Assert.That(rig.Dom0.Events.IsPending(port), Is.True);
    }

    [Test]
    public void EnableVirqByThePrimaryEmptiesRingsAndStatistics()
    {
        using var rig = new XenoprofRig();
        rig.ToProfiling();
        XenoprofSampler.Sample(rig.Dom0.Vcpus[0], 0x1000, XenoprofSampler.ModeUser, 0);
        Assert.That(rig.Op(XenoprofCmd.Stop), Is.EqualTo(0));
        Assert.That(rig.Op(XenoprofCmd.EnableVirq), Is.EqualTo(0), "Ready again after stop");
        var b = rig.State.BuffersOf(rig.Dom0);
        Assert.That(rig.BufInt(b, 0, L.EventHead), Is.EqualTo(0));
        Assert.That(rig.State.TotalSamples, Is.EqualTo(0UL));
    }
}

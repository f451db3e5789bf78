using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Plugin.Xenoprof;

namespace XenLite.Plugins.Tests.Xenoprof;

[Category("xenoprof_op")]
public class XenoprofStateMachineTests
{
    [Test]
    public void AFullSessionWalksThePhasesAndDrivesThePmu()
    {
        using var rig = new XenoprofRig();
        rig.ToProfiling();
        Assert.That(rig.State.Phase, Is.EqualTo(XenoprofPhase.Profiling));
        Assert.That(rig.Op(XenoprofCmd.Stop), Is.EqualTo(0));
        Assert.That(rig.State.Phase, Is.EqualTo(XenoprofPhase.Ready));
        Assert.That(rig.Op(XenoprofCmd.DisableVirq), Is.EqualTo(0));
        Assert.That(rig.Op(XenoprofCmd.ReleaseCounters), Is.EqualTo(0));
        Assert.That(rig.State.Phase, Is.EqualTo(XenoprofPhase.Initialized));
        Assert.That(rig.Op(XenoprofCmd.Shutdown), Is.EqualTo(0));
        Assert.That(rig.State.PrimaryProfiler, Is.Null);
        Assert.That(rig.Pmu.Calls, Is.EqualTo(new[] { "reserve", "setup", "enable", "start", "stop", "release", "disable" }));
    }

    [Test]
    public void CountersReachThePmuAtSetup()
    {
        using var rig = new XenoprofRig();
        Assert.That(rig.Init(rig.Dom0), Is.EqualTo(0));
        Assert.That(rig.GetBuffer(rig.Dom0, 8, out _), Is.EqualTo(0));
        Assert.That(rig.SetActive(0), Is.EqualTo(0));
        Assert.That(rig.Op(XenoprofCmd.ReserveCounters), Is.EqualTo(0));
        Assert.That(rig.Counter(3, 250_000, 0xC0), Is.EqualTo(0));
        rig.M.PokeStruct(rig.Dom0, XenoprofRig.ArgGpa, new XenoprofIbsCounterArg { OpEnabled = 1, MaxCntOp = 0x4000, RandEn = 1 });
        Assert.That(rig.Op(XenoprofCmd.IbsCounter), Is.EqualTo(0));
        Assert.That(rig.Op(XenoprofCmd.SetupEvents), Is.EqualTo(0));
        var c = rig.Pmu.Programmed[3];
        Assert.That((c.Count, c.Enabled, c.Event, c.Kernel, c.User, c.UnitMask), Is.EqualTo((250_000UL, 1u, 0xC0u, 1u, 1u, 3UL)));
        Assert.That((rig.Pmu.ProgrammedIbs.OpEnabled, rig.Pmu.ProgrammedIbs.MaxCntOp, rig.Pmu.ProgrammedIbs.RandEn), Is.EqualTo((1UL, 0x4000UL, 1UL)));
    }

    [Test]
    public void CompatCountersUseThePackedLayout()
    {
        using var rig = new XenoprofRig(XenLite.Hv.Abi.GuestMode.Pv32);
        Assert.That(rig.Init(rig.Dom0), Is.EqualTo(0));
        Assert.That(rig.SetActive(0), Is.EqualTo(0));
        Assert.That(rig.Op(XenoprofCmd.ReserveCounters), Is.EqualTo(0));
        rig.M.PokeStruct(rig.Dom0, XenoprofRig.ArgGpa, new XenoprofCounterArgCompat { Ind = 1, Count = 0x1_2345_6789, Enabled = 1, Event = 0x3C, User = 1, UnitMask = 7 });
        Assert.That(rig.Op(XenoprofCmd.Counter), Is.EqualTo(0));
        var c = rig.State.Counters[1];
        Assert.That((c.Count, c.Event, c.User, c.Kernel, c.UnitMask), Is.EqualTo((0x1_2345_6789UL, 0x3Cu, 1u, 0u, 7UL)));
    }

    [TestCase(8u)]
    [TestCase(uint.MaxValue)]
    public void CounterIndexBeyondTheModelIsE2big(uint ind)
    {
        using var rig = new XenoprofRig();
        Assert.That(rig.Init(rig.Dom0), Is.EqualTo(0));
        Assert.That(rig.SetActive(0), Is.EqualTo(0));
        Assert.That(rig.Op(XenoprofCmd.ReserveCounters), Is.EqualTo(0));
        Assert.That(rig.Counter(ind), Is.EqualTo(-Errno.E2BIG));
    }

    // Each op refused in the phase just after init (state Initialized).
    [TestCase(XenoprofCmd.Counter)]
    [TestCase(XenoprofCmd.SetupEvents)]
    [TestCase(XenoprofCmd.Start)]
    [TestCase(XenoprofCmd.Stop)]
    [TestCase(XenoprofCmd.ReleaseCounters)]
    [TestCase(XenoprofCmd.IbsCounter)]
    [TestCase(XenoprofCmd.EnableVirq)]
    public void OpsOutOfPhaseAfterInitAreEperm(int op)
    {
        using var rig = new XenoprofRig();
        Assert.That(rig.Init(rig.Dom0), Is.EqualTo(0));
        Assert.That(rig.SetActive(0), Is.EqualTo(0));
        Assert.That(rig.Op(op), Is.EqualTo(-Errno.EPERM));
        Assert.That(rig.State.Phase, Is.EqualTo(XenoprofPhase.Initialized));
    }

    // Each op refused once the counters are reserved.
    [TestCase(XenoprofCmd.SetActive)]
    [TestCase(XenoprofCmd.SetPassive)]
    [TestCase(XenoprofCmd.ReserveCounters)]
    [TestCase(XenoprofCmd.Start)]
    [TestCase(XenoprofCmd.Stop)]
    [TestCase(XenoprofCmd.Shutdown)]
    public void OpsOutOfPhaseWithCountersReservedAreEperm(int op)
    {
        using var rig = new XenoprofRig();
        Assert.That(rig.Init(rig.Dom0), Is.EqualTo(0));
        Assert.That(rig.SetActive(0), Is.EqualTo(0));
        Assert.That(rig.Op(XenoprofCmd.ReserveCounters), Is.EqualTo(0));
        rig.M.PokeStruct(rig.Dom0, XenoprofRig.ArgGpa, (ushort)0);
        Assert.That(rig.Op(op), Is.EqualTo(-Errno.EPERM));
        Assert.That(rig.State.Phase, Is.EqualTo(XenoprofPhase.CountersReserved));
    }

    [TestCase(XenoprofCmd.Counter)]
    [TestCase(XenoprofCmd.IbsCounter)]
    public void CountersNeedAnActiveDomainListed(int op)
    {
        using var rig = new XenoprofRig();
        Assert.That(rig.Init(rig.Dom0), Is.EqualTo(0));
        Assert.That(rig.Op(XenoprofCmd.ReserveCounters), Is.EqualTo(0));
        Assert.That(rig.Op(op), Is.EqualTo(-Errno.EPERM));
    }

    [Test]
    public void ReleaseAndShutdownWhileProfilingAreEperm()
    {
        using var rig = new XenoprofRig();
        rig.ToProfiling();
        Assert.That(rig.Op(XenoprofCmd.ReleaseCounters), Is.EqualTo(-Errno.EPERM));
        Assert.That(rig.Op(XenoprofCmd.Shutdown), Is.EqualTo(-Errno.EPERM));
        Assert.That(rig.Op(XenoprofCmd.Start), Is.EqualTo(-Errno.EPERM));
        Assert.That(rig.Op(XenoprofCmd.DisableVirq), Is.EqualTo(-Errno.EPERM), "an active domain cannot leave while profiling");
    }

    [Test]
    public void ReserveFailureFromThePmuKeepsThePhase()
    {
        using var rig = new XenoprofRig();
        rig.Pmu.ReserveResult = -Errno.EBUSY;
        Assert.That(rig.Init(rig.Dom0), Is.EqualTo(0));
        Assert.That(rig.Op(XenoprofCmd.ReserveCounters), Is.EqualTo(-Errno.EBUSY));
        Assert.That(rig.State.Phase, Is.EqualTo(XenoprofPhase.Initialized));
    }

    [Test]
    public void StartFailureFromThePmuKeepsReady()
    {
        using var rig = new XenoprofRig();
        rig.ToReady();
        Assert.That(rig.Op(XenoprofCmd.EnableVirq), Is.EqualTo(0));
        rig.Pmu.StartResult = -Errno.EIO;
        Assert.That(rig.Op(XenoprofCmd.Start), Is.EqualTo(-Errno.EIO));
        Assert.That(rig.State.Phase, Is.EqualTo(XenoprofPhase.Ready));
    }

    [Test]
    public void StartWaitsForEveryActiveDomainToEnable()
    {
        using var rig = new XenoprofRig();
        Assert.That(rig.Init(rig.Dom0), Is.EqualTo(0));
        Assert.That(rig.GetBuffer(rig.Dom0, 8, out _), Is.EqualTo(0));
        Assert.That(rig.SetActive(0), Is.EqualTo(0));
        Assert.That(rig.SetActive(1), Is.EqualTo(0));
        Assert.That(rig.Op(XenoprofCmd.ReserveCounters), Is.EqualTo(0));
        Assert.That(rig.Op(XenoprofCmd.SetupEvents), Is.EqualTo(0));
        Assert.That(rig.Op(XenoprofCmd.EnableVirq), Is.EqualTo(0));
        Assert.That(rig.Op(XenoprofCmd.Start), Is.EqualTo(-Errno.EPERM), "domain 1 has not enabled yet");
        Assert.That(rig.GetBuffer(rig.DomU, 8, out _), Is.EqualTo(0));
        Assert.That(rig.Op(rig.DomU, XenoprofCmd.EnableVirq), Is.EqualTo(0));
        Assert.That(rig.Op(XenoprofCmd.Start), Is.EqualTo(0));
    }

    [Test]
    public void EnablingTwiceCountsTwiceAndStartRefuses()
    {
        using var rig = new XenoprofRig();
        rig.ToReady();
        Assert.That(rig.Op(XenoprofCmd.EnableVirq), Is.EqualTo(0));
        Assert.That(rig.Op(XenoprofCmd.EnableVirq), Is.EqualTo(0));
        Assert.That(rig.Op(XenoprofCmd.Start), Is.EqualTo(-Errno.EPERM));
    }

    [Test]
    public void EnableVirqOfADomainNotListedIsEperm()
    {
        using var rig = new XenoprofRig();
        rig.ToReady();
        Assert.That(rig.GetBuffer(rig.DomU, 8, out _), Is.EqualTo(0));
        Assert.That(rig.Op(rig.DomU, XenoprofCmd.EnableVirq), Is.EqualTo(-Errno.EPERM));
    }

    [Test]
    public void EnableVirqWithoutBuffersIsEperm()
    {
        using var rig = new XenoprofRig();
        Assert.That(rig.Init(rig.Dom0), Is.EqualTo(0));
        Assert.That(rig.SetActive(0), Is.EqualTo(0));
        Assert.That(rig.Op(XenoprofCmd.ReserveCounters), Is.EqualTo(0));
        Assert.That(rig.Op(XenoprofCmd.SetupEvents), Is.EqualTo(0));
        Assert.That(rig.Op(XenoprofCmd.EnableVirq), Is.EqualTo(-Errno.EPERM));
    }

    [Test]
    public void DisableVirqOfADomainNotActiveIsEperm()
    {
        using var rig = new XenoprofRig();
        Assert.That(rig.Op(rig.DomU, XenoprofCmd.DisableVirq), Is.EqualTo(-Errno.EPERM));
    }

    [Test]
    public void DisableVirqUnsharesTheBuffersAndGetBufferSharesThemAgain()
    {
        using var rig = new XenoprofRig();
        rig.ToProfiling();
        Assert.That(rig.Op(XenoprofCmd.Stop), Is.EqualTo(0));
        var b = rig.State.BuffersOf(rig.Dom0);
        Assert.That(rig.Op(XenoprofCmd.DisableVirq), Is.EqualTo(0));
        Assert.That(rig.M.Hv.Memory.OwnerOf(b.Raw), Is.EqualTo((ushort)XenLite.Hv.Common.DomainIds.Xen));
        Assert.That(rig.M.Hv.Memory.RefCount(b.Raw), Is.EqualTo(0u));
        Assert.That(rig.GetBuffer(rig.Dom0, 8, out var again), Is.EqualTo(0));
        Assert.That(again.BufGmaddr, Is.EqualTo(b.Maddr), "the same area, kept for the domain's life");
        Assert.That(rig.M.Hv.Memory.OwnerOf(b.Raw), Is.EqualTo(rig.Dom0.Id));
    }

    [Test]
    public void StopTellsEveryActiveVcpuToDrain()
    {
        using var rig = new XenoprofRig(dom0Vcpus: 2);
        uint p0 = rig.BindXenoprofVirq(rig.Dom0, 0);
        uint p1 = rig.BindXenoprofVirq(rig.Dom0, 1);
        rig.ToProfiling();
        Assert.That(rig.Dom0.Events.IsPending(p0) || rig.Dom0.Events.IsPending(p1), Is.False);
        Assert.That(rig.Op(XenoprofCmd.Stop), Is.EqualTo(0));
        Assert.That(rig.Dom0.Events.IsPending(p0), Is.True);
        Assert.That(rig.Dom0.Events.IsPending(p1), Is.True);
    }

    [Test]
    public void ResetActiveListEmptiesIt()
    {
        using var rig = new XenoprofRig();
        rig.ToReady();
        Assert.That(rig.Op(XenoprofCmd.EnableVirq), Is.EqualTo(0));
        Assert.That(rig.Op(XenoprofCmd.ResetActiveList), Is.EqualTo(0));
        Assert.That((rig.State.Adomains, rig.State.Activated), Is.EqualTo((0, 0)));
        Assert.That(rig.State.BuffersOf(rig.Dom0).Type, Is.EqualTo(ProfiledAs.Ignored));
    }

    [Test]
    public void SetActiveOfAnUnknownDomainIsEinval()
    {
        using var rig = new XenoprofRig();
        Assert.That(rig.Init(rig.Dom0), Is.EqualTo(0));
        Assert.That(rig.SetActive(7), Is.EqualTo(-Errno.EINVAL));
        Assert.That(rig.SetActive((ushort)DomainIdsSelf), Is.EqualTo(-Errno.EINVAL), "DOMID_SELF is not resolved");
    }

    const uint DomainIdsSelf = XenLite.Hv.Common.DomainIds.Self;

    [Test]
    public void TheActiveListHoldsTwentyFiveDomains()
    {
        using var rig = new XenoprofRig();
        Assert.That(rig.Init(rig.Dom0), Is.EqualTo(0));
        for (int i = 0; i < XenoprofLimits.MaxOprofDomains; i++) Assert.That(rig.SetActive(1), Is.EqualTo(0));
        Assert.That(rig.SetActive(1), Is.EqualTo(-Errno.E2BIG));
    }

    [Test]
    public void AfterShutdownTheHardwareDomainCanStartAgain()
    {
        using var rig = new XenoprofRig();
        Assert.That(rig.Init(rig.Dom0), Is.EqualTo(0));
        Assert.That(rig.Op(XenoprofCmd.Shutdown), Is.EqualTo(0));
        Assert.That(rig.State.Phase, Is.EqualTo(XenoprofPhase.Initialized), "Xen leaves the phase");
        Assert.That(rig.Op(XenoprofCmd.SetActive), Is.EqualTo(-Errno.EPERM), "no primary any more");
        Assert.That(rig.Init(rig.Dom0, out var init), Is.EqualTo(0));
        Assert.That(init.IsPrimary, Is.EqualTo(1));
    }
}

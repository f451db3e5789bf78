using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Tests.Harness;
using XenLite.Tests.MemoryOp;

namespace XenLite.Tests.Domctl;

/// <summary>createdomain, pause/unpause, destroydomain and getdomaininfo, with the ownership invariant after each.</summary>
[Category("domctl")]
public unsafe class LifecycleTests : OwnershipCheckedTest
{
    [Test]
    public void CreateUnpauseInspectPauseDestroy()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        var v = d0.Vcpus[0];
        var cfg = DomctlRig.HvmConfig(vcpus: 2);
        cfg.Handle[0] = 0xAB;
        cfg.Handle[15] = 0xCD;
        Domain u = m.Create(d0, cfg);
        Assert.That(u.Id, Is.EqualTo(1), "DOMID_ANY starts after the last id handed out");
        Assert.That(u.Mode, Is.EqualTo(GuestMode.Hvm64));

        Assert.That(m.GetInfo(v, u.Id, out var info), Is.Zero);
        Assert.That(info.Flags & (DomInf.Paused | DomInf.HvmGuest | DomInf.Hap), Is.EqualTo(DomInf.Paused | DomInf.HvmGuest | DomInf.Hap));
        Assert.That((info.TotPages, info.MaxPages, info.MaxVcpuId, info.NrOnlineVcpus), Is.EqualTo((0UL, 0UL, 1u, 1u)));
        Assert.That((info.Handle[0], info.Handle[15]), Is.EqualTo(((byte)0xAB, (byte)0xCD)));

        // The toolstack gives it memory: max_mem, then populate_physmap for the new domain.
        Assert.That(m.Domctl(v, DomctlCmd.MaxMem, u.Id, DomctlRig.With(new DomctlMaxMem { MaxMemKb = 64 * 4 })), Is.Zero);
        MemGuest.PutList(m, d0, DomctlRig.BufGpa, 0, 1, 2, 3);
        m.PokeStruct(d0, 0x2000, new XenMemoryReservation { ExtentStart = DomctlRig.BufGpa, NrExtents = 4, DomId = u.Id });
        Assert.That(m.Call(v, HypercallNumber.MemoryOp, (ulong)XenMem.PopulatePhysmap, 0x2000), Is.EqualTo(4));

        Assert.That(m.Domctl(v, DomctlCmd.UnpauseDomain, u.Id), Is.Zero);
        Assert.That(u.Control.CreationFinished, Is.True);
        Assert.That(m.GetInfo(v, u.Id, out info), Is.Zero);
        Assert.That(info.Flags & DomInf.Paused, Is.Zero);
        Assert.That((info.TotPages, info.MaxPages), Is.EqualTo((4UL, 64UL)));

        Assert.That(m.Domctl(v, DomctlCmd.PauseDomain, u.Id), Is.Zero);
        Assert.That(m.GetInfo(v, u.Id, out info), Is.Zero);
        Assert.That(info.Flags & DomInf.Paused, Is.EqualTo(DomInf.Paused));

        ulong freeBefore = m.Hv.Memory.FreeFrames;
        Assert.That(m.Domctl(v, DomctlCmd.DestroyDomain, u.Id), Is.Zero);
        Assert.That(m.Hv.Lookup(1), Is.Null);
        Assert.That(m.Hv.Memory.FreeFrames, Is.GreaterThan(freeBefore + 3), "its RAM went back");
        Assert.That(m.GetInfo(v, 1, out _), Is.EqualTo(-Errno.ESRCH));
        Assert.That(m.Platform.PowerOffStatus, Is.Null);
    }

    [Test]
    public void DestroyRaisesVirqDomExcForTheToolstack()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        Domain u = m.Create(d0, DomctlRig.HvmConfig());
        Assert.That(Events.EvtchnRig.BindVirq(m, d0.Vcpus[0], Virq.DomExc, 0, out uint port), Is.Zero);
        Assert.That(Events.EvtchnRig.Pending(d0, port), Is.False);
        Assert.That(m.Domctl(d0.Vcpus[0], DomctlCmd.DestroyDomain, u.Id), Is.Zero);
        Assert.That(Events.EvtchnRig.Pending(d0, port), Is.True);
    }

    [Test]
    public void XsmDomainCreateRefusalIsReturnedAndLeavesNothing()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        m.Hv.Xsm = XenVersion.XsmOverride.Create("DomainCreate", -Errno.EACCES);
        ulong free = m.Hv.Memory.FreeFrames;
        Assert.That(m.Domctl(d0.Vcpus[0], DomctlCmd.CreateDomain, DomctlRig.DomidAny, DomctlRig.With(DomctlRig.HvmConfig())), Is.EqualTo(-Errno.EACCES));
        Assert.That((m.Hv.LiveDomains, m.Hv.Memory.FreeFrames), Is.EqualTo((1, free)));
    }

    [Test]
    public void ExplicitIdsMustBeFreeAndOrdinary()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        var cfg = DomctlRig.HvmConfig();
        Assert.That(m.Domctl(d0.Vcpus[0], DomctlCmd.CreateDomain, 0, DomctlRig.With(cfg)), Is.EqualTo(-Errno.EEXIST), "0 is taken by dom0");
        Assert.That(m.Domctl(d0.Vcpus[0], DomctlCmd.CreateDomain, 0x7FF0, DomctlRig.With(cfg)), Is.EqualTo(-Errno.EEXIST), "reserved");
        Assert.That(m.Domctl(d0.Vcpus[0], DomctlCmd.CreateDomain, 7, DomctlRig.With(cfg)), Is.Zero);
        Assert.That(m.Back(d0.Vcpus[0]).Domain, Is.EqualTo(7), "the id is copied back");
        Assert.That(m.Domctl(d0.Vcpus[0], DomctlCmd.CreateDomain, 7, DomctlRig.With(cfg)), Is.EqualTo(-Errno.EEXIST));
        Assert.That(m.Create(d0, cfg).Id, Is.EqualTo(1), "DOMID_ANY after an explicit id still starts at 1");
        Assert.That(m.Create(d0, cfg).Id, Is.EqualTo(2));
    }

    [TestCase(1u << 9, 1u, 2u, TestName = "unknown CDF flag")]
    [TestCase(DomctlCdf.Hap, 1u, 2u, TestName = "HAP without HVM")]
    [TestCase(DomctlCdf.Hvm, 0u, 2u, TestName = "no vCPUs")]
    [TestCase(DomctlCdf.Hvm, 129u, 2u, TestName = "too many vCPUs")]
    [TestCase(DomctlCdf.Hvm, 1u, 0u, TestName = "grant version 0")]
    [TestCase(DomctlCdf.Hvm, 1u, 3u, TestName = "grant version 3")]
    [TestCase(DomctlCdf.Hvm, 1u, 0x12u, TestName = "unknown grant option")]
    [TestCase(DomctlCdf.Hvm | DomctlCdf.Iommu, 1u, 2u, TestName = "no IOMMU")]
    [TestCase(DomctlCdf.Hvm | DomctlCdf.Vpmu, 1u, 2u, TestName = "no vPMU")]
    [TestCase(DomctlCdf.Hvm | DomctlCdf.NestedVirt, 1u, 2u, TestName = "no nested virtualisation")]
    public void BadConfigurationsAreEinval(uint flags, uint vcpus, uint grantOpts)
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        var cfg = DomctlRig.HvmConfig();
        cfg.Flags = flags;
        cfg.MaxVcpus = vcpus;
        cfg.GrantOpts = grantOpts;
        Assert.That(m.Domctl(d0.Vcpus[0], DomctlCmd.CreateDomain, DomctlRig.DomidAny, DomctlRig.With(cfg)), Is.EqualTo(-Errno.EINVAL));
        Assert.That(m.Hv.LiveDomains, Is.EqualTo(1));
    }

    [Test]
    public void LimitsAndOptionsAreCheckedToo()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        var cfg = DomctlRig.HvmConfig();
        cfg.IommuOpts = 1;
        Assert.That(m.Domctl(d0.Vcpus[0], DomctlCmd.CreateDomain, DomctlRig.DomidAny, DomctlRig.With(cfg)), Is.EqualTo(-Errno.EINVAL), "IOMMU options without IOMMU");
        cfg = DomctlRig.HvmConfig();
        cfg.VmtraceSize = 4096;
        Assert.That(m.Domctl(d0.Vcpus[0], DomctlCmd.CreateDomain, DomctlRig.DomidAny, DomctlRig.With(cfg)), Is.EqualTo(-Errno.EINVAL), "vmtrace");
        cfg = DomctlRig.HvmConfig();
        cfg.MaxGrantFrames = 0;
        Assert.That(m.Domctl(d0.Vcpus[0], DomctlCmd.CreateDomain, DomctlRig.DomidAny, DomctlRig.With(cfg)), Is.EqualTo(-Errno.EINVAL), "no grant frames");
        cfg = DomctlRig.HvmConfig();
        cfg.CpupoolId = 3;
        Assert.That(m.Domctl(d0.Vcpus[0], DomctlCmd.CreateDomain, DomctlRig.DomidAny, DomctlRig.With(cfg)), Is.EqualTo(-Errno.ENOENT), "no pool 3");
        cfg = DomctlRig.HvmConfig();
        cfg.MaxGrantFrames = 8;
        cfg.MaxMaptrackFrames = 16;
        cfg.Flags = DomctlCdf.XsDomain;
        Domain pv = m.Create(d0, cfg);
        Assert.That((pv.Mode, pv.Grants.MaxFrames, pv.Grants.MaxMaptrackFrames, pv.IsXenstore), Is.EqualTo((GuestMode.Pv64, 8u, 16u, true)));
    }

    [Test]
    public void ArmDomainsMustBeHvmWithHap()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Arm);
        var cfg = DomctlRig.HvmConfig();
        cfg.Flags = DomctlCdf.Hvm;
        Assert.That(m.Domctl(d0.Vcpus[0], DomctlCmd.CreateDomain, DomctlRig.DomidAny, DomctlRig.With(cfg)), Is.EqualTo(-Errno.EINVAL));
        cfg.Flags = DomctlCdf.Hvm | DomctlCdf.Hap;
        Domain u = m.Create(d0, cfg);
        Assert.That(u.Mode, Is.EqualTo(GuestMode.Arm));
        Assert.That(m.GetInfo(d0.Vcpus[0], u.Id, out var info), Is.Zero);
        Assert.That(info.Flags & (DomInf.HvmGuest | DomInf.Hap), Is.EqualTo(DomInf.HvmGuest | DomInf.Hap), "every arm domain");
    }

    [Test]
    public void PauseRules()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        Domain u = m.NewDomain(GuestMode.Hvm64, id: 1);
        var v = d0.Vcpus[0];
        Assert.That(m.Domctl(v, DomctlCmd.PauseDomain, 0), Is.EqualTo(-Errno.EINVAL), "not oneself");
        Assert.That(m.Domctl(v, DomctlCmd.UnpauseDomain, 1), Is.EqualTo(-Errno.EINVAL), "not below zero");
        for (int i = 0; i < 255; i++) Assert.That(m.Domctl(v, DomctlCmd.PauseDomain, 1), Is.Zero);
        Assert.That(m.Domctl(v, DomctlCmd.PauseDomain, 1), Is.EqualTo(-Errno.EOVERFLOW));
        Assert.That(u.IsPausedByController, Is.True);
        for (int i = 0; i < 255; i++) Assert.That(m.Domctl(v, DomctlCmd.UnpauseDomain, 1), Is.Zero);
        Assert.That(u.IsPausedByController, Is.False);
    }

    [Test]
    public void ADomainCannotDestroyItself()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        Assert.That(m.Domctl(d0.Vcpus[0], DomctlCmd.DestroyDomain, 0), Is.EqualTo(-Errno.EINVAL));
        Assert.That(m.Hv.Lookup(0), Is.SameAs(d0));
    }

    [Test]
    public void DomainInfoReportsStateFlags()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        Domain u = m.NewDomain(GuestMode.Pv64, id: 1, vcpus: 2);
        var v = d0.Vcpus[0];
        Assert.That(m.GetInfo(v, 1, out var info), Is.Zero);
        Assert.That(info.Flags & (DomInf.HvmGuest | DomInf.Hap), Is.Zero, "PV");
        Assert.That(info.Flags >> DomInf.ShutdownShift, Is.EqualTo(0xFFu), "no shutdown code yet");
        Assert.That(info.SharedInfoFrame, Is.EqualTo(u.SharedInfo.Frame.Value), "PV sees the machine frame");
        Assert.That((info.Cpupool, info.GpaddrBits, info.NrOnlineVcpus), Is.EqualTo((0u, (byte)32, 1u)));

        u.Vcpus[0].Blocked = true;
        Assert.That(m.GetInfo(v, 1, out info), Is.Zero);
        Assert.That(info.Flags & DomInf.Blocked, Is.EqualTo(DomInf.Blocked), "every online vCPU blocked");

        Hv.Common.Sched.DomainShutdown.Shutdown(u, 2);
        Assert.That(m.GetInfo(v, 1, out info), Is.Zero);
        Assert.That(info.Flags & DomInf.Shutdown, Is.EqualTo(DomInf.Shutdown));
        Assert.That((info.Flags >> DomInf.ShutdownShift) & DomInf.ShutdownMask, Is.EqualTo(2u));
        Assert.That(m.Domctl(v, DomctlCmd.SetDebugging, 1, DomctlRig.With(new DomctlSetDebugging { Enable = 1 })), Is.Zero);
        Assert.That(m.GetInfo(v, 1, out info), Is.Zero);
        Assert.That(info.Flags & DomInf.Debugged, Is.EqualTo(DomInf.Debugged));
        Assert.That(m.Domctl(v, DomctlCmd.SetDebugging, 0, DomctlRig.With(new DomctlSetDebugging { Enable = 1 })), Is.EqualTo(-Errno.EINVAL));
    }
}

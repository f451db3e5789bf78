using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Arch.Arm64;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Domctl;
using XenLite.Tests.Domctl;

namespace XenLite.Tests.Arch.Arm64;

/// <summary>A domain an arm dom0 builds itself: setvcpucontext with the arm layout, then its arm64 state on the first run after unpause.</summary>
[Category("domctl")]
public unsafe class ToolstackDomainStartTests
{
    const ulong El1h = 0x3C5;

    static VcpuGuestContextArm Context(ulong pc, ulong x0, ulong cpsr, uint flags = VcpuGuestContextArm.FlagOnline)
    {
        var c = new VcpuGuestContextArm { Flags = flags, Pc = pc, Cpsr = cpsr };
        c.X[0] = x0;
        c.X[30] = 0x77;
        return c;
    }

    [Test]
    public void ArmContextSetsPcX0AndCpsr()
    {
        using var bed = new Arm64Bed();
        var d0 = bed.M.NewDomain(GuestMode.Arm);
        var u = bed.M.NewDomain(GuestMode.Arm, id: 1);
        bed.M.PokeStruct(d0, DomctlRig.BufGpa, Context(0x4008_0000, 0x4100_0000, El1h));
        Assert.That(bed.M.Domctl(d0.Vcpus[0], DomctlCmd.SetVcpuContext, 1, DomctlRig.With(new DomctlVcpuContext { Vcpu = 0, Ctxt = DomctlRig.BufGpa })), Is.Zero);
        Vcpu v = u.Vcpus[0];
        Assert.That((v.IsUp, v.Regs.Ip, v.Regs[0], v.Regs[30], v.Regs.Flags), Is.EqualTo((true, 0x4008_0000UL, 0x4100_0000UL, 0x77UL, El1h)));
    }

    [TestCase(0x3C5UL | 0x10, TestName = "AArch32 state")]
    [TestCase(0x3C9UL, TestName = "EL2h")]
    [TestCase(0x1_0000_03C5UL, TestName = "bits above 31")]
    public void ArmContextRefusesNonEl1Aarch64Psr(ulong cpsr)
    {
        using var bed = new Arm64Bed();
        var d0 = bed.M.NewDomain(GuestMode.Arm);
        var u = bed.M.NewDomain(GuestMode.Arm, id: 1);
        bed.M.PokeStruct(d0, DomctlRig.BufGpa, Context(0x4008_0000, 0, cpsr));
        Assert.That(bed.M.Domctl(d0.Vcpus[0], DomctlCmd.SetVcpuContext, 1, DomctlRig.With(new DomctlVcpuContext { Vcpu = 0, Ctxt = DomctlRig.BufGpa })), Is.EqualTo(-Errno.EINVAL));
        Assert.That(u.Vcpus[0].Regs.Ip, Is.Not.EqualTo(0x4008_0000UL), "nothing taken");
    }

    [Test]
    public void ArmContextBadPointerIsEfault()
    {
        using var bed = new Arm64Bed();
        var d0 = bed.M.NewDomain(GuestMode.Arm);
        bed.M.NewDomain(GuestMode.Arm, id: 1);
        Assert.That(bed.M.Domctl(d0.Vcpus[0], DomctlCmd.SetVcpuContext, 1, DomctlRig.With(new DomctlVcpuContext { Vcpu = 0, Ctxt = 0x7FFF_0000 })), Is.EqualTo(-Errno.EFAULT));
    }

    [Test]
    public void StartsOnlyOnceUnpausedWithVcpu0OnlineKeepingItsRegisters()
    {
        using var bed = new Arm64Bed();
        var u = bed.M.NewDomain(GuestMode.Arm, id: 1);
        Vcpu v = u.Vcpus[0];
        v.IsUp = false;
        Arm64DomainStart.StartIfReady(bed.Host, u);
        Assert.That(u.Arm64, Is.Null, "vCPU 0 not online");

        v.IsUp = true;
        v.Regs.Ip = 0x4008_0000;
        v.Regs[0] = 0x4100_0000;
        v.Regs.Flags = 0x3C4;   // EL1t
        u.Control.PauseCount = 1;
        Arm64DomainStart.StartIfReady(bed.Host, u);
        Assert.That(u.Arm64, Is.Null, "paused by the toolstack");

        u.Control.PauseCount = 0;
        Arm64DomainStart.StartIfReady(bed.Host, u);
        Assert.That(u.Arm64, Is.Not.Null);
        Assert.That(u.Arm64.Vmid, Is.Not.Zero);
        Assert.That(u.Arm64.Uart, Is.Not.Null, "a vpl011 for its console");
        Assert.That((v.Regs.Ip, v.Regs[0], v.Regs.Flags, v.Arm64 != null), Is.EqualTo((0x4008_0000UL, 0x4100_0000UL, 0x3C4UL, true)));
    }

    static int XenFrames(Arm64Bed bed)
    {
        var mem = bed.Hv.Memory;
        int n = 0;
        for (ulong f = mem.FirstFrame; f < mem.MaxPage; f++)
            if (mem.OwnerOf(new XenLite.Hv.Common.Memory.Mfn(f)) == Arm64Host.FrameOwner) n++;
        return n;
    }

    // Xen's domain_kill → arch_domain_destroy: the VMID, stage-2 tables and vCPU contexts are the hypervisor's, not the domain's.
    [Test]
    public void DestroyingAStartedDomainGivesBackItsVmidStage2AndContexts()
    {
        using var bed = new Arm64Bed();
        var d0 = bed.M.NewDomain(GuestMode.Arm);
        var u = bed.M.NewDomain(GuestMode.Arm, id: 1, vcpus: 2);
        int xenFrames = XenFrames(bed);
        Arm64DomainStart.StartIfReady(bed.Host, u);
        Assert.That(XenFrames(bed), Is.GreaterThan(xenFrames), "stage-2 tables and two context frames");
        uint vmid = u.Arm64.Vmid;
        ulong vttbr = u.Arm64.Vttbr;
        Vcpu v1 = u.Vcpus[1];

        Assert.That(bed.M.Domctl(d0.Vcpus[0], DomctlCmd.DestroyDomain, u.Id), Is.Zero);
        Assert.That(u.Arm64, Is.Null);
        Assert.That(v1.Arm64, Is.Null);
        Assert.That(XenFrames(bed), Is.EqualTo(xenFrames), "every frame the arm state held is free");
        Assert.That(bed.Cpu.FlushedVttbrs, Does.Contain(vttbr), "no stale translations for the next owner of the VMID");
        Assert.That(bed.Host.AllocateVmid(), Is.EqualTo(vmid), "the VMID is free again");
    }
}

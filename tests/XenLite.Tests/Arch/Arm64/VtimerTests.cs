using NUnit.Framework;
using XenLite.Hv.Arch.Arm64;
using XenLite.Hv.Common;

namespace XenLite.Tests.Arch.Arm64;

/// <summary>The guest virtual timer (CNTV with a per-domain CNTVOFF), WFI/WFE, and host interrupts.</summary>
[Category("vtimer")]
public class VtimerTests
{
    [Test]
    public void TheHostVirtualTimerInterruptBecomesTheGuestsPpi27()
    {
        using var bed = new Arm64Bed();
        Vcpu v = bed.NewDomain().Vcpus[0];
        bed.Exit(v, Arm64Bed.Wfe);   // loads the vCPU
        bed.Cpu.El1[El1Reg.CntvCtl] = Vtimer.Enable | Vtimer.Istatus;
        Assert.That(bed.Irq(v, FakeArm64Cpu.VirtualTimerIntid), Is.EqualTo(Arm64ExitResult.HostEvent));
        Assert.That(bed.Cpu.El1[El1Reg.CntvCtl] & Vtimer.Imask, Is.EqualTo(Vtimer.Imask), "masked until the guest rearms it");
        Assert.That(v.Arm64.Vgic.Pending, Is.EqualTo(1u << 27));
        Assert.That(bed.Cpu.Ended, Is.EqualTo(new[] { FakeArm64Cpu.VirtualTimerIntid }));
        Assert.That(bed.Host.ExitCounts[Arm64Host.IrqCount], Is.EqualTo(1));
    }

    [Test]
    public void TheHypervisorTimerEndsTheSlice()
    {
        using var bed = new Arm64Bed();
        Vcpu v = bed.NewDomain().Vcpus[0];
        bed.Cpu.HypTimer = 5;
        bed.Irq(v, FakeArm64Cpu.HypTimerIntid);
        Assert.That(bed.Host.SliceExpired, Is.True);
        Assert.That(bed.Cpu.HypTimer, Is.Zero, "disarmed");
    }

    [Test]
    public void TheDeadlineIsTheCompareValuePlusTheDomainsOffset()
    {
        using var bed = new Arm64Bed();
        Domain d = bed.NewDomain();
        Vcpu v = d.Vcpus[0];
        Assert.That(d.Arm64.Cntvoff, Is.EqualTo(bed.Cpu.Count), "the virtual count starts at 0 with the domain");
        bed.Host.WriteEl1(v, El1Reg.CntvCval, 1000);
        bed.Host.WriteEl1(v, El1Reg.CntvCtl, Vtimer.Enable);
        Assert.That(Vtimer.Deadline(bed.Host, v), Is.EqualTo(d.Arm64.Cntvoff + 1000));
        bed.Host.WriteEl1(v, El1Reg.CntvCtl, Vtimer.Enable | Vtimer.Imask);
        Assert.That(Vtimer.Deadline(bed.Host, v), Is.EqualTo(ulong.MaxValue));
    }

    [Test]
    public void WfiBlocksUnlessSomethingIsPendingAndWfeYields()
    {
        using var bed = new Arm64Bed();
        Vcpu v = bed.NewDomain().Vcpus[0];
        ulong pc = v.Regs.Ip;
        Assert.That(bed.Exit(v, Arm64Bed.Wfi), Is.EqualTo(Arm64ExitResult.Blocked));
        Assert.That(v.Blocked, Is.True);
        Assert.That(v.Regs.Ip, Is.EqualTo(pc + 4));
        v.Blocked = false;
        bed.Cpu.El1[El1Reg.CntvCval] = 0;
        bed.Cpu.El1[El1Reg.CntvCtl] = Vtimer.Enable;   // already due
        Assert.That(bed.Exit(v, Arm64Bed.Wfi), Is.EqualTo(Arm64ExitResult.Resume));
        Assert.That(v.Blocked, Is.False);
        Assert.That(bed.Exit(v, Arm64Bed.Wfe), Is.EqualTo(Arm64ExitResult.Blocked));
        Assert.That(v.YieldRequested, Is.True);
        Assert.That(v.Blocked, Is.False);
    }

    [Test]
    public void ExpireFiresDueTimersOfWaitingVcpus()
    {
        using var bed = new Arm64Bed();
        Domain d = bed.NewDomain();
        Vcpu v = d.Vcpus[0];
        v.Blocked = true;
        bed.Host.WriteEl1(v, El1Reg.CntvCval, 500);
        bed.Host.WriteEl1(v, El1Reg.CntvCtl, Vtimer.Enable);
        Vtimer.Expire(bed.Host, d.Arm64.Cntvoff + 499);
        Assert.That(v.Blocked, Is.True);
        Vtimer.Expire(bed.Host, d.Arm64.Cntvoff + 500);
        Assert.That(v.Blocked, Is.False);
        Assert.That(v.Arm64.Vgic.Pending, Is.EqualTo(1u << 27));
        Assert.That(bed.Host.ReadEl1(v, El1Reg.CntvCtl) & Vtimer.Imask, Is.Not.Zero);
    }
}

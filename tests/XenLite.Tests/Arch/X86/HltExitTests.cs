using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Arch.X86;
using XenLite.Hv.Common;

namespace XenLite.Tests.Arch.X86;

[Category("svm")]
public unsafe class HltExitTests
{
    [Test]
    public void HltWithInterruptsOnBlocksAndStepsOver()
    {
        using var bed = new SvmBed();
        var v = bed.NewPvh().Vcpus[0];
        v.Regs.Flags |= X86Bits.RflagsIf;
        Assert.That(bed.Exit(v, SvmExit.Hlt), Is.EqualTo(SvmExitResult.Blocked));
        Assert.That(v.Blocked, Is.True);
        Assert.That(v.Regs.Ip, Is.EqualTo(SvmBed.Entry + 1UL));
        int runs = bed.Cpu.VmRuns;
        Assert.That(SvmRun.RunOnce(bed.Host, v), Is.EqualTo(SvmExitResult.Blocked), "a blocked vCPU does not run");
        Assert.That(bed.Cpu.VmRuns, Is.EqualTo(runs));
        v.Blocked = false; // an event arrives
        Assert.That(bed.Exit(v, SvmExit.Intr), Is.EqualTo(SvmExitResult.HostEvent));
        Assert.That(bed.Cpu.LastEntry.Rip, Is.EqualTo(SvmBed.Entry + 1UL));
    }

    [Test]
    public void HltClearsTheInterruptShadow()
    {
        using var bed = new SvmBed();
        var v = bed.NewPvh().Vcpus[0];
        v.Regs.Flags |= X86Bits.RflagsIf;
        bed.Exit(v, SvmExit.Hlt, guest: (vmcb, _) => vmcb->InterruptShadow = 1); // sti; hlt
        Assert.That(SvmBed.VmcbOf(v)->InterruptShadow, Is.Zero);
    }

    [Test]
    public void CliHltOnTheLastVcpuPowersTheDomainOff()
    {
        using var bed = new SvmBed();
        var d = bed.NewPvh(1);
        var other = bed.NewPvh(2);
        Assert.That(bed.Exit(d.Vcpus[0], SvmExit.Hlt), Is.EqualTo(SvmExitResult.DomainGone));
        Assert.That(bed.Hv.Lookup(1), Is.Null);
        Assert.That(d.ShutdownCode, Is.EqualTo((uint)ShutdownReason.Poweroff));
        Assert.That(bed.Hv.Lookup(2), Is.SameAs(other));
    }

    [Test]
    public void CliHltWithAnotherVcpuUpTakesOnlyThisOneDown()
    {
        using var bed = new SvmBed();
        var d = bed.NewPvh(vcpus: 2);
        SvmSetup.PvhEntry(d.Vcpus[1], SvmBed.Entry, 0);
        Assert.That(bed.Exit(d.Vcpus[1], SvmExit.Hlt), Is.EqualTo(SvmExitResult.Blocked));
        Assert.That(d.Vcpus[1].IsUp, Is.False);
        Assert.That(bed.Hv.Lookup(1), Is.SameAs(d));
        Assert.That(bed.Exit(d.Vcpus[0], SvmExit.Hlt), Is.EqualTo(SvmExitResult.DomainGone));
    }
}

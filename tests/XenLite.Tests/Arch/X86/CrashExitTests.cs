using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Arch.X86;
using XenLite.Hv.Common;

namespace XenLite.Tests.Arch.X86;

[Category("svm")]
public unsafe class CrashExitTests
{
    [Test]
    public void TripleFaultDestroysOnlyThatDomainWithAReport()
    {
        using var bed = new SvmBed();
        var bad = bed.NewPvh(1);
        var good = bed.NewPvh(2);
        uint badAsid = bad.X86.Asid;
        bad.Vcpus[0].Regs[X86Reg.R15] = 0xF00D;
        ulong freeBefore = bed.Hv.Memory.FreeFrames;

        Assert.That(bed.Exit(bad.Vcpus[0], SvmExit.Shutdown), Is.EqualTo(SvmExitResult.DomainGone));

        string log = bed.M.Platform.ConsoleText;
        Assert.That(log, Does.Contain("Domain 1 (vcpu#0) crashed: triple fault"));
        Assert.That(log, Does.Contain("exitcode 0x000000000000007f"));
        Assert.That(log, Does.Contain("rip 0x0000000000002000"));
        Assert.That(log, Does.Contain("r15 0x000000000000f00d"));
        Assert.That(bed.Hv.Lookup(1), Is.Null);
        Assert.That(bad.ShutdownCode, Is.EqualTo((uint)ShutdownReason.Crash));
        Assert.That(bad.X86, Is.Null);
        Assert.That(bed.Hv.Memory.FreeFrames, Is.GreaterThan(freeBefore + 64), "RAM, VMCB and nested tables returned");
        Assert.That(bed.M.Platform.PowerOffStatus, Is.Null, "another domain still runs");
        Assert.That(bed.Host.AllocateAsid(), Is.EqualTo(badAsid));

        Assert.That(bed.Hv.Lookup(2), Is.SameAs(good));
        good.Vcpus[0].Regs[X86Reg.Rax] = 0x4000_0000;
        Assert.That(bed.Exit(good.Vcpus[0], SvmExit.Cpuid), Is.EqualTo(SvmExitResult.Resume));
        Assert.That(good.Vcpus[0].Regs[X86Reg.Rbx], Is.EqualTo(0x566E_6558UL));
    }

    [Test]
    public void NestedPageFaultOnAnUnmappedGpaCrashesTheDomain()
    {
        using var bed = new SvmBed();
        var d = bed.NewPvh();
        Assert.That(bed.Exit(d.Vcpus[0], SvmExit.Npf, info1: 4, info2: 0xFEE0_0000), Is.EqualTo(SvmExitResult.DomainGone));
        Assert.That(bed.M.Platform.ConsoleText, Does.Contain("crashed: nested page fault"));
        Assert.That(bed.M.Platform.ConsoleText, Does.Contain("exitinfo2 0x00000000fee00000"));
        Assert.That(bed.Hv.Lookup(1), Is.Null);
    }

    [Test]
    public void TheLastDomainCrashingPowersOffWithFailure()
    {
        using var bed = new SvmBed();
        var d = bed.NewPvh();
        bed.Exit(d.Vcpus[0], SvmExit.Shutdown);
        Assert.That(bed.M.Platform.PowerOffStatus, Is.EqualTo(1));
    }

    [TestCase(0x65UL)]        // CR0 selective write: never intercepted
    [TestCase(0x00UL)]        // CR0 read
    [TestCase(0x4EUL)]        // #PF exception
    [TestCase(0xA4UL)]        // last code in the table range
    [TestCase(0xA5UL)]        // first code past it
    [TestCase(0x401UL)]       // AVIC
    [TestCase(0x1234_5678UL)]
    [TestCase(ulong.MaxValue)] // VMEXIT_INVALID
    public void UnexpectedExitCodesCrashTheDomainNotTheHypervisor(ulong code)
    {
        using var bed = new SvmBed();
        var d = bed.NewPvh();
        Assert.That(bed.Exit(d.Vcpus[0], code), Is.EqualTo(SvmExitResult.DomainGone));
        Assert.That(bed.M.Platform.ConsoleText, Does.Contain("Domain 1 (vcpu#0) crashed"));
        Assert.That(bed.Hv.Lookup(1), Is.Null);
    }

    [Test]
    public void TheHardwareDomainCrashingStopsTheMachine()
    {
        using var bed = new SvmBed();
        bed.NewPvh(2); // not the last domain: the power-off must come from dom0 itself
        var dom0 = bed.M.NewDomain(XenLite.Hv.Abi.GuestMode.Hvm64, 0, 64);
        Assert.That(SvmDomain.Create(bed.Host, dom0), Is.True);
        SvmSetup.PvhEntry(dom0.Vcpus[0], SvmBed.Entry, SvmBed.StartInfo);
        bed.Exit(dom0.Vcpus[0], SvmExit.Shutdown);
        Assert.That(bed.M.Platform.ConsoleText, Does.Contain("Hardware Dom0 crashed: stopping machine"));
        Assert.That(bed.M.Platform.PowerOffStatus, Is.EqualTo(1));
    }

    [Test]
    public void ADeadDomainDoesNotRunAgain()
    {
        using var bed = new SvmBed();
        var d = bed.NewPvh();
        bed.Exit(d.Vcpus[0], SvmExit.Shutdown);
        int runs = bed.Cpu.VmRuns;
        Assert.That(SvmRun.RunOnce(bed.Host, d.Vcpus[0]), Is.EqualTo(SvmExitResult.DomainGone));
        Assert.That(bed.Cpu.VmRuns, Is.EqualTo(runs));
    }

    [Test]
    public void ExitsAreCounted()
    {
        using var bed = new SvmBed();
        var v = bed.NewPvh().Vcpus[0];
        bed.Exit(v, SvmExit.Cpuid);
        bed.Exit(v, SvmExit.Cpuid);
        bed.Exit(v, SvmExit.Npf);
        Assert.That(bed.Host.ExitCounts[SvmExit.Cpuid], Is.EqualTo(2UL));
        Assert.That(bed.Host.ExitCounts[SvmExit.TableSize], Is.EqualTo(1UL));
    }
}

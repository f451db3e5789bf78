using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Arch.Arm64;
using XenLite.Hv.Common;

namespace XenLite.Tests.Arch.Arm64;

/// <summary>HVC/SMC exits: HVC #0xEA1 reaches the shared dispatcher, other immediates are undefined instructions.</summary>
[Category("arm64")]
public unsafe class HvcExitTests
{
    static readonly ulong XenVersion = (ulong)(BuildInfo.Major << 16 | BuildInfo.Minor);

    [Test]
    public void Hvc0xEA1DispatchesByX16WithArgumentsInX0AndResultInX0()
    {
        using var bed = new Arm64Bed();
        Vcpu v = bed.NewDomain().Vcpus[0];
        v.Regs[16] = HypercallNumber.XenVersion;
        v.Regs[0] = 0;   // XENVER_version
        ulong pc = v.Regs.Ip;
        Assert.That(bed.Exit(v, Arm64Bed.Hvc(0xEA1)), Is.EqualTo(Arm64ExitResult.Resume));
        Assert.That(v.Regs[0], Is.EqualTo(XenVersion));
        Assert.That(v.Regs.Ip, Is.EqualTo(pc), "HVC's ELR already points past it");
        Assert.That(v.Mode, Is.EqualTo(GuestMode.Arm));
        Assert.That(bed.Counters.Hypercalls, Is.EqualTo(1));
    }

    [Test]
    public void UnknownHypercallNumberIsEnosys()
    {
        using var bed = new Arm64Bed();
        Vcpu v = bed.NewDomain().Vcpus[0];
        v.Regs[16] = 63;
        bed.Exit(v, Arm64Bed.Hvc(0xEA1));
        Assert.That((long)v.Regs[0], Is.EqualTo(-Errno.ENOSYS));
    }

    [Test]
    public void SetTimerOpIsNotRoutedOnArm()
    {
        using var bed = new Arm64Bed();
        Vcpu v = bed.NewDomain().Vcpus[0];
        v.Regs[16] = HypercallNumber.SetTimerOp;
        bed.Exit(v, Arm64Bed.Hvc(0xEA1));
        Assert.That((long)v.Regs[0], Is.EqualTo(-Errno.ENOSYS));
    }

    [Test]
    public void AContinuationReExecutesTheHvc()
    {
        using var bed = new Arm64Bed();
        Domain d = bed.NewDomain();
        Vcpu v = d.Vcpus[0];
        // Two xen_version entries; preemption is pending after the first, so multicall continues later.
        ulong list = GuestLayout.RamBase + 0x10_0000;
        for (int i = 0; i < 2; i++) bed.M.PokeStruct(d, list + (ulong)(64 * i), new MulticallEntry { Op = HypercallNumber.XenVersion });
        bed.M.Platform.PreemptAfterChecks = 0;
        v.Regs[16] = HypercallNumber.Multicall;
        v.Regs[0] = list;
        v.Regs[1] = 2;
        ulong pc = v.Regs.Ip;
        bed.Exit(v, Arm64Bed.Hvc(0xEA1));
        Assert.That(v.Regs.Ip, Is.EqualTo(pc - 4), "back on the hvc");
        Assert.That(v.Regs[16], Is.EqualTo((ulong)HypercallNumber.Multicall));
    }

    [Test]
    public void AnotherHvcImmediateInjectsAnUndefinedInstruction()
    {
        using var bed = new Arm64Bed();
        Vcpu v = bed.NewDomain().Vcpus[0];
        v.Regs[0] = 0x1234;
        v.Regs.Ip = Arm64Bed.Entry + 0x40;
        v.Regs.Flags = 0x5;   // EL1h, interrupts unmasked
        Assert.That(bed.Exit(v, Arm64Bed.Hvc(0x1)), Is.EqualTo(Arm64ExitResult.Resume));
        Assert.That(v.Regs.Ip, Is.EqualTo(Arm64Bed.Vbar + 0x200), "current EL with SP_ELx, synchronous");
        Assert.That(v.Regs.Flags, Is.EqualTo(GuestException.Pstate64Init));
        Assert.That(bed.Cpu.El1[El1Reg.Elr], Is.EqualTo(Arm64Bed.Entry + 0x40));
        Assert.That(bed.Cpu.El1[El1Reg.Spsr], Is.EqualTo(0x5UL));
        Assert.That(bed.Cpu.El1[El1Reg.Esr], Is.EqualTo(Esr.Il), "EC 0 (unknown), IL, ISS 0");
        Assert.That(v.Regs[0], Is.EqualTo(0x1234UL), "no hypercall was made");
        Assert.That(bed.Counters.Hypercalls, Is.Zero);
    }

    [Test]
    public void FromEl0TheLowerElVectorIsUsed()
    {
        using var bed = new Arm64Bed();
        Vcpu v = bed.NewDomain().Vcpus[0];
        v.Regs.Flags = 0;   // EL0t
        bed.Exit(v, Arm64Bed.Hvc(0x7));
        Assert.That(v.Regs.Ip, Is.EqualTo(Arm64Bed.Vbar + 0x400));
    }

    [Test]
    public void FromAarch32El0TheLowerElAarch32VectorIsUsed()
    {
        using var bed = new Arm64Bed();
        Vcpu v = bed.NewDomain().Vcpus[0];
        v.Regs.Flags = 0x10;   // AArch32 User
        bed.Exit(v, (0x07UL << 26) | Esr.Il);
        Assert.That(v.Regs.Ip, Is.EqualTo(Arm64Bed.Vbar + 0x600));
    }

    [Test]
    public void SmcccOverHvc0AndSmc0SteppingOverTheSmc()
    {
        using var bed = new Arm64Bed();
        Vcpu v = bed.NewDomain().Vcpus[0];
        ulong pc = v.Regs.Ip;
        v.Regs[0] = Smccc.VersionFid;
        bed.Exit(v, Arm64Bed.Hvc(0));
        Assert.That(v.Regs[0], Is.EqualTo((ulong)Smccc.Version12));
        Assert.That(v.Regs.Ip, Is.EqualTo(pc));
        v.Regs[0] = Psci.Version;
        bed.Exit(v, Arm64Bed.Smc(0));
        Assert.That(v.Regs[0], Is.EqualTo((ulong)Psci.Version11));
        Assert.That(v.Regs.Ip, Is.EqualTo(pc + 4), "a trapped SMC leaves ELR on itself");
    }

    [Test]
    public void SmcWithANonZeroImmediateIsUndefined()
    {
        using var bed = new Arm64Bed();
        Vcpu v = bed.NewDomain().Vcpus[0];
        v.Regs[0] = Psci.Version;
        bed.Exit(v, Arm64Bed.Smc(1));
        Assert.That(v.Regs.Ip, Is.EqualTo(Arm64Bed.Vbar + 0x200));
        Assert.That(v.Regs[0], Is.EqualTo((ulong)Psci.Version), "not handled as PSCI");
    }

    [Test]
    public void UnknownExceptionClassesAreUndefinedInstructions()
    {
        using var bed = new Arm64Bed();
        Vcpu v = bed.NewDomain().Vcpus[0];
        Assert.That(bed.Exit(v, (0x07UL << 26) | Esr.Il), Is.EqualTo(Arm64ExitResult.Resume));
        Assert.That(v.Regs.Ip, Is.EqualTo(Arm64Bed.Vbar + 0x200));
        Assert.That(bed.Host.ExitCounts[0x07], Is.EqualTo(1));
    }

    [Test]
    public void AGuestSErrorCrashesOnlyThatDomain()
    {
        using var bed = new Arm64Bed();
        Domain d = bed.NewDomain(1);
        Domain other = bed.NewDomain(2);
        Assert.That(bed.Exit(d.Vcpus[0], 0, kind: GuestContext.ExitSerror), Is.EqualTo(Arm64ExitResult.DomainGone));
        Assert.That(bed.M.Platform.ConsoleText, Does.Contain("(XEN) Domain 1 (vcpu#0) crashed: SError"));
        Assert.That(bed.Hv.Lookup(1), Is.Null);
        Assert.That(bed.Hv.Lookup(2), Is.SameAs(other));
        Assert.That(bed.M.Platform.PowerOffStatus, Is.Null, "the machine keeps going");
    }
}

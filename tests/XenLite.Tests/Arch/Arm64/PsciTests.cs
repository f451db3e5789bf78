using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Arch.Arm64;
using XenLite.Hv.Common;

namespace XenLite.Tests.Arch.Arm64;

/// <summary>The PSCI 1.1 subset and SMCCC calls as xen/arch/arm/vpsci.c and vsmc.c answer them.</summary>
[Category("psci")]
public unsafe class PsciTests
{
    static long Call(Arm64Bed bed, Vcpu v, ulong fid, ulong a1 = 0, ulong a2 = 0, ulong a3 = 0)
    {
        v.Regs[0] = fid;
        v.Regs[1] = a1;
        v.Regs[2] = a2;
        v.Regs[3] = a3;
        bed.Exit(v, Arm64Bed.Hvc(0));
        return (long)v.Regs[0];
    }

    [Test]
    public void VersionIs11AndSmcccIs12()
    {
        using var bed = new Arm64Bed();
        Vcpu v = bed.NewDomain().Vcpus[0];
        Assert.That(Call(bed, v, Psci.Version), Is.EqualTo(0x10001));
        Assert.That(Call(bed, v, Smccc.VersionFid), Is.EqualTo(0x10002));
        Assert.That(Call(bed, v, Smccc.ArchFeaturesFid, 0x8000_8000), Is.EqualTo(-1), "no Spectre workaround offered");
    }

    [TestCase(Psci.Version, 0)]
    [TestCase(Psci.CpuOn64, 0)]
    [TestCase(Psci.CpuOn, 0)]
    [TestCase(Psci.CpuOff, 0)]
    [TestCase(Psci.AffinityInfo64, 0)]
    [TestCase(Psci.SystemOff, 0)]
    [TestCase(Psci.SystemReset, 0)]
    [TestCase(Psci.Features, 0)]
    [TestCase(Smccc.VersionFid, 0)]
    [TestCase(0x8400_0005u, -1)]   // MIGRATE
    [TestCase(0x8400_000Eu, -1)]   // SYSTEM_SUSPEND: not offered
    [TestCase(0x8400_001Fu, -1)]
    public void FeaturesListsWhatIsImplemented(uint fid, long expected)
    {
        using var bed = new Arm64Bed();
        Vcpu v = bed.NewDomain().Vcpus[0];
        Assert.That(Call(bed, v, Psci.Features, fid), Is.EqualTo(expected));
    }

    [Test]
    public void UnknownFunctionsAnswerNotSupportedSignExtended()
    {
        using var bed = new Arm64Bed();
        Vcpu v = bed.NewDomain().Vcpus[0];
        Call(bed, v, 0x8200_FF00);
        Assert.That(v.Regs[0], Is.EqualTo(ulong.MaxValue));
    }

    [Test]
    public void CpuOnStartsASecondVcpuAtItsEntryWithTheContextInX0()
    {
        using var bed = new Arm64Bed();
        Domain d = bed.NewDomain(cpus: 2);
        Vcpu v0 = d.Vcpus[0], v1 = d.Vcpus[1];
        Assert.That(v1.IsUp, Is.False);
        Assert.That(Call(bed, v0, Psci.AffinityInfo64, 1, 0), Is.EqualTo(Psci.AffinityOff));
        v1.Regs[5] = 0xDEAD;
        Assert.That(Call(bed, v0, Psci.CpuOn64, 1, 0x4010_0000, 0xC0FFEE), Is.EqualTo(Psci.Success));
        Assert.That(v1.IsUp, Is.True);
        Assert.That(v1.Regs.Ip, Is.EqualTo(0x4010_0000UL));
        Assert.That(v1.Regs[0], Is.EqualTo(0xC0FFEEUL));
        Assert.That(v1.Regs[5], Is.Zero, "other registers start clear");
        Assert.That(v1.Regs.Flags, Is.EqualTo(GuestException.Pstate64Init));
        Assert.That(bed.Host.ReadEl1(v1, El1Reg.Sctlr), Is.EqualTo(Psci.SctlrGuestInit), "MMU off");
        Assert.That(Call(bed, v0, Psci.AffinityInfo64, 1, 0), Is.EqualTo(Psci.AffinityOn));
        Assert.That(Call(bed, v0, Psci.CpuOn64, 1, 0x4010_0000, 0), Is.EqualTo(Psci.AlreadyOn));
    }

    [Test]
    public void CpuOnRefusals()
    {
        using var bed = new Arm64Bed();
        Domain d = bed.NewDomain(cpus: 2);
        Vcpu v0 = d.Vcpus[0];
        Assert.That(Call(bed, v0, Psci.CpuOn64, 7, 0x4010_0000), Is.EqualTo(Psci.InvalidParameters), "no vCPU 7");
        Assert.That(Call(bed, v0, Psci.CpuOn64, 0x100, 0x4010_0000), Is.EqualTo(Psci.InvalidParameters), "Aff1 = 1: vCPU 16");
        Assert.That(Call(bed, v0, Psci.CpuOn64, 1, 0x4010_0001), Is.EqualTo(Psci.InvalidAddress), "Thumb bit");
        Assert.That(Call(bed, v0, Psci.CpuOn64, 0, 0x4010_0000), Is.EqualTo(Psci.AlreadyOn));
    }

    [Test]
    public void CpuOn32TruncatesItsArguments()
    {
        using var bed = new Arm64Bed();
        Domain d = bed.NewDomain(cpus: 2);
        Assert.That(Call(bed, d.Vcpus[0], Psci.CpuOn, 0xFFFF_FFFF_0000_0001, 0x1_4010_0000, 0x1_0000_0002), Is.EqualTo(Psci.Success));
        Assert.That(d.Vcpus[1].Regs.Ip, Is.EqualTo(0x4010_0000UL));
        Assert.That(d.Vcpus[1].Regs[0], Is.EqualTo(2UL));
    }

    [Test]
    public void AffinityInfoLevels()
    {
        using var bed = new Arm64Bed();
        Vcpu v = bed.NewDomain().Vcpus[0];
        Assert.That(Call(bed, v, Psci.AffinityInfo64, 0, 4), Is.EqualTo(Psci.InvalidParameters));
        Assert.That(Call(bed, v, Psci.AffinityInfo64, 5, 0), Is.EqualTo(Psci.AffinityOff), "Aff0 = 5 matches nobody");
        Assert.That(Call(bed, v, Psci.AffinityInfo64, 5, 1), Is.EqualTo(Psci.AffinityOn), "level 1 ignores Aff0");
    }

    [Test]
    public void CpuOffTakesTheVcpuDown()
    {
        using var bed = new Arm64Bed();
        Domain d = bed.NewDomain(cpus: 2);
        Vcpu v0 = d.Vcpus[0];
        v0.Regs[0] = Psci.CpuOff;
        Assert.That(bed.Exit(v0, Arm64Bed.Hvc(0)), Is.EqualTo(Arm64ExitResult.Blocked));
        Assert.That(v0.IsUp, Is.False);
        Assert.That(d.State, Is.EqualTo(DomainState.Running));
    }

    [Test]
    public void SystemOffShutsTheDomainDownAndTheHardwareDomainStopsTheMachine()
    {
        using var bed = new Arm64Bed();
        Domain d = bed.NewDomain(0, privileged: true);
        Vcpu v = d.Vcpus[0];
        v.Regs[0] = Psci.SystemOff;
        Assert.That(bed.Exit(v, Arm64Bed.Hvc(0)), Is.EqualTo(Arm64ExitResult.DomainGone));
        Assert.That(d.ShutdownCode, Is.EqualTo((uint)ShutdownReason.Poweroff));
        Assert.That(bed.M.Platform.PowerOffStatus, Is.EqualTo(0));
        Assert.That(bed.M.Platform.ConsoleText, Does.Contain("Hardware Dom0 halted: halting machine"));
    }

    [Test]
    public void SystemResetIsARebootShutdown()
    {
        using var bed = new Arm64Bed();
        Domain d = bed.NewDomain(1);
        Vcpu v = d.Vcpus[0];
        v.Regs[0] = Psci.SystemReset;
        Assert.That(bed.Exit(v, Arm64Bed.Smc(0)), Is.EqualTo(Arm64ExitResult.DomainGone));
        Assert.That(d.ShutdownCode, Is.EqualTo((uint)ShutdownReason.Reboot));
    }

    [Test]
    public void CpuSuspendWaitsUnlessAnInterruptIsPending()
    {
        using var bed = new Arm64Bed();
        Vcpu v = bed.NewDomain().Vcpus[0];
        v.Regs[0] = Psci.CpuSuspend64;
        Assert.That(bed.Exit(v, Arm64Bed.Hvc(0)), Is.EqualTo(Arm64ExitResult.Blocked));
        Assert.That(v.Blocked, Is.True);
        Assert.That(v.Regs[0], Is.Zero);
        v.Blocked = false;
        v.Arm64.Vgic.Enabled |= 1u << 20;
        Vgic.Raise(v, 20);
        v.Regs[0] = Psci.CpuSuspend64;
        bed.Cpu.Steps.Enqueue((r, c) => { c->Esr = Arm64Bed.Hvc(0); });
        // The interrupt goes into a list register on entry; the suspend then returns at once.
        Assert.That(Arm64Run.RunOnce(bed.Host, v), Is.EqualTo(Arm64ExitResult.Resume));
    }
}

using NUnit.Framework;
using XenLite.Hv.Arch.Arm64;
using XenLite.Hv.Common;

namespace XenLite.Tests.Arch.Arm64;

/// <summary>Stage-2 aborts: emulated devices are emulated, everything else becomes an abort in the guest.</summary>
[Category("arm64")]
public class AbortTests
{
    const ulong Hole = 0x3000_0000;

    [Test]
    public void AnUnmappedIpaInjectsADataAbortAndTheHostCarriesOn()
    {
        using var bed = new Arm64Bed();
        Vcpu v = bed.NewDomain().Vcpus[0];
        v.Regs.Ip = Arm64Bed.Entry + 0x100;
        v.Regs.Flags = 0x5;
        Assert.That(bed.Exit(v, Arm64Bed.DataAbort(rt: 3), far: 0xFFFF_0000_3000_0010, ipa: Hole + 0x10), Is.EqualTo(Arm64ExitResult.Resume));
        Assert.That(v.Regs.Ip, Is.EqualTo(Arm64Bed.Vbar + 0x200));
        Assert.That(bed.Cpu.El1[El1Reg.Esr], Is.EqualTo((0x25UL << 26) | Esr.Il), "data abort from the same EL");
        Assert.That(bed.Cpu.El1[El1Reg.Far], Is.EqualTo(0xFFFF_0000_3000_0010UL), "the guest's virtual address");
        Assert.That(bed.Cpu.El1[El1Reg.Elr], Is.EqualTo(Arm64Bed.Entry + 0x100), "the faulting instruction");
        Assert.That(bed.Counters.Stage2Faults, Is.EqualTo(1));
        Assert.That(bed.M.Platform.PowerOffStatus, Is.Null);
    }

    [Test]
    public void FromEl0TheAbortIsALowerElOne()
    {
        using var bed = new Arm64Bed();
        Vcpu v = bed.NewDomain().Vcpus[0];
        v.Regs.Flags = 0;
        bed.Exit(v, Arm64Bed.DataAbort(), far: Hole, ipa: Hole);
        Assert.That(bed.Cpu.El1[El1Reg.Esr] >> 26, Is.EqualTo(0x24UL));
        Assert.That(v.Regs.Ip, Is.EqualTo(Arm64Bed.Vbar + 0x400));
    }

    [Test]
    public void AnInstructionFetchFromNowhereIsAnInstructionAbort()
    {
        using var bed = new Arm64Bed();
        Vcpu v = bed.NewDomain().Vcpus[0];
        v.Regs.Flags = 0x5;
        bed.Exit(v, Arm64Bed.InstructionAbort(), far: Hole, ipa: Hole);
        Assert.That(bed.Cpu.El1[El1Reg.Esr] >> 26, Is.EqualTo(0x21UL));
    }

    [Test]
    public void AnUndecodedAccessToADeviceIsNotEmulated()
    {
        using var bed = new Arm64Bed();
        Vcpu v = bed.NewDomain().Vcpus[0];
        v.Regs.Flags = 0x5;
        ulong pc = v.Regs.Ip;
        bed.Exit(v, Arm64Bed.DataAbort(isv: false), far: GuestLayout.GicdBase, ipa: GuestLayout.GicdBase);
        Assert.That(v.Regs.Ip, Is.EqualTo(Arm64Bed.Vbar + 0x200), "ISV = 0: the abort goes to the guest");
        Assert.That(bed.Cpu.El1[El1Reg.Elr], Is.EqualTo(pc));
    }

    [Test]
    public void ADistributorReadLandsInTheTargetRegisterAndSteps()
    {
        using var bed = new Arm64Bed();
        Vcpu v = bed.NewDomain().Vcpus[0];
        ulong pc = v.Regs.Ip;
        v.Regs[3] = ulong.MaxValue;
        bed.Exit(v, Arm64Bed.DataAbort(rt: 3), ipa: GuestLayout.GicdBase + 0xFFE8);
        Assert.That(v.Regs[3], Is.EqualTo(0x3BUL), "GICD_PIDR2, ArchRev 3, zero-extended");
        Assert.That(v.Regs.Ip, Is.EqualTo(pc + 4));
    }

    [Test]
    public void WritesFromXzrStoreZero()
    {
        using var bed = new Arm64Bed();
        Domain d = bed.NewDomain();
        Vcpu v = d.Vcpus[0];
        d.Arm64.Dist.Ctlr = 2;
        bed.Exit(v, Arm64Bed.DataAbort(rt: 31, write: true), ipa: GuestLayout.GicdBase);
        Assert.That(d.Arm64.Dist.Ctlr, Is.Zero);
    }

    [TestCase(0x80UL, 1, true, true, 0xFFFF_FFFF_FFFF_FF80UL)]
    [TestCase(0x80UL, 1, true, false, 0xFFFF_FF80UL)]
    [TestCase(0x80UL, 1, false, true, 0x80UL)]
    [TestCase(0x1_2345_8000UL, 2, true, true, 0xFFFF_FFFF_FFFF_8000UL)]
    [TestCase(0xDEAD_BEEF_0000_0001UL, 8, false, true, 0xDEAD_BEEF_0000_0001UL)]
    public void LoadsSignExtendAndNarrowAsTheSyndromeSays(ulong raw, int size, bool sse, bool sf, ulong expected) =>
        Assert.That(Arm64Abort.Load(raw, size, sse, sf), Is.EqualTo(expected));

    [Test]
    public void SetWayCacheOperationsAreCompletedForTheGuest()
    {
        using var bed = new Arm64Bed();
        Vcpu v = bed.NewDomain().Vcpus[0];
        ulong pc = v.Regs.Ip;
        bed.Exit(v, Arm64Bed.Sysreg(1, 0, 7, 14, 2, 0, read: false));   // DC CISW
        Assert.That(v.Regs.Ip, Is.EqualTo(pc + 4));
    }

    [Test]
    public void OtherTrappedRegistersAreUndefined()
    {
        using var bed = new Arm64Bed();
        Vcpu v = bed.NewDomain().Vcpus[0];
        bed.Exit(v, Arm64Bed.Sysreg(3, 3, 14, 2, 0, 0, read: true));   // CNTP_TVAL_EL0: the physical timer is not offered
        Assert.That(v.Regs.Ip, Is.EqualTo(Arm64Bed.Vbar + 0x200));
    }
}

/// <summary>The SBSA UART at GUEST_PL011_BASE with its back end in the hypervisor.</summary>
[Category("vpl011")]
public class Vpl011Tests
{
    static void Put(Arm64Bed bed, Vcpu v, string text)
    {
        foreach (char ch in text)
        {
            v.Regs[1] = ch;
            bed.Exit(v, Arm64Bed.DataAbort(rt: 1, write: true, sizeLog2: 0), ipa: GuestLayout.Pl011Base);
        }
    }

    [Test]
    public void OutputIsALineOnTheConsolePrefixedByTheDomain()
    {
        using var bed = new Arm64Bed();
        Vcpu v = bed.NewDomain(3).Vcpus[0];
        Put(bed, v, "hello\r\nsecond");
        Assert.That(bed.M.Platform.ConsoleText, Does.Contain("(XEN) DOM3: hello\n"));
        Assert.That(bed.M.Platform.ConsoleText, Does.Not.Contain("second"), "no newline yet");
        Put(bed, v, "\n");
        Assert.That(bed.M.Platform.ConsoleText, Does.Contain("(XEN) DOM3: second\n"));
    }

    [Test]
    public void TransmitIsAlwaysReadyAndNothingIsReceived()
    {
        using var bed = new Arm64Bed();
        Vcpu v = bed.NewDomain().Vcpus[0];
        bed.Exit(v, Arm64Bed.DataAbort(rt: 2), ipa: GuestLayout.Pl011Base + 0x18);
        Assert.That(v.Regs[2], Is.EqualTo(0x90UL), "TXFE | RXFE");
    }

    [Test]
    public void UnmaskedTransmitInterruptRaisesSpi32()
    {
        using var bed = new Arm64Bed();
        Domain d = bed.NewDomain();
        Vcpu v = d.Vcpus[0];
        v.Regs[1] = 1u << 5;   // TXIM
        bed.Exit(v, Arm64Bed.DataAbort(rt: 1, write: true), ipa: GuestLayout.Pl011Base + 0x38);
        Put(bed, v, "x");
        Assert.That(d.Arm64.Dist.Pending & 1u, Is.EqualTo(1u), "SPI 32 pending");
    }

    [Test]
    public void TheTransmitInterruptWakesVcpu0WhenAnotherVcpuWrites()
    {
        using var bed = new Arm64Bed();
        Domain d = bed.NewDomain(cpus: 2);
        Vcpu v0 = d.Vcpus[0], v1 = d.Vcpus[1];
        v1.IsUp = true;
        v0.Blocked = true;   // waiting in WFI for the UART's interrupt
        v1.Regs[1] = 1u << 5;
        bed.Exit(v1, Arm64Bed.DataAbort(rt: 1, write: true), ipa: GuestLayout.Pl011Base + 0x38);
        Put(bed, v1, "x");
        Assert.That(d.Arm64.Dist.Pending & 1u, Is.EqualTo(1u), "SPI 32 pending");
        Assert.That(v0.Blocked, Is.False, "vCPU 0, where SPIs go, woken");
    }

    [Test]
    public void ADomainWithoutVpl011GetsAnAbort()
    {
        using var bed = new Arm64Bed();
        Vcpu v = bed.NewDomain(vpl011: false).Vcpus[0];
        v.Regs.Flags = 0x5;
        bed.Exit(v, Arm64Bed.DataAbort(rt: 1, write: true, sizeLog2: 0), far: GuestLayout.Pl011Base, ipa: GuestLayout.Pl011Base);
        Assert.That(v.Regs.Ip, Is.EqualTo(Arm64Bed.Vbar + 0x200));
    }
}

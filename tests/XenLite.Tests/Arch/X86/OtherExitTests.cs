using NUnit.Framework;
using XenLite.Hv.Arch.X86;
using XenLite.Hv.Common;

namespace XenLite.Tests.Arch.X86;

[Category("svm")]
public unsafe class OtherExitTests
{
    [TestCase(SvmExit.Vmrun)]
    [TestCase(SvmExit.Vmload)]
    [TestCase(SvmExit.Vmsave)]
    [TestCase(SvmExit.Stgi)]
    [TestCase(SvmExit.Clgi)]
    [TestCase(SvmExit.Skinit)]
    [TestCase(SvmExit.Invlpga)]
    [TestCase(SvmExit.Monitor)]
    [TestCase(SvmExit.Mwait)]
    [TestCase(SvmExit.MwaitCond)]
    [TestCase(SvmExit.Rdpru)]
    [TestCase(SvmExit.Xsetbv)]
    public void InstructionsWeDoNotEmulateRaiseUd(uint code)
    {
        using var bed = new SvmBed();
        var v = bed.NewPvh().Vcpus[0];
        Assert.That(bed.Exit(v, code), Is.EqualTo(SvmExitResult.Resume));
        Assert.That(SvmBed.VmcbOf(v)->EventInj, Is.EqualTo(0x8000_0306UL), "vector 6, type exception, no error code");
        Assert.That(v.Regs.Ip, Is.EqualTo((ulong)SvmBed.Entry), "#UD is a fault: RIP stays");
        Assert.That(bed.Hv.Lookup(1), Is.Not.Null);
    }

    [TestCase(SvmExit.Invd)]
    [TestCase(SvmExit.Wbinvd)]
    public void CacheInstructionsAreStepped(uint code)
    {
        using var bed = new SvmBed();
        var v = bed.NewPvh().Vcpus[0];
        bed.Exit(v, code);
        Assert.That(v.Regs.Ip, Is.EqualTo(SvmBed.Entry + 2UL));
        Assert.That(SvmBed.VmcbOf(v)->EventInj, Is.Zero);
    }

    [TestCase(SvmExit.Intr)]
    [TestCase(SvmExit.Nmi)]
    [TestCase(SvmExit.Smi)]
    [TestCase(SvmExit.Init)]
    public void HostEventsLeaveTheGuestAlone(uint code)
    {
        using var bed = new SvmBed();
        var v = bed.NewPvh().Vcpus[0];
        Assert.That(bed.Exit(v, code), Is.EqualTo(SvmExitResult.HostEvent));
        Assert.That(v.Regs.Ip, Is.EqualTo((ulong)SvmBed.Entry));
        Assert.That(SvmBed.VmcbOf(v)->EventInj, Is.Zero);
    }

    [Test]
    public void AnEventCutShortByTheExitIsDeliveredAgain()
    {
        using var bed = new SvmBed();
        var v = bed.NewPvh().Vcpus[0];
        const ulong pendingPf = 0x0000_0002_8000_0B0E; // #PF, error code 2
        bed.Exit(v, SvmExit.Intr, guest: (vmcb, _) => vmcb->ExitIntInfo = pendingPf);
        Assert.That(SvmBed.VmcbOf(v)->EventInj, Is.EqualTo(pendingPf));
    }

    [Test]
    public void GuestRegistersComeBackFromTheVmcbAndTheStub()
    {
        using var bed = new SvmBed();
        var v = bed.NewPvh().Vcpus[0];
        bed.Exit(v, SvmExit.Intr, guest: (vmcb, regs) =>
        {
            vmcb->Rax = 0xAA; vmcb->Rsp = 0x7000; vmcb->Rip = 0x2345; vmcb->Rflags = 0x202;
            regs->Gpr[X86Reg.Rsi] = 0x55;
        });
        Assert.That(v.Regs[X86Reg.Rax], Is.EqualTo(0xAAUL));
        Assert.That(v.Regs[X86Reg.Rsp], Is.EqualTo(0x7000UL));
        Assert.That(v.Regs.Ip, Is.EqualTo(0x2345UL));
        Assert.That(v.Regs.Flags, Is.EqualTo(0x202UL));
        Assert.That(v.Regs[X86Reg.Rsi], Is.EqualTo(0x55UL));
    }
}

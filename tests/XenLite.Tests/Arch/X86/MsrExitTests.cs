using NUnit.Framework;
using XenLite.Hv.Arch.X86;
using XenLite.Hv.Common;

namespace XenLite.Tests.Arch.X86;

[Category("svm")]
public unsafe class MsrExitTests
{
    const ulong Gp0 = 0x8000_0B0D;

    static SvmExitResult Wrmsr(SvmBed bed, Vcpu v, uint msr, ulong value)
    {
        v.Regs[X86Reg.Rcx] = msr;
        v.Regs[X86Reg.Rax] = (uint)value;
        v.Regs[X86Reg.Rdx] = value >> 32;
        return bed.Exit(v, SvmExit.Msr, info1: 1);
    }

    static SvmExitResult Rdmsr(SvmBed bed, Vcpu v, uint msr, out ulong value)
    {
        v.Regs[X86Reg.Rcx] = msr;
        var r = bed.Exit(v, SvmExit.Msr, info1: 0);
        value = (v.Regs[X86Reg.Rdx] << 32) | (uint)v.Regs[X86Reg.Rax];
        return r;
    }

    [TestCase(0xC001_0117u)] // VM_HSAVE_PA: nested SVM is hidden
    [TestCase(0x1Bu)]        // APIC base: no virtual LAPIC
    [TestCase(0x4000_0001u)] // beyond the hypercall-page MSR
    [TestCase(0xDEAD_BEEFu)]
    public void UnknownMsrReadInjectsGpAndStaysOnTheInstruction(uint msr)
    {
        using var bed = new SvmBed();
        var v = bed.NewPvh().Vcpus[0];
        ulong rip = v.Regs.Ip;
        Assert.That(Rdmsr(bed, v, msr, out _), Is.EqualTo(SvmExitResult.Resume));
        Assert.That(SvmBed.VmcbOf(v)->EventInj, Is.EqualTo(Gp0));
        Assert.That(v.Regs.Ip, Is.EqualTo(rip));
    }

    [Test]
    public void UnknownMsrWriteInjectsGp()
    {
        using var bed = new SvmBed();
        var v = bed.NewPvh().Vcpus[0];
        Wrmsr(bed, v, 0x1B, 0xFEE0_0900);
        Assert.That(SvmBed.VmcbOf(v)->EventInj, Is.EqualTo(Gp0));
    }

    [Test]
    public void InjectedEventIsClearedByTheNextExit()
    {
        using var bed = new SvmBed();
        var v = bed.NewPvh().Vcpus[0];
        Rdmsr(bed, v, 0x1B, out _);
        bed.Exit(v, SvmExit.Intr);
        Assert.That(bed.Cpu.LastEntry.EventInj, Is.EqualTo(Gp0), "delivered on the VMRUN after");
        Assert.That(SvmBed.VmcbOf(v)->EventInj, Is.Zero);
    }

    [Test]
    public void EferReadsWithoutSvmeAndWritesKeepIt()
    {
        using var bed = new SvmBed();
        var v = bed.NewPvh().Vcpus[0];
        ulong rip = v.Regs.Ip;
        Assert.That(Rdmsr(bed, v, SvmHost.MsrEfer, out ulong efer), Is.EqualTo(SvmExitResult.Resume));
        Assert.That(efer, Is.Zero);
        Assert.That(v.Regs.Ip, Is.EqualTo(rip + 2));
        Wrmsr(bed, v, SvmHost.MsrEfer, X86Bits.EferLme | X86Bits.EferNxe | X86Bits.EferSce);
        Assert.That(SvmBed.VmcbOf(v)->Efer, Is.EqualTo(X86Bits.EferLme | X86Bits.EferNxe | X86Bits.EferSce | X86Bits.EferSvme));
        Assert.That(SvmBed.VmcbOf(v)->EventInj, Is.Zero);
        Rdmsr(bed, v, SvmHost.MsrEfer, out efer);
        Assert.That(efer, Is.EqualTo(X86Bits.EferLme | X86Bits.EferNxe | X86Bits.EferSce));
    }

    [TestCase(X86Bits.EferSvme)]
    [TestCase(1UL << 2)]
    [TestCase(1UL << 63)]
    public void EferReservedOrSvmeBitIsGp(ulong bad)
    {
        using var bed = new SvmBed();
        var v = bed.NewPvh().Vcpus[0];
        Wrmsr(bed, v, SvmHost.MsrEfer, bad);
        Assert.That(SvmBed.VmcbOf(v)->EventInj, Is.EqualTo(Gp0));
        Assert.That(SvmBed.VmcbOf(v)->Efer, Is.EqualTo(X86Bits.EferSvme));
    }

    [Test]
    public void EferLmeCannotChangeWhilePagingIsOn()
    {
        using var bed = new SvmBed();
        var v = bed.NewPvh().Vcpus[0];
        SvmBed.VmcbOf(v)->Cr0 |= X86Bits.Cr0Pg;
        Wrmsr(bed, v, SvmHost.MsrEfer, X86Bits.EferLme);
        Assert.That(SvmBed.VmcbOf(v)->EventInj, Is.EqualTo(Gp0));
    }

    [Test]
    public void PatIsTheGuestsOwnAndValidated()
    {
        using var bed = new SvmBed();
        var v = bed.NewPvh().Vcpus[0];
        Rdmsr(bed, v, SvmMsrs.Pat, out ulong pat);
        Assert.That(pat, Is.EqualTo(SvmSetup.PatReset));
        Wrmsr(bed, v, SvmMsrs.Pat, 0x0007_0106_0007_0406);
        Assert.That(SvmBed.VmcbOf(v)->GPat, Is.EqualTo(0x0007_0106_0007_0406UL));
        Wrmsr(bed, v, SvmMsrs.Pat, 0x0007_0406_0007_0402); // type 2 is reserved
        Assert.That(SvmBed.VmcbOf(v)->EventInj, Is.EqualTo(Gp0));
        Assert.That(SvmBed.VmcbOf(v)->GPat, Is.EqualTo(0x0007_0106_0007_0406UL));
    }

    [Test]
    public void TscReadsHostTscPlusOffsetAndWritesMoveTheOffset()
    {
        using var bed = new SvmBed();
        var v = bed.NewPvh().Vcpus[0];
        Wrmsr(bed, v, SvmMsrs.Tsc, 5_000_000);
        Assert.That(SvmBed.VmcbOf(v)->TscOffset, Is.EqualTo(5_000_000 - bed.Cpu.Tsc));
        bed.Cpu.Tsc += 77;
        Rdmsr(bed, v, SvmMsrs.Tsc, out ulong tsc);
        Assert.That(tsc, Is.EqualTo(5_000_077UL));
    }
}

using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Arch.X86;
using XenLite.Hv.Common;
using XenLite.Tests.Dispatch;

namespace XenLite.Tests.Arch.X86;

[Category("svm")]
public unsafe class VmmcallExitTests
{
    [Test]
    public void UnknownHypercallReturnsEnosysAndStepsOverVmmcall()
    {
        using var bed = new SvmBed();
        var v = bed.NewPvh().Vcpus[0];
        v.Regs[X86Reg.Rax] = 63;
        Assert.That(bed.Exit(v, SvmExit.Vmmcall), Is.EqualTo(SvmExitResult.Resume));
        Assert.That((int)(uint)v.Regs[X86Reg.Rax], Is.EqualTo(-Errno.ENOSYS));
        Assert.That(v.Regs.Ip, Is.EqualTo(SvmBed.Entry + 3UL));
        Assert.That(v.Mode, Is.EqualTo(GuestMode.Hvm32));
        bed.Exit(v, SvmExit.Intr);
        Assert.That((int)(uint)bed.Cpu.LastEntry.Rax, Is.EqualTo(-Errno.ENOSYS), "result reaches the guest's rax");
        Assert.That(bed.Cpu.LastEntry.Rip, Is.EqualTo(SvmBed.Entry + 3UL));
    }

    [Test]
    public void XenVersionRoundTripIn32BitMode()
    {
        using var bed = new SvmBed();
        var v = bed.NewPvh().Vcpus[0];
        v.Regs[X86Reg.Rax] = HypercallNumber.XenVersion;
        v.Regs[X86Reg.Rbx] = 0; // XENVER_version
        bed.Exit(v, SvmExit.Vmmcall);
        Assert.That(v.Regs[X86Reg.Rax], Is.EqualTo((ulong)(BuildInfo.Major << 16 | BuildInfo.Minor)));
    }

    [Test]
    public void LongModeWithCsLUses64BitRegisters()
    {
        using var bed = new SvmBed();
        var v = bed.NewPvh().Vcpus[0];
        SvmBed.EnterLongMode(v);
        v.Regs.Ip = 0xFFFF_FFFF_8100_0000;
        v.Regs[X86Reg.Rax] = HypercallNumber.XenVersion;
        v.Regs[X86Reg.Rdi] = 0;
        v.Regs[X86Reg.Rbx] = 99; // would be the 32-bit argument
        bed.Exit(v, SvmExit.Vmmcall);
        Assert.That(v.Mode, Is.EqualTo(GuestMode.Hvm64));
        Assert.That(v.Regs[X86Reg.Rax], Is.EqualTo((ulong)(BuildInfo.Major << 16 | BuildInfo.Minor)));
        Assert.That(v.Regs.Ip, Is.EqualTo(0xFFFF_FFFF_8100_0003UL), "no 32-bit wrap in 64-bit mode");
    }

    [Test]
    public void LongModeCompatibilitySegmentIsHvm32AndRipWraps()
    {
        using var bed = new SvmBed();
        var v = bed.NewPvh().Vcpus[0];
        SvmBed.EnterLongMode(v);
        SvmBed.VmcbOf(v)->Cs.Attrib = 0xC9B; // CS.L clear: compatibility mode
        v.Regs.Ip = 0xFFFF_FFFE;
        v.Regs[X86Reg.Rax] = 63;
        bed.Exit(v, SvmExit.Vmmcall);
        Assert.That(v.Mode, Is.EqualTo(GuestMode.Hvm32));
        Assert.That(v.Regs.Ip, Is.EqualTo(1UL));
    }

    [Test]
    public void UserModeCallerGetsEperm()
    {
        using var bed = new SvmBed();
        var v = bed.NewPvh().Vcpus[0];
        SvmBed.VmcbOf(v)->Cpl = 3;
        v.Regs[X86Reg.Rax] = HypercallNumber.XenVersion;
        bed.Exit(v, SvmExit.Vmmcall);
        Assert.That((long)v.Regs[X86Reg.Rax], Is.EqualTo(-Errno.EPERM));
        Assert.That(v.Regs.Ip, Is.EqualTo(SvmBed.Entry + 3UL));
    }

    [Test]
    public void PreemptedHypercallLeavesRipOnVmmcall()
    {
        using var bed = new SvmBed(LongOpStandIn.Register);
        var d = bed.NewPvh();
        var v = d.Vcpus[0];
        bed.M.Platform.PreemptAfterChecks = 0;
        v.Regs[X86Reg.Rax] = HypercallNumber.MemoryOp;
        v.Regs[X86Reg.Rbx] = LongOpStandIn.Op;
        v.Regs[X86Reg.Rcx] = 0x8000; // counters array
        v.Regs[X86Reg.Rdx] = 4;
        bed.Exit(v, SvmExit.Vmmcall);
        Assert.That(v.Regs.Ip, Is.EqualTo((ulong)SvmBed.Entry), "re-executed later");
        Assert.That(v.Regs[X86Reg.Rax], Is.EqualTo((ulong)HypercallNumber.MemoryOp));
        Assert.That(v.Regs[X86Reg.Rbx] >> LongOpStandIn.ExtentShift, Is.EqualTo(1UL), "continues at extent 1");

        bed.M.Platform.PreemptAfterChecks = int.MaxValue;
        bed.Exit(v, SvmExit.Vmmcall);
        Assert.That(v.Regs[X86Reg.Rax], Is.EqualTo(4UL), "the stand-in returns its extent count");
        Assert.That(v.Regs.Ip, Is.EqualTo(SvmBed.Entry + 3UL));
        Assert.That(bed.M.Peek(d, 0x8000, 16), Is.EqualTo(new byte[] { 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0 }));
    }
}

using NUnit.Framework;
using XenLite.Hv.Arch.X86;
using XenLite.Hv.Common;

namespace XenLite.Tests.Arch.X86;

[Category("svm")]
[Category("hypercall_page")]
public unsafe class HypercallPageTests
{
    const ulong PageGpa = 0x9000;

    static SvmExitResult WriteMsr(SvmBed bed, Vcpu v, ulong value)
    {
        v.Regs[X86Reg.Rcx] = SvmMsrs.HypercallPage;
        v.Regs[X86Reg.Rax] = (uint)value;
        v.Regs[X86Reg.Rdx] = value >> 32;
        return bed.Exit(v, SvmExit.Msr, info1: 1);
    }

    [Test]
    public void EverySlotHoldsTheSvmStub()
    {
        using var bed = new SvmBed();
        var d = bed.NewPvh();
        var v = d.Vcpus[0];
        bed.M.Poke(d, PageGpa, new byte[4096]);
        ulong rip = v.Regs.Ip;
        Assert.That(WriteMsr(bed, v, PageGpa), Is.EqualTo(SvmExitResult.Resume));
        Assert.That(v.Regs.Ip, Is.EqualTo(rip + 2));
        Assert.That(SvmBed.VmcbOf(v)->EventInj, Is.Zero);

        byte[] page = bed.M.Peek(d, PageGpa, 4096);
        Assert.That(HypercallPageWriter.Slots, Is.EqualTo(128));
        for (int n = 0; n < 128; n++)
        {
            var slot = new byte[32];
            System.Array.Copy(page, n * 32, slot, 0, 32);
            var expect = new byte[32];
            System.Array.Fill(expect, (byte)0xCC);
            if (n == 23)
            {
                expect[0] = 0x0F; expect[1] = 0x0B; // __HYPERVISOR_iret: ud2
            }
            else
            {
                byte[] stub = { 0xB8, (byte)n, 0, 0, 0, 0x0F, 0x01, 0xD9, 0xC3 };
                stub.CopyTo(expect, 0);
            }
            Assert.That(slot, Is.EqualTo(expect), $"slot {n}");
        }
    }

    [Test]
    public void APageIndexIsGpAndNothingIsWritten()
    {
        using var bed = new SvmBed();
        var d = bed.NewPvh();
        var v = d.Vcpus[0];
        ulong rip = v.Regs.Ip;
        WriteMsr(bed, v, PageGpa | 1);
        Assert.That(SvmBed.VmcbOf(v)->EventInj, Is.EqualTo(0x8000_0B0DUL));
        Assert.That(v.Regs.Ip, Is.EqualTo(rip));
        Assert.That(bed.M.Peek(d, PageGpa, 32), Is.EqualTo(new byte[32]));
    }

    [TestCase(0x10_0000UL)]          // past the domain's 64 pages
    [TestCase(0xFFFF_F000_0000UL)]
    public void APageTheGuestDoesNotHaveIsGp(ulong gpa)
    {
        using var bed = new SvmBed();
        var v = bed.NewPvh().Vcpus[0];
        WriteMsr(bed, v, gpa);
        Assert.That(SvmBed.VmcbOf(v)->EventInj, Is.EqualTo(0x8000_0B0DUL));
    }

    [Test]
    public void TheMsrReadsAsZero()
    {
        using var bed = new SvmBed();
        var v = bed.NewPvh().Vcpus[0];
        v.Regs[X86Reg.Rcx] = SvmMsrs.HypercallPage;
        v.Regs[X86Reg.Rax] = 0x1234;
        v.Regs[X86Reg.Rdx] = 0x5678;
        bed.Exit(v, SvmExit.Msr, info1: 0);
        Assert.That((v.Regs[X86Reg.Rax], v.Regs[X86Reg.Rdx]), Is.EqualTo((0UL, 0UL)));
        Assert.That(SvmBed.VmcbOf(v)->EventInj, Is.Zero);
    }
}

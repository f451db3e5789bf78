using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Arch.X86;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;
using XenLite.Tests.Harness;

namespace XenLite.Tests.Arch.X86;

[Category("svm")]
public unsafe class SvmSetupTests
{
    [Test]
    public void StartSwitchesSvmOnAndPointsHsaveAtAHypervisorFrame()
    {
        using var bed = new SvmBed();
        Assert.That(bed.Cpu.Msrs[SvmHost.MsrEfer] & X86Bits.EferSvme, Is.Not.Zero);
        Assert.That(bed.Cpu.Msrs[SvmHost.MsrEfer] & 0xD01, Is.EqualTo(0xD01UL), "host EFER bits kept");
        var hsave = new Maddr(bed.Cpu.Msrs[SvmHost.MsrVmHsavePa]).Frame;
        Assert.That(bed.Hv.Memory.OwnerOf(hsave), Is.EqualTo((ushort)DomainIds.Xen));
    }

    [Test]
    public void IopmInterceptsEveryPortAndIsContiguous()
    {
        using var bed = new SvmBed();
        var first = new Maddr(bed.Host.IopmMaddr).Frame;
        for (ulong f = 0; f < SvmHost.IopmFrames; f++)
        {
            var mfn = new Mfn(first.Value + f);
            Assert.That(bed.Hv.Memory.OwnerOf(mfn), Is.EqualTo((ushort)DomainIds.Xen));
            byte* p = bed.Hv.Memory.Map(mfn);
            for (int i = 0; i < 4096; i++) Assert.That(p[i], Is.EqualTo(0xFF));
        }
    }

    [TestCase(SvmMsrs.FsBase)]
    [TestCase(SvmMsrs.GsBase)]
    [TestCase(SvmMsrs.KernelGsBase)]
    [TestCase(SvmMsrs.Star)]
    [TestCase(SvmMsrs.Lstar)]
    [TestCase(SvmMsrs.Cstar)]
    [TestCase(SvmMsrs.Sfmask)]
    [TestCase(SvmMsrs.SysenterCs)]
    [TestCase(SvmMsrs.SysenterEsp)]
    [TestCase(SvmMsrs.SysenterEip)]
    public void MsrpmLetsVmcbBackedMsrsThrough(uint msr) =>
        Assert.That(MsrpmBits(msr), Is.EqualTo(0));

    [TestCase(SvmHost.MsrEfer)]
    [TestCase(SvmMsrs.Pat)]
    [TestCase(SvmMsrs.Tsc)]
    [TestCase(0x1Bu)]          // APIC base
    [TestCase(0xC001_0117u)]   // VM_HSAVE_PA
    [TestCase(0xC001_1FFFu)]
    public void MsrpmInterceptsEverythingElse(uint msr) =>
        Assert.That(MsrpmBits(msr), Is.EqualTo(3));

    [Test]
    public void MsrsOutsideTheMapRangesHaveNoBit()
    {
        Assert.That(SvmMsrs.PermissionBit(SvmMsrs.HypercallPage), Is.EqualTo(-1));
        Assert.That(SvmMsrs.PermissionBit(0x2000), Is.EqualTo(-1));
        Assert.That(SvmMsrs.PermissionBit(0xC000_0080), Is.EqualTo(0x800 * 8 + 0x80 * 2));
        Assert.That(SvmMsrs.PermissionBit(0xC001_0117), Is.EqualTo(0x1000 * 8 + 0x117 * 2));
    }

    static int MsrpmBits(uint msr)
    {
        using var bed = new SvmBed();
        byte* map = bed.Hv.Memory.Map(new Maddr(bed.Host.MsrpmMaddr).Frame);
        long bit = SvmMsrs.PermissionBit(msr);
        return (map[bit / 8] >> (int)(bit % 8)) & 3;
    }

    [Test]
    public void StartRefusesWithoutSvm()
    {
        using var m = new TestMachine();
        var cpu = new FakeX86Cpu { Memory = m.Hv.Memory };
        cpu.Leaves[(0x8000_0001, 0)] = (0, 0, FakeX86Cpu.Ext1Ecx & ~4u, 0);
        Assert.That(SvmHost.Start(m.Hv, cpu), Is.Null);
        Assert.That(m.Platform.ConsoleText, Does.Contain("SVM: not supported"));
        Assert.That(cpu.Msrs[SvmHost.MsrEfer] & X86Bits.EferSvme, Is.Zero);
    }

    [Test]
    public void StartRefusesWhenFirmwareDisabledSvm()
    {
        using var m = new TestMachine();
        var cpu = new FakeX86Cpu { Memory = m.Hv.Memory };
        cpu.Msrs[SvmHost.MsrVmCr] = 1 << 4;
        Assert.That(SvmHost.Start(m.Hv, cpu), Is.Null);
        Assert.That(m.Platform.ConsoleText, Does.Contain("SVMDIS"));
    }

    [Test]
    public void StartRefusesWithoutNestedPaging()
    {
        using var m = new TestMachine();
        var cpu = new FakeX86Cpu { Memory = m.Hv.Memory };
        cpu.Leaves[(0x8000_000A, 0)] = (1, 16, 0, 0);
        Assert.That(SvmHost.Start(m.Hv, cpu), Is.Null);
        Assert.That(m.Platform.ConsoleText, Does.Contain("nested paging"));
    }

    [Test]
    public void PvhVcpuStartsLikeXensPvhEntry()
    {
        using var bed = new SvmBed();
        var d = bed.NewPvh();
        var v = d.Vcpus[0];
        Vmcb* vmcb = SvmBed.VmcbOf(v);
        foreach (var (seg, attr) in new[] { (vmcb->Cs, 0xC9B), (vmcb->Ds, 0xC93), (vmcb->Es, 0xC93), (vmcb->Ss, 0xC93) })
        {
            Assert.That(seg.Selector, Is.EqualTo(0));
            Assert.That(seg.Attrib, Is.EqualTo(attr));
            Assert.That(seg.Limit, Is.EqualTo(0xFFFF_FFFFu));
            Assert.That(seg.Base, Is.EqualTo(0UL));
        }
        Assert.That(vmcb->Tr.Attrib, Is.EqualTo(0x8B));
        Assert.That(vmcb->Tr.Limit, Is.EqualTo(0x67u));
        Assert.That(vmcb->Cr0, Is.EqualTo(0x11UL), "PE|ET, paging off");
        Assert.That(vmcb->Cr4, Is.EqualTo(0UL));
        Assert.That(vmcb->Efer, Is.EqualTo(X86Bits.EferSvme));
        Assert.That(vmcb->Cpl, Is.EqualTo(0));
        Assert.That(vmcb->GPat, Is.EqualTo(0x0007_0406_0007_0406UL));
        Assert.That(v.Regs.Ip, Is.EqualTo((ulong)SvmBed.Entry));
        Assert.That(v.Regs[X86Reg.Rbx], Is.EqualTo((ulong)SvmBed.StartInfo));
        Assert.That(v.Regs.Flags, Is.EqualTo(2UL));
        Assert.That(v.Mode, Is.EqualTo(GuestMode.Hvm32));

        bed.Exit(v, SvmExit.Intr);
        Assert.That(bed.Cpu.LastEntry.Rip, Is.EqualTo((ulong)SvmBed.Entry), "registers reach the VMCB at VMRUN");
        Assert.That(bed.Cpu.LastEntry.Rflags, Is.EqualTo(2UL));
        Assert.That(bed.Cpu.LastVmcbMaddr, Is.EqualTo(v.X86.VmcbFrame.ToMaddr().Value));
    }

    [Test]
    public void ControlAreaInterceptsWhatAPvhGuestNeeds()
    {
        using var bed = new SvmBed();
        var d = bed.NewPvh();
        Vmcb* vmcb = SvmBed.VmcbOf(d.Vcpus[0]);
        uint i1 = SvmIntercept1.Cpuid | SvmIntercept1.MsrProt | SvmIntercept1.IoioProt | SvmIntercept1.Hlt |
                  SvmIntercept1.Shutdown | SvmIntercept1.Init | SvmIntercept1.Invlpga | SvmIntercept1.Intr;
        uint i2 = SvmIntercept2.Vmrun | SvmIntercept2.Vmmcall | SvmIntercept2.Vmload | SvmIntercept2.Vmsave |
                  SvmIntercept2.Stgi | SvmIntercept2.Clgi | SvmIntercept2.Skinit;
        Assert.That(vmcb->Intercepts1 & i1, Is.EqualTo(i1));
        Assert.That(vmcb->Intercepts2 & i2, Is.EqualTo(i2));
        Assert.That(vmcb->IopmBasePa, Is.EqualTo(bed.Host.IopmMaddr));
        Assert.That(vmcb->MsrpmBasePa, Is.EqualTo(bed.Host.MsrpmMaddr));
        Assert.That(vmcb->NpControl & 1, Is.EqualTo(1UL));
        Assert.That(vmcb->NCr3, Is.EqualTo(d.X86.NptRoot.ToMaddr().Value));
        Assert.That(vmcb->VIntr & (1UL << 24), Is.Not.Zero, "V_INTR_MASKING");
        Assert.That(vmcb->Asid, Is.Not.Zero);
    }

    [Test]
    public void EachDomainGetsItsOwnNonZeroAsidAndGivesItBack()
    {
        using var bed = new SvmBed();
        var d1 = bed.NewPvh(1);
        var d2 = bed.NewPvh(2);
        uint a1 = d1.X86.Asid, a2 = d2.X86.Asid;
        Assert.That(a1, Is.Not.Zero);
        Assert.That(a2, Is.Not.Zero.And.Not.EqualTo(a1));
        Assert.That(SvmBed.VmcbOf(d2.Vcpus[0])->Asid, Is.EqualTo(a2));
        SvmDomain.Destroy(bed.Host, d1);
        Assert.That(d1.X86, Is.Null);
        Assert.That(bed.Host.AllocateAsid(), Is.EqualTo(a1));
    }

    [Test]
    public void RunningOutOfAsidsRefusesTheDomainAndKeepsNothing()
    {
        using var bed = new SvmBed();
        for (uint i = 1; i < FakeX86Cpu.Asids; i++) Assert.That(bed.Host.AllocateAsid(), Is.Not.Zero);
        var d = bed.M.NewDomain(GuestMode.Hvm64, 1, 16, privileged: false);
        ulong free = bed.Hv.Memory.FreeFrames;
        Assert.That(SvmDomain.Create(bed.Host, d), Is.False);
        Assert.That(d.X86, Is.Null);
        Assert.That(d.Vcpus[0].X86, Is.Null);
        Assert.That(bed.Hv.Memory.FreeFrames, Is.EqualTo(free));
    }

    [Test]
    public void VcpusBeyondTheFirstGetAVmcbButStayDown()
    {
        using var bed = new SvmBed();
        var d = bed.NewPvh(vcpus: 2);
        Assert.That(d.Vcpus[1].X86.VmcbFrame.IsValid, Is.True);
        Assert.That(d.Vcpus[1].X86.VmcbFrame.Value, Is.Not.EqualTo(d.Vcpus[0].X86.VmcbFrame.Value));
        Assert.That(SvmRun.RunOnce(bed.Host, d.Vcpus[1]), Is.EqualTo(SvmExitResult.Blocked));
        Assert.That(bed.Cpu.VmRuns, Is.Zero);
    }
}

using System.Collections.Generic;
using NUnit.Framework;
using XenLite.Hv.Arch.X86;
using XenLite.Hv.Common;

namespace XenLite.Tests.Arch.X86;

/// <summary>
/// Under VMX the guest's KERNEL_GS_BASE/STAR/LSTAR/CSTAR/SFMASK are what the CPU holds while the
/// guest runs (VM-entry MSR-load list) and the host's are back after each exit (VM-exit MSR-store
/// and MSR-load lists); guest PAT and the TSC offset reach their VMCS fields, with controls the
/// capability MSRs allow. The fake CPU plays the lists and PAT controls as the SDM describes.
/// </summary>
[Category("vmx")]
public unsafe class VmxMsrSwitchTests
{
    static readonly uint[] Swapped = { SvmMsrs.KernelGsBase, SvmMsrs.Star, SvmMsrs.Lstar, SvmMsrs.Cstar, SvmMsrs.Sfmask };

    static readonly Dictionary<uint, ulong> GuestValues = new()
    {
        [SvmMsrs.KernelGsBase] = 0xFFFF_8880_0F60_0000,
        [SvmMsrs.Star] = 0x0023_0010_0000_0000,
        [SvmMsrs.Lstar] = 0xFFFF_FFFF_8180_0080,
        [SvmMsrs.Cstar] = 0xFFFF_FFFF_8180_1C40,
        [SvmMsrs.Sfmask] = 0x0004_7700,
    };

    static Dictionary<uint, ulong> HostValues => new()
    {
        [SvmMsrs.KernelGsBase] = FakeVmxCpu.HostKernelGsBase,
        [SvmMsrs.Star] = FakeVmxCpu.HostStar,
        [SvmMsrs.Lstar] = FakeVmxCpu.HostLstar,
        [SvmMsrs.Cstar] = FakeVmxCpu.HostCstar,
        [SvmMsrs.Sfmask] = FakeVmxCpu.HostSfmask,
    };

    static SvmExitResult Wrmsr(VmxBed bed, Vcpu v, uint msr, ulong value)
    {
        v.Regs[X86Reg.Rcx] = msr;
        v.Regs[X86Reg.Rax] = value & 0xFFFF_FFFF;
        v.Regs[X86Reg.Rdx] = value >> 32;
        return bed.Exit(v, VmxExit.Wrmsr, length: 2);
    }

    static ulong Rdmsr(VmxBed bed, Vcpu v, uint msr)
    {
        v.Regs[X86Reg.Rcx] = msr;
        bed.Exit(v, VmxExit.Rdmsr, length: 2);
        return (v.Regs[X86Reg.Rdx] << 32) | (uint)v.Regs[X86Reg.Rax];
    }

    static Dictionary<uint, ulong> Held(FakeVmxCpu cpu)
    {
        var held = new Dictionary<uint, ulong>();
        foreach (uint m in Swapped) held[m] = cpu.Msrs[m];
        return held;
    }

    [Test]
    public void TheVmcsPointsAtTwoAlignedListsOfTheFiveMsrs()
    {
        using var bed = new VmxBed();
        var v = bed.NewPvh().Vcpus[0];
        bed.Exit(v, VmxExit.ExternalInterrupt);
        var e = bed.Cpu.LastEntry;
        ulong guest = e[VmcsField.EntryMsrLoadAddress];
        Assert.That(guest & 15, Is.Zero);
        Assert.That(e[VmcsField.ExitMsrStoreAddress], Is.EqualTo(guest), "the guest list is both the entry load and the exit store list");
        Assert.That(e[VmcsField.ExitMsrLoadAddress], Is.EqualTo(guest + VmxMsrArea.HostOffset));
        Assert.That(e[VmcsField.EntryMsrLoadCount], Is.EqualTo(5UL));
        Assert.That(e[VmcsField.ExitMsrStoreCount], Is.EqualTo(5UL));
        Assert.That(e[VmcsField.ExitMsrLoadCount], Is.EqualTo(5UL));
        var host = (VmxMsrEntry*)bed.Cpu.MapMachine(guest + VmxMsrArea.HostOffset);
        for (int i = 0; i < 5; i++)
        {
            Assert.That(host[i].Index, Is.EqualTo(Swapped[i]));
            Assert.That(host[i].Value, Is.EqualTo(HostValues[Swapped[i]]), $"host value of msr {Swapped[i]:x} read at set-up");
        }
    }

    [Test]
    public void AGuestsSyscallMsrsAreInTheCpuWhileItRunsAndTheHostsAreBackAfterTheExit()
    {
        using var bed = new VmxBed();
        var v = bed.NewPvh().Vcpus[0];
        foreach (var (msr, value) in GuestValues)
        {
            Assert.That(Wrmsr(bed, v, msr, value), Is.EqualTo(SvmExitResult.Resume));
            Assert.That(Held(bed.Cpu), Is.EqualTo(HostValues), $"after the exit of the WRMSR to {msr:x}, the host's values");
        }

        Dictionary<uint, ulong> during = null;
        bed.Exit(v, VmxExit.ExternalInterrupt, guest: (cpu, regs) => during = Held(cpu));
        Assert.That(during, Is.EqualTo(GuestValues), "the CPU holds the guest's values during the entry");
        Assert.That(Held(bed.Cpu), Is.EqualTo(HostValues), "and the host's after the exit");
        foreach (var (msr, value) in GuestValues)
            Assert.That(Rdmsr(bed, v, msr), Is.EqualTo(value), $"RDMSR {msr:x}");
    }

    [Test]
    public void SwapgsInTheGuestIsCaughtByTheExitStore()
    {
        using var bed = new VmxBed();
        var v = bed.NewPvh().Vcpus[0];
        const ulong user = 0x0000_7F00_0000_1000, kernel = 0xFFFF_8880_0F60_0000;
        Wrmsr(bed, v, SvmMsrs.GsBase, user);
        Wrmsr(bed, v, SvmMsrs.KernelGsBase, kernel);
        // The guest enters its kernel: SWAPGS exchanges GS.base and KERNEL_GS_BASE, no exit.
        bed.Exit(v, VmxExit.ExternalInterrupt, guest: (cpu, regs) =>
        {
            ulong gs = cpu[VmcsField.GuestBase + 2 * VmcsField.Gs];
            cpu[VmcsField.GuestBase + 2 * VmcsField.Gs] = cpu.Msrs[SvmMsrs.KernelGsBase];
            cpu.Msrs[SvmMsrs.KernelGsBase] = gs;
        });
        Assert.That(bed.Cpu.Msrs[SvmMsrs.KernelGsBase], Is.EqualTo(FakeVmxCpu.HostKernelGsBase), "the host's is back");
        Assert.That(v.X86.Vmcb->Gs.Base, Is.EqualTo(kernel));
        Assert.That(v.X86.Vmcb->KernelGsBase, Is.EqualTo(user), "the swapped value is the guest's now");
        ulong held = 0;
        bed.Exit(v, VmxExit.ExternalInterrupt, guest: (cpu, regs) => held = cpu.Msrs[SvmMsrs.KernelGsBase]);
        Assert.That(held, Is.EqualTo(user), "and goes back into the CPU at the next entry");
        Assert.That(Rdmsr(bed, v, SvmMsrs.KernelGsBase), Is.EqualTo(user));
    }

    [Test]
    public void EachVcpuEntersWithItsOwnValues()
    {
        using var bed = new VmxBed();
        var a = bed.NewPvh(id: 1).Vcpus[0];
        var b = bed.NewPvh(id: 2).Vcpus[0];
        Wrmsr(bed, a, SvmMsrs.Lstar, 0xFFFF_FFFF_8180_0080);
        Wrmsr(bed, b, SvmMsrs.Lstar, 0xFFFF_FFFF_A000_0040);
        ulong seenA = 0, seenB = 0;
        bed.Exit(a, VmxExit.ExternalInterrupt, guest: (cpu, regs) => seenA = cpu.Msrs[SvmMsrs.Lstar]);
        bed.Exit(b, VmxExit.ExternalInterrupt, guest: (cpu, regs) => seenB = cpu.Msrs[SvmMsrs.Lstar]);
        Assert.That(seenA, Is.EqualTo(0xFFFF_FFFF_8180_0080UL));
        Assert.That(seenB, Is.EqualTo(0xFFFF_FFFF_A000_0040UL));
        Assert.That(bed.Cpu.Msrs[SvmMsrs.Lstar], Is.EqualTo(FakeVmxCpu.HostLstar));
    }

    [Test]
    public void ValuesTheCpuWouldRefuseAreGpAtTheWrmsrNotAFailedEntry()
    {
        using var bed = new VmxBed();
        var v = bed.NewPvh().Vcpus[0];
        foreach (uint msr in new[] { SvmMsrs.Lstar, SvmMsrs.Cstar, SvmMsrs.KernelGsBase, SvmMsrs.FsBase, SvmMsrs.GsBase, SvmMsrs.SysenterEip })
        {
            Wrmsr(bed, v, msr, 0x0000_8000_0000_0000); // not canonical
            Dictionary<uint, ulong> during = null;
            bed.Exit(v, VmxExit.ExternalInterrupt, guest: (cpu, regs) => during = Held(cpu));
            Assert.That(bed.Cpu.LastEntry[VmcsField.EntryInterruptInfo], Is.EqualTo(0x8000_0B0DUL), $"#GP(0) for msr {msr:x}");
            Assert.That(Rdmsr(bed, v, msr), Is.Zero, $"msr {msr:x} unchanged");
            Assert.That(during[SvmMsrs.Lstar], Is.Zero);
        }
        Wrmsr(bed, v, SvmMsrs.Sfmask, 1UL << 32);
        bed.Exit(v, VmxExit.ExternalInterrupt);
        Assert.That(bed.Cpu.LastEntry[VmcsField.EntryInterruptInfo], Is.EqualTo(0x8000_0B0DUL), "SFMASK bits 63:32 are reserved");
        Assert.That(Wrmsr(bed, v, SvmMsrs.Lstar, 0xFFFF_8000_0000_0000), Is.EqualTo(SvmExitResult.Resume));
        Assert.That(Rdmsr(bed, v, SvmMsrs.Lstar), Is.EqualTo(0xFFFF_8000_0000_0000UL), "canonical upper half accepted");
    }

    [Test]
    public void GuestPatIsLoadedOnEntryAndTheHostsOnExit()
    {
        using var bed = new VmxBed();
        var v = bed.NewPvh().Vcpus[0];
        var e = bed.Cpu.Vmcs[v.X86.VmcsFrame.ToMaddr().Value];
        Assert.That(e[VmcsField.HostPat], Is.EqualTo(FakeVmxCpu.HostPat));
        const ulong pat = 0x0007_0106_0007_0406; // WC in entry 2, as Linux sets it
        Assert.That(Wrmsr(bed, v, SvmMsrs.Pat, pat), Is.EqualTo(SvmExitResult.Resume));
        ulong during = 0;
        bed.Exit(v, VmxExit.ExternalInterrupt, guest: (cpu, regs) => during = cpu.Msrs[SvmMsrs.Pat]);
        var last = bed.Cpu.LastEntry;
        Assert.That(last[VmcsField.GuestPat], Is.EqualTo(pat));
        Assert.That(last[VmcsField.EntryControls] & VmxCtl.EntryLoadPat, Is.Not.Zero);
        Assert.That(last[VmcsField.ExitControls] & (VmxCtl.ExitSavePat | VmxCtl.ExitLoadPat), Is.EqualTo((ulong)(VmxCtl.ExitSavePat | VmxCtl.ExitLoadPat)));
        Assert.That(during, Is.EqualTo(pat), "the CPU uses the guest's PAT while it runs");
        Assert.That(bed.Cpu.Msrs[SvmMsrs.Pat], Is.EqualTo(FakeVmxCpu.HostPat), "the host's after the exit");
        Assert.That(Rdmsr(bed, v, SvmMsrs.Pat), Is.EqualTo(pat));
        Assert.That(Wrmsr(bed, v, SvmMsrs.Pat, 0x0007_0406_0007_0402), Is.EqualTo(SvmExitResult.Resume));
        bed.Exit(v, VmxExit.ExternalInterrupt);
        Assert.That(bed.Cpu.LastEntry[VmcsField.EntryInterruptInfo], Is.EqualTo(0x8000_0B0DUL), "type 2 is reserved: #GP");
        Assert.That(bed.Cpu.LastEntry[VmcsField.GuestPat], Is.EqualTo(pat));
    }

    [Test]
    public void TheTscOffsetReachesItsFieldWithTscOffsetting()
    {
        using var bed = new VmxBed();
        var v = bed.NewPvh().Vcpus[0];
        Assert.That(Wrmsr(bed, v, SvmMsrs.Tsc, 5_000_000), Is.EqualTo(SvmExitResult.Resume));
        bed.Exit(v, VmxExit.ExternalInterrupt);
        var last = bed.Cpu.LastEntry;
        Assert.That(last[VmcsField.ProcControls] & VmxCtl.ProcTscOffset, Is.Not.Zero);
        Assert.That(last[VmcsField.TscOffset], Is.EqualTo(4_000_000UL), "guest TSC 5,000,000 while the host's reads 1,000,000");
        Assert.That(Rdmsr(bed, v, SvmMsrs.Tsc), Is.EqualTo(5_000_000UL));
        Assert.That(Wrmsr(bed, v, SvmMsrs.Tsc, 0), Is.EqualTo(SvmExitResult.Resume));
        bed.Exit(v, VmxExit.ExternalInterrupt);
        Assert.That(bed.Cpu.LastEntry[VmcsField.TscOffset], Is.EqualTo(unchecked(0UL - 1_000_000)), "a negative offset");
    }

    [Test]
    public void PatAndTscControlsAreSetOnlyWhenTheCapabilityMsrsAllowThem()
    {
        // No "load IA32_PAT" on entry (allowed-1 bit 14 clear): no PAT controls at all, the field untouched.
        using (var bed = new VmxBed(cpu => cpu.Msrs[VmxMsr.TrueEntry] &= ~((ulong)VmxCtl.EntryLoadPat << 32)))
        {
            Assert.That(bed.Host.Vmx.Controls.LoadsGuestPat || bed.Host.Vmx.Controls.SavesGuestPat || bed.Host.Vmx.Controls.LoadsHostPat, Is.False);
            var v = bed.NewPvh().Vcpus[0];
            Wrmsr(bed, v, SvmMsrs.Pat, 0x0007_0106_0007_0406);
            ulong during = 0;
            bed.Exit(v, VmxExit.ExternalInterrupt, guest: (cpu, regs) => during = cpu.Msrs[SvmMsrs.Pat]);
            var last = bed.Cpu.LastEntry;
            Assert.That(last[VmcsField.EntryControls] & VmxCtl.EntryLoadPat, Is.Zero);
            Assert.That(last[VmcsField.ExitControls] & (VmxCtl.ExitSavePat | VmxCtl.ExitLoadPat), Is.Zero);
            Assert.That(last.ContainsKey(VmcsField.GuestPat) || last.ContainsKey(VmcsField.HostPat), Is.False);
            Assert.That(during, Is.EqualTo(FakeVmxCpu.HostPat), "not applied: the host's PAT stays");
            Assert.That(Rdmsr(bed, v, SvmMsrs.Pat), Is.EqualTo(0x0007_0106_0007_0406UL), "but kept");
        }
        // Entry may load PAT but exit may not load the host's back: none of the three.
        using (var bed = new VmxBed(cpu => cpu.Msrs[VmxMsr.TrueExit] &= ~((ulong)VmxCtl.ExitLoadPat << 32)))
        {
            VmxControls c = bed.Host.Vmx.Controls;
            Assert.That(c.LoadsGuestPat || c.SavesGuestPat || c.LoadsHostPat, Is.False);
            Assert.That(c.Entry & VmxCtl.EntryLoadPat, Is.Zero);
        }
        // No "use TSC offsetting": the control stays 0 and the field is not written.
        using (var bed = new VmxBed(cpu => cpu.Msrs[VmxMsr.TrueProc] &= ~((ulong)VmxCtl.ProcTscOffset << 32)))
        {
            var v = bed.NewPvh().Vcpus[0];
            Wrmsr(bed, v, SvmMsrs.Tsc, 5_000_000);
            bed.Exit(v, VmxExit.ExternalInterrupt);
            Assert.That(bed.Cpu.LastEntry[VmcsField.ProcControls] & VmxCtl.ProcTscOffset, Is.Zero);
            Assert.That(bed.Cpu.LastEntry.ContainsKey(VmcsField.TscOffset), Is.False);
            Assert.That(bed.Host.Vmx.Controls.LoadsGuestPat, Is.True, "PAT unaffected");
        }
    }

    [Test]
    public void DestroyingADomainFreesItsMsrListPage()
    {
        using var bed = new VmxBed();
        var d = bed.NewPvh();
        X86VcpuState s = d.Vcpus[0].X86;
        Assert.That(s.MsrFrame.IsValid, Is.True);
        ulong free = bed.Hv.Memory.FreeFrames;
        VmxDomain.ReleaseVmcs(bed.Host, d);
        Assert.That(bed.Hv.Memory.FreeFrames, Is.EqualTo(free + 2), "VMCS and MSR-list page");
        Assert.That(s.MsrFrame.IsValid, Is.False);
        SvmDomain.Destroy(bed.Host, d);
    }
}

using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Arch.X86;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;
using XenLite.Tests.Harness;

namespace XenLite.Tests.Arch.X86;

/// <summary>Intel VMX on a scripted CPU: the choice by vendor, control words, EPT, guest state for the PVH entry and the exit table.</summary>
[Category("vmx")]
public unsafe class VmxTests
{
    [Test]
    public void AnIntelCpuWithVmxIsDrivenByVmxAndTheBootLogSaysSo()
    {
        using var bed = new VmxBed();
        Assert.That(VirtChoice.Detect(bed.Cpu), Is.EqualTo(X86Virt.Vmx));
        Assert.That(bed.Host.Vmx, Is.Not.Null);
        Assert.That(bed.M.Platform.ConsoleText, Does.Contain("(XEN) HVM: VMX enabled"));
        Assert.That(bed.Cpu.VmxonRegion, Is.Not.Zero);
        Assert.That(bed.Cpu.Msrs[VmxMsr.FeatureControl] & 5, Is.EqualTo(5UL), "an open IA32_FEATURE_CONTROL is locked with VMX outside SMX");
        Assert.That(*(uint*)bed.M.Hv.Memory.Map(new Maddr(bed.Cpu.VmxonRegion).Frame), Is.EqualTo(1u), "VMXON region starts with the revision id");
    }

    [Test]
    public void AnAmdCpuStaysOnSvmAndTheBootLogSaysSo()
    {
        using var bed = new SvmBed();
        Assert.That(VirtChoice.Detect(bed.Cpu), Is.EqualTo(X86Virt.Svm));
        Assert.That(bed.Host.Vmx, Is.Null);
        Assert.That(bed.M.Platform.ConsoleText, Does.Contain("(XEN) HVM: SVM enabled"));
    }

    [Test]
    public void IntelWithoutVmxFallsToTheSvmChecksAndIsRefused()
    {
        var cpu = new FakeVmxCpu();
        cpu.Leaves[(1, 0)] = (0x0002_06A7, 0, FakeVmxCpu.Leaf1Ecx & ~(1u << 5), 0);
        using var m = new TestMachine();
        Assert.That(VirtChoice.Detect(cpu), Is.EqualTo(X86Virt.Svm));
        Assert.That(SvmHost.Start(m.Hv, cpu), Is.Null);
        Assert.That(m.Platform.ConsoleText, Does.Contain("SVM: not supported"));
    }

    [Test]
    public void ControlWordsFollowTheAllowed0And1Rule()
    {
        // Low half: must be 1; high half: may be 1.
        Assert.That(VmxControls.Adjust(0x0000_00FF_0000_0016UL, 0x9), Is.EqualTo(0x1Fu));
        Assert.That(VmxControls.Adjust(0x0000_000F_0000_0000UL, 0x30), Is.EqualTo(0u), "bits the CPU cannot set are dropped");
        Assert.That(VmxControls.Allows(0x0000_000F_0000_0000UL, 0x30), Is.False);

        var cpu = new FakeVmxCpu();
        Assert.That(VmxControls.From(cpu, out var c, out string missing), Is.True, missing);
        Assert.That(c.Proc & (VmxCtl.ProcCr3Load | VmxCtl.ProcCr3Store), Is.Zero, "TRUE_PROCBASED lets CR3 exiting be 0");
        Assert.That(c.Proc & (VmxCtl.ProcHlt | VmxCtl.ProcUnconditionalIo | VmxCtl.ProcSecondary), Is.EqualTo(VmxCtl.ProcHlt | VmxCtl.ProcUnconditionalIo | VmxCtl.ProcSecondary));
        Assert.That(c.Proc & 0x0400_6172u, Is.EqualTo(0x0400_6172u), "default-1 bits kept");
        Assert.That(c.Proc2, Is.EqualTo(VmxCtl.Proc2Ept | VmxCtl.Proc2Unrestricted | VmxCtl.Proc2Wbinvd));
        Assert.That(c.Exit & (VmxCtl.ExitHost64 | VmxCtl.ExitSaveEfer | VmxCtl.ExitLoadEfer), Is.EqualTo(VmxCtl.ExitHost64 | VmxCtl.ExitSaveEfer | VmxCtl.ExitLoadEfer));

        cpu.Msrs[VmxMsr.Basic] &= ~VmxMsr.BasicTrueControls;
        Assert.That(VmxControls.From(cpu, out c, out _), Is.True);
        Assert.That(c.Proc & VmxCtl.ProcCr3Load, Is.Not.Zero, "without TRUE_* MSRs the default-1 CR3 exiting stays");
    }

    [Test]
    public void NoEptOrNoUnrestrictedGuestRefusesVmxNamingWhatIsMissing()
    {
        var cpu = new FakeVmxCpu();
        cpu.Msrs[VmxMsr.Proc2] = 0x0000_00FD_0000_0000UL; // no EPT
        using var m = new TestMachine();
        Assert.That(SvmHost.Start(m.Hv, cpu), Is.Null);
        Assert.That(m.Platform.ConsoleText, Does.Contain("VMX: the CPU lacks EPT"));

        cpu = new FakeVmxCpu();
        cpu.Msrs[VmxMsr.Proc2] = 0x0000_007F_0000_0000UL;
        using var m2 = new TestMachine();
        Assert.That(SvmHost.Start(m2.Hv, cpu), Is.Null);
        Assert.That(m2.Platform.ConsoleText, Does.Contain("VMX: the CPU lacks unrestricted guest"));
    }

    [Test]
    public void Cr0AndCr4FixedBitsWithUnrestrictedGuest()
    {
        Assert.That(VmxControls.FixCr0(X86Bits.Cr0Pe | X86Bits.Cr0Et, 0x8000_0021, 0xFFFF_FFFF), Is.EqualTo(0x31UL), "NE forced, PG not");
        Assert.That(VmxControls.FixCr4(0, 0x2000, 0x0037_27FF), Is.EqualTo(0x2000UL));
        Assert.That(VmxControls.Cr0HostOwned(0x8000_0021, 0xFFFF_FFFF), Is.EqualTo(0x20UL));
    }

    [Test]
    public void EptEntriesFollowTheP2mAndStayInStep()
    {
        using var bed = new VmxBed();
        var d = bed.NewPvh(pages: 16);
        MachineMemory mem = bed.Hv.Memory;
        X86DomainState s = d.X86;
        Assert.That(s.Ept, Is.True);
        Assert.That(s.Eptp, Is.EqualTo(s.NptRoot.ToMaddr().Value | 0x1E), "WB, 4-level walk");
        for (ulong g = 0; g < 16; g++)
        {
            Mfn mfn = d.P2m.Lookup(new Gfn(g));
            Assert.That(Npt.LeafOf(mem, s.NptRoot, new Gfn(g)), Is.EqualTo(mfn.ToMaddr().Value | 0x37), $"gfn {g}: RWX, WB");
        }
        Assert.That(Npt.LeafEntry(new Mfn(0x1234), readOnly: true, ept: true), Is.EqualTo(0x1234000UL | 0x35), "read-only grant: no W");
        Assert.That(Npt.LeafEntry(new Mfn(0x1234), readOnly: false, ept: false), Is.EqualTo(0x1234000UL | 0x67), "NPT format unchanged");

        // A p2m change after set-up reaches the EPT in EPT format; a replaced translation flushes.
        Mfn fresh = mem.Allocate(SvmHost.FrameOwner);
        d.P2m.Observer.Changed(new Gfn(3), fresh, P2mType.RamRw);
        Assert.That(Npt.LeafOf(mem, s.NptRoot, new Gfn(3)), Is.EqualTo(fresh.ToMaddr().Value | 0x37));
        Assert.That(d.Vcpus[0].X86.FlushTlb, Is.True);
        var v = d.Vcpus[0];
        bed.Exit(v, VmxExit.ExternalInterrupt);
        Assert.That(bed.Cpu.Inverts, Does.Contain((1, s.Eptp)), "single-context INVEPT before the next entry");
    }

    [Test]
    public void ThePvhEntryStateReachesTheVmcs()
    {
        using var bed = new VmxBed();
        var v = bed.NewPvh().Vcpus[0];
        Assert.That(bed.Exit(v, VmxExit.ExternalInterrupt), Is.EqualTo(SvmExitResult.HostEvent));
        var e = bed.Cpu.LastEntry;
        Assert.That(bed.Cpu.Launches, Is.EqualTo(1));
        Assert.That(e[VmcsField.GuestRip], Is.EqualTo((ulong)VmxBed.Entry));
        Assert.That(e[VmcsField.GuestAccessRights + 2 * VmcsField.Cs], Is.EqualTo(0xC09BUL), "flat 32-bit code");
        Assert.That(e[VmcsField.GuestAccessRights + 2 * VmcsField.Ds], Is.EqualTo(0xC093UL));
        Assert.That(e[VmcsField.GuestLimit + 2 * VmcsField.Cs], Is.EqualTo(0xFFFF_FFFFUL));
        Assert.That(e[VmcsField.GuestAccessRights + 2 * VmcsField.Ldtr], Is.EqualTo(1UL << 16), "LDTR unusable");
        Assert.That(e[VmcsField.GuestAccessRights + 2 * VmcsField.Tr], Is.EqualTo(0x8BUL), "busy 32-bit TSS");
        Assert.That(e[VmcsField.GuestCr0], Is.EqualTo(X86Bits.Cr0Pe | X86Bits.Cr0Et | X86Bits.Cr0Ne), "paging off, NE forced");
        Assert.That(e[VmcsField.Cr0ReadShadow], Is.EqualTo(X86Bits.Cr0Pe | X86Bits.Cr0Et), "the guest sees CR0 as Xen's PVH start");
        Assert.That(e[VmcsField.GuestCr4], Is.EqualTo(0x2000UL), "VMXE");
        Assert.That(e[VmcsField.Cr4ReadShadow], Is.Zero);
        Assert.That(e[VmcsField.GuestEfer], Is.Zero, "no SVME leaks into the VMCS");
        Assert.That(e[VmcsField.EntryControls] & VmxCtl.EntryIa32e, Is.Zero);
        Assert.That(e[VmcsField.LinkPointer], Is.EqualTo(ulong.MaxValue));
        Assert.That(e[VmcsField.GuestRflags], Is.EqualTo(2UL));
        Assert.That(e[VmcsField.ProcControls2], Is.EqualTo((ulong)(VmxCtl.Proc2Ept | VmxCtl.Proc2Unrestricted | VmxCtl.Proc2Wbinvd)));
        Assert.That(e[VmcsField.EptPointer], Is.EqualTo(v.Domain.X86.Eptp));
        Assert.That(bed.Cpu.HostStateWrites, Is.EqualTo(1));
        Assert.That(v.Regs[X86Reg.Rbx], Is.EqualTo((ulong)VmxBed.StartInfo));

        bed.Exit(v, VmxExit.ExternalInterrupt);
        Assert.That(bed.Cpu.Launches, Is.EqualTo(1), "then VMRESUME");
        Assert.That(bed.Cpu.Entries, Is.EqualTo(2));
    }

    [Test]
    public void VmcallGoesToTheOneDispatcherAndStepsByTheReportedLength()
    {
        using var bed = new VmxBed();
        var v = bed.NewPvh().Vcpus[0];
        v.Regs[X86Reg.Rax] = HypercallNumber.XenVersion;
        v.Regs[X86Reg.Rbx] = 0;
        Assert.That(bed.Exit(v, VmxExit.Vmcall, length: 3), Is.EqualTo(SvmExitResult.Resume));
        Assert.That(v.Mode, Is.EqualTo(GuestMode.Hvm32));
        Assert.That(v.Regs[X86Reg.Rax], Is.EqualTo((ulong)(BuildInfo.Major << 16 | BuildInfo.Minor)));
        Assert.That(v.Regs.Ip, Is.EqualTo(VmxBed.Entry + 3UL));
        Assert.That(bed.Host.ExitCounts[VmxExit.Vmcall], Is.EqualTo(1UL));

        bed.Exit(v, VmxExit.ExternalInterrupt);
        Assert.That(bed.Cpu.LastEntry[VmcsField.GuestRip], Is.EqualTo(VmxBed.Entry + 3UL), "the new RIP reaches the VMCS");
    }

    [Test]
    public void VmcallIn64BitModeIsHvm64()
    {
        using var bed = new VmxBed();
        var v = bed.NewPvh().Vcpus[0];
        v.Regs[X86Reg.Rax] = HypercallNumber.XenVersion;
        v.Regs[X86Reg.Rdi] = 0;
        bed.Exit(v, VmxExit.Vmcall, length: 3, guest: (cpu, regs) =>
        {
            cpu[VmcsField.GuestEfer] = X86Bits.EferLme | X86Bits.EferLma;
            cpu[VmcsField.GuestCr0] = 0x8000_0031;
            cpu[VmcsField.GuestAccessRights + 2 * VmcsField.Cs] = 0xA09B; // L
            cpu[VmcsField.GuestRip] = 0xFFFF_FFFF_8100_0000;
        });
        Assert.That(v.Mode, Is.EqualTo(GuestMode.Hvm64));
        Assert.That(v.Regs.Ip, Is.EqualTo(0xFFFF_FFFF_8100_0003UL));
        bed.Exit(v, VmxExit.ExternalInterrupt);
        Assert.That(bed.Cpu.LastEntry[VmcsField.EntryControls] & VmxCtl.EntryIa32e, Is.Not.Zero, "IA-32e mode guest follows EFER.LMA");
    }

    [Test]
    public void CpuidAnswersXensLeavesAndHidesVmx()
    {
        using var bed = new VmxBed();
        var v = bed.NewPvh().Vcpus[0];
        v.Regs[X86Reg.Rax] = XenCpuid.Base;
        bed.Exit(v, VmxExit.Cpuid, length: 2);
        Assert.That((uint)v.Regs[X86Reg.Rbx], Is.EqualTo(XenCpuid.SignatureEbx));
        Assert.That(v.Regs.Ip, Is.EqualTo(VmxBed.Entry + 2UL));
        v.Regs[X86Reg.Rax] = 1;
        bed.Exit(v, VmxExit.Cpuid, length: 2);
        Assert.That((uint)v.Regs[X86Reg.Rcx] & (1u << 5), Is.Zero, "VMX hidden");
        Assert.That((uint)v.Regs[X86Reg.Rcx] & (1u << 31), Is.Not.Zero, "hypervisor bit");
    }

    [Test]
    public void HypercallPageHoldsVmcallStubs()
    {
        using var bed = new VmxBed();
        var d = bed.NewPvh();
        var v = d.Vcpus[0];
        const ulong page = 0x9000;
        bed.M.Poke(d, page, new byte[4096]);
        v.Regs[X86Reg.Rcx] = SvmMsrs.HypercallPage;
        v.Regs[X86Reg.Rax] = page;
        v.Regs[X86Reg.Rdx] = 0;
        Assert.That(bed.Exit(v, VmxExit.Wrmsr, length: 2), Is.EqualTo(SvmExitResult.Resume));
        byte[] bytes = bed.M.Peek(d, page, 4096);
        for (int n = 0; n < 128; n++)
        {
            if (n == 23) { Assert.That(bytes[n * 32], Is.EqualTo(0x0F)); Assert.That(bytes[n * 32 + 1], Is.EqualTo(0x0B)); continue; }
            byte[] expect = { 0xB8, (byte)n, 0, 0, 0, 0x0F, 0x01, 0xC1, 0xC3, 0xCC };
            Assert.That(bytes[(n * 32)..(n * 32 + 10)], Is.EqualTo(expect), $"slot {n}: mov $n,%eax; vmcall; ret");
        }
    }

    [Test]
    public void HypercallPageBytesPerVendor()
    {
        byte* slot = stackalloc byte[32];
        HypercallPageWriter.FillSlot(slot, 17, vmcall: true);
        Assert.That(new System.ReadOnlySpan<byte>(slot, 9).ToArray(), Is.EqualTo(new byte[] { 0xB8, 17, 0, 0, 0, 0x0F, 0x01, 0xC1, 0xC3 }));
        HypercallPageWriter.FillSlot(slot, 17, vmcall: false);
        Assert.That(new System.ReadOnlySpan<byte>(slot, 9).ToArray(), Is.EqualTo(new byte[] { 0xB8, 17, 0, 0, 0, 0x0F, 0x01, 0xD9, 0xC3 }));
    }

    [Test]
    public void IoExitsPrintOnTheDebugPortAndStepByTheReportedLength()
    {
        Assert.That(VmxExits.IoInfo(0x00E9_0000), Is.EqualTo(0x00E9_0010UL), "1-byte OUT to 0xe9");
        Assert.That(VmxExits.IoInfo(0x03F8_0008 | 3), Is.EqualTo(0x03F8_0041UL), "4-byte IN from 0x3f8");
        using var bed = new VmxBed();
        var d = bed.NewPvh();
        var v = d.Vcpus[0];
        foreach (char ch in "hi\n")
        {
            v.Regs[X86Reg.Rax] = ch;
            Assert.That(bed.Exit(v, VmxExit.Io, qualification: 0x00E9_0000, length: 1), Is.EqualTo(SvmExitResult.Resume));
        }
        Assert.That(bed.M.Platform.ConsoleText, Does.Contain("hi"));
        Assert.That(v.Regs.Ip, Is.EqualTo(VmxBed.Entry + 3UL));
        v.Regs[X86Reg.Rax] = 0;
        bed.Exit(v, VmxExit.Io, qualification: 0x00E9_0008, length: 2);
        Assert.That(v.Regs[X86Reg.Rax] & 0xFF, Is.EqualTo(0xE9UL), "port e9 hack");
        Assert.That(v.Regs.Ip, Is.EqualTo(VmxBed.Entry + 5UL));
    }

    [Test]
    public void MsrExitsReachEferAndVmcsBackedMsrs()
    {
        using var bed = new VmxBed();
        var v = bed.NewPvh().Vcpus[0];
        v.Regs[X86Reg.Rcx] = SvmHost.MsrEfer;
        v.Regs[X86Reg.Rax] = X86Bits.EferLme;
        v.Regs[X86Reg.Rdx] = 0;
        Assert.That(bed.Exit(v, VmxExit.Wrmsr, length: 2), Is.EqualTo(SvmExitResult.Resume));
        v.Regs[X86Reg.Rcx] = SvmMsrs.FsBase;
        v.Regs[X86Reg.Rax] = 0x1234;
        bed.Exit(v, VmxExit.Wrmsr, length: 2);
        bed.Exit(v, VmxExit.ExternalInterrupt);
        Assert.That(bed.Cpu.LastEntry[VmcsField.GuestEfer], Is.EqualTo(X86Bits.EferLme));
        Assert.That(bed.Cpu.LastEntry[VmcsField.GuestBase + 2 * VmcsField.Fs], Is.EqualTo(0x1234UL));
        v.Regs[X86Reg.Rcx] = SvmHost.MsrEfer;
        bed.Exit(v, VmxExit.Rdmsr, length: 2);
        Assert.That(v.Regs[X86Reg.Rax], Is.EqualTo(X86Bits.EferLme), "no SVME in the guest's view");
        v.Regs[X86Reg.Rcx] = 0x1B; // APIC base: not emulated
        bed.Exit(v, VmxExit.Rdmsr, length: 2);
        bed.Exit(v, VmxExit.ExternalInterrupt);
        Assert.That(bed.Cpu.LastEntry[VmcsField.EntryInterruptInfo], Is.EqualTo(0x8000_0B0DUL), "#GP(0) injected");
        Assert.That(bed.Cpu.LastEntry[VmcsField.EntryErrorCode], Is.Zero);
    }

    [Test]
    public void CrAccessExitsEmulateHostOwnedBitsAndLongModeEntry()
    {
        using var bed = new VmxBed();
        var v = bed.NewPvh().Vcpus[0];
        // 64-bit code sets CR0.NE|MP (host-owned NE differs from the shadow): mov %rax,%cr0.
        v.Regs[X86Reg.Rax] = 0x8000_0033;
        bed.Exit(v, VmxExit.CrAccess, qualification: 0x0000, length: 3, guest: (cpu, regs) =>
        {
            cpu[VmcsField.GuestEfer] = X86Bits.EferLme | X86Bits.EferLma;
            cpu[VmcsField.GuestCr0] = 0x8000_0031;
            cpu[VmcsField.Cr0ReadShadow] = 0x8000_0011;
            cpu[VmcsField.GuestCr4] = 0x2020;
            cpu[VmcsField.Cr4ReadShadow] = 0x20;
        });
        Assert.That(v.X86.Vmcb->Cr0, Is.EqualTo(0x8000_0033UL));
        Assert.That(v.Regs.Ip, Is.EqualTo(VmxBed.Entry + 3UL));
        bed.Exit(v, VmxExit.ExternalInterrupt);
        Assert.That(bed.Cpu.LastEntry[VmcsField.Cr0ReadShadow], Is.EqualTo(0x8000_0033UL));
        Assert.That(bed.Cpu.LastEntry[VmcsField.GuestCr0], Is.EqualTo(0x8000_0033UL));

        // Paging on with EFER.LME and PAE, emulated: long mode becomes active.
        using var bed2 = new VmxBed();
        var w = bed2.NewPvh().Vcpus[0];
        w.Regs[X86Reg.Rcx] = 0x8000_0031;
        bed2.Exit(w, VmxExit.CrAccess, qualification: 0x0100, length: 3, guest: (cpu, regs) =>
        {
            cpu[VmcsField.GuestEfer] = X86Bits.EferLme;
            cpu[VmcsField.GuestCr0] = 0x31;
            cpu[VmcsField.Cr0ReadShadow] = 0x11;
            cpu[VmcsField.GuestCr4] = 0x2020;
            cpu[VmcsField.Cr4ReadShadow] = 0x20;
        });
        bed2.Exit(w, VmxExit.ExternalInterrupt);
        Assert.That(bed2.Cpu.LastEntry[VmcsField.GuestEfer], Is.EqualTo(X86Bits.EferLme | X86Bits.EferLma));
        Assert.That(bed2.Cpu.LastEntry[VmcsField.EntryControls] & VmxCtl.EntryIa32e, Is.Not.Zero);
    }

    [Test]
    public void HltWithInterruptsOffAsTheLastVcpuPowersTheDomainOff()
    {
        using var bed = new VmxBed();
        var d = bed.NewPvh();
        var v = d.Vcpus[0];
        Assert.That(bed.Exit(v, VmxExit.Hlt, length: 1), Is.EqualTo(SvmExitResult.DomainGone));
        Assert.That(bed.Hv.Lookup(d.Id), Is.Null);
    }

    [Test]
    public void EptViolationCrashesTheDomainWithAReadableLine()
    {
        using var bed = new VmxBed();
        var d = bed.NewPvh();
        Assert.That(bed.Exit(d.Vcpus[0], VmxExit.EptViolation, qualification: 0x182, gpa: 0xFEE0_0000), Is.EqualTo(SvmExitResult.DomainGone));
        string log = bed.M.Platform.ConsoleText;
        Assert.That(log, Does.Contain("(XEN) VMX: EPT violation at gpa 0x00000000fee00000 (write"));
        Assert.That(log, Does.Contain("Domain 1 (vcpu#0) crashed: EPT violation (VMX exit 48"));
        Assert.That(bed.Hv.Lookup(d.Id), Is.Null);
    }

    [Test]
    public void TripleFaultAndUnknownReasonsCrashTheDomainNamingThem()
    {
        using var bed = new VmxBed();
        var d = bed.NewPvh();
        Assert.That(bed.Exit(d.Vcpus[0], VmxExit.TripleFault), Is.EqualTo(SvmExitResult.DomainGone));
        Assert.That(bed.M.Platform.ConsoleText, Does.Contain("crashed: triple fault (VMX exit 2)"));

        var e = bed.NewPvh(id: 2);
        Assert.That(VmxExits.Handles(VmxExit.TaskSwitch), Is.False);
        Assert.That(bed.Exit(e.Vcpus[0], VmxExit.TaskSwitch), Is.EqualTo(SvmExitResult.DomainGone));
        Assert.That(bed.M.Platform.ConsoleText, Does.Contain("(XEN) VMX: exit reason 9 has no handler"));

        var f = bed.NewPvh(id: 3);
        Assert.That(bed.Exit(f.Vcpus[0], VmxExit.EntryFailed | VmxExit.InvalidGuestState), Is.EqualTo(SvmExitResult.DomainGone));
        Assert.That(bed.M.Platform.ConsoleText, Does.Contain("VM entry failed: invalid guest state (VMX exit 33)"));
    }

    [Test]
    public void ARefusedVmLaunchNamesTheVmInstructionError()
    {
        using var bed = new VmxBed();
        var d = bed.NewPvh();
        bed.Cpu.FailNextEntry = 7; // invalid control fields
        Assert.That(SvmRun.RunOnce(bed.Host, d.Vcpus[0]), Is.EqualTo(SvmExitResult.DomainGone));
        Assert.That(bed.M.Platform.ConsoleText, Does.Contain("(XEN) VMX: VMLAUNCH failed, VM-instruction error 7"));
    }

    [Test]
    public void VmxInstructionsInTheGuestAreUndefined()
    {
        using var bed = new VmxBed();
        var v = bed.NewPvh().Vcpus[0];
        Assert.That(bed.Exit(v, VmxExit.Vmxon, length: 4), Is.EqualTo(SvmExitResult.Resume));
        bed.Exit(v, VmxExit.ExternalInterrupt);
        Assert.That(bed.Cpu.LastEntry[VmcsField.EntryInterruptInfo], Is.EqualTo(0x8000_0306UL), "#UD");
        Assert.That(v.Regs.Ip, Is.EqualTo((ulong)VmxBed.Entry), "not stepped over");
    }

    [Test]
    public void DestroyingADomainClearsAndFreesItsVmcs()
    {
        using var bed = new VmxBed();
        var d = bed.NewPvh(vcpus: 2);
        ulong vmcs = d.Vcpus[1].X86.VmcsFrame.ToMaddr().Value;
        ulong free = bed.Hv.Memory.FreeFrames;
        SvmDomain.Destroy(bed.Host, d);
        Assert.That(bed.Cpu.Vmcs[vmcs], Is.Empty, "VMCLEARed");
        Assert.That(bed.Hv.Memory.FreeFrames, Is.GreaterThan(free + 4));
        Assert.That(d.X86, Is.Null);
    }

    [Test]
    public void APvKernelIsRefusedUnderVmx()
    {
        using var bed = new VmxBed();
        Domain d = bed.M.NewDomain(GuestMode.Pv64, 1, 16, 1, privileged: false);
        Assert.That(SvmDomain.Create(bed.Host, d), Is.False);
        Assert.That(bed.M.Platform.ConsoleText, Does.Contain("VMX: PV guests run only in the SVM container"));
    }
}

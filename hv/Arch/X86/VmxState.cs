using XenLite.Hv.Common;

namespace XenLite.Hv.Arch.X86;

/// <summary>
/// The VMCS of a vCPU and its guest-state record. Under VMX the exit handlers shared with SVM
/// (CPUID, MSRs, I/O, HLT, hypercalls, crash report, upcall injection) keep editing the
/// vCPU's VMCB-shaped page: it is the one arch-neutral record of segments, control registers,
/// EFER and pending event. This class fills a VMCS once (controls, host state, EPT pointer,
/// CR masks, MSR lists) and copies the record into the VMCS (guest PAT and TSC offset when the
/// controls allow, the SYSCALL/GS MSRs into the entry list) before each entry and back after each exit.
/// </summary>
public static unsafe class VmxState
{
    const uint ArUnusable = 1u << 16;
    const ulong Cr0Ts = 1UL << 3;

    /// <summary>VMCLEARs and fills a fresh VMCS; false when the CPU refuses VMPTRLD.</summary>
    public static bool Setup(VmxHost vmx, Domain d, X86VcpuState s)
    {
        X86Cpu cpu = vmx.Cpu;
        ulong vmcs = s.VmcsFrame.ToMaddr().Value;
        vmx.Clear(vmcs);
        if (!vmx.MakeCurrent(vmcs)) return false;
        VmxControls c = vmx.Controls;
        cpu.VmWrite(VmcsField.PinControls, c.Pin);
        cpu.VmWrite(VmcsField.ProcControls, c.Proc);
        cpu.VmWrite(VmcsField.ProcControls2, c.Proc2);
        cpu.VmWrite(VmcsField.ExitControls, c.Exit);
        cpu.VmWrite(VmcsField.EntryControls, c.Entry);
        cpu.VmWrite(VmcsField.ExceptionBitmap, 0);
        cpu.VmWrite(VmcsField.Cr3TargetCount, 0);
        cpu.VmWrite(VmcsField.EptPointer, d.X86.Eptp);
        cpu.VmWrite(VmcsField.LinkPointer, ulong.MaxValue);
        cpu.VmWrite(VmcsField.Cr0Mask, VmxControls.Cr0HostOwned(vmx.Cr0Fixed0, vmx.Cr0Fixed1));
        cpu.VmWrite(VmcsField.Cr4Mask, VmxControls.Cr4HostOwned(vmx.Cr4Fixed0, vmx.Cr4Fixed1));
        cpu.VmxHostState();
        VmxMsrArea.Setup(cpu, s.MsrArea, s.MsrFrame.ToMaddr().Value);
        if (c.LoadsHostPat) cpu.VmWrite(VmcsField.HostPat, cpu.ReadMsr(SvmMsrs.Pat));
        s.Launched = false;
        return true;
    }

    /// <summary>SVM segment attributes (12 bits: type, S, DPL, P; AVL, L, D/B, G) as VMX access rights; not present means unusable.</summary>
    public static uint AccessRights(ushort attrib) =>
        (attrib & 0x80) == 0 ? ArUnusable : (uint)(attrib & 0xFF) | ((uint)(attrib & 0xF00) << 4);

    public static ushort Attrib(uint ar) => (ar & ArUnusable) != 0 ? (ushort)0 : (ushort)((ar & 0xFF) | ((ar >> 4) & 0xF00));

    /// <summary>The record (and the register file's rsp, rip, rflags) into the current VMCS, with any event to inject.</summary>
    public static void ToVmcs(VmxHost vmx, Vcpu v, Vmcb* g)
    {
        X86Cpu cpu = vmx.Cpu;
        WriteSegment(cpu, VmcsField.Es, &g->Es);
        WriteSegment(cpu, VmcsField.Cs, &g->Cs);
        WriteSegment(cpu, VmcsField.Ss, &g->Ss);
        WriteSegment(cpu, VmcsField.Ds, &g->Ds);
        WriteSegment(cpu, VmcsField.Fs, &g->Fs);
        WriteSegment(cpu, VmcsField.Gs, &g->Gs);
        WriteSegment(cpu, VmcsField.Ldtr, &g->Ldtr);
        VmcbSegment tr = g->Tr;
        if ((tr.Attrib & 0x80) == 0) tr = new VmcbSegment { Attrib = SvmSetup.TssAttrib, Limit = 0x67 }; // TR must be usable
        WriteSegment(cpu, VmcsField.Tr, &tr);
        cpu.VmWrite(VmcsField.GuestGdtrBase, g->Gdtr.Base);
        cpu.VmWrite(VmcsField.GuestGdtrLimit, g->Gdtr.Limit);
        cpu.VmWrite(VmcsField.GuestIdtrBase, g->Idtr.Base);
        cpu.VmWrite(VmcsField.GuestIdtrLimit, g->Idtr.Limit);

        cpu.VmWrite(VmcsField.GuestCr0, VmxControls.FixCr0(g->Cr0, vmx.Cr0Fixed0, vmx.Cr0Fixed1));
        cpu.VmWrite(VmcsField.Cr0ReadShadow, g->Cr0);
        cpu.VmWrite(VmcsField.GuestCr4, VmxControls.FixCr4(g->Cr4, vmx.Cr4Fixed0, vmx.Cr4Fixed1));
        cpu.VmWrite(VmcsField.Cr4ReadShadow, g->Cr4);
        cpu.VmWrite(VmcsField.GuestCr3, g->Cr3);
        cpu.VmWrite(VmcsField.GuestDr7, g->Dr7);
        ulong efer = g->Efer & ~X86Bits.EferSvme;
        cpu.VmWrite(VmcsField.GuestEfer, efer);
        cpu.VmWrite(VmcsField.EntryControls, vmx.Controls.Entry | ((efer & X86Bits.EferLma) != 0 ? VmxCtl.EntryIa32e : 0));
        cpu.VmWrite(VmcsField.GuestSysenterCs, g->SysenterCs);
        cpu.VmWrite(VmcsField.GuestSysenterEsp, g->SysenterEsp);
        cpu.VmWrite(VmcsField.GuestSysenterEip, g->SysenterEip);
        cpu.VmWrite(VmcsField.GuestDebugCtl, 0);
        VmxMsrArea.ToArea(g, v.X86.MsrArea);
        VmxControls c = vmx.Controls;
        if (c.LoadsGuestPat || c.SavesGuestPat) cpu.VmWrite(VmcsField.GuestPat, g->GPat);
        if (c.OffsetsTsc) cpu.VmWrite(VmcsField.TscOffset, g->TscOffset);

        cpu.VmWrite(VmcsField.GuestRsp, v.Regs[X86Reg.Rsp]);
        cpu.VmWrite(VmcsField.GuestRip, v.Regs.Ip);
        cpu.VmWrite(VmcsField.GuestRflags, v.Regs.Flags | X86Bits.RflagsFixed);
        // Bit 0 of the record's shadow is what the handlers clear when they step over an instruction;
        // the VMX blocking bits ride above it.
        uint blocking = (uint)(g->InterruptShadow >> 8);
        if ((g->InterruptShadow & 1) == 0) blocking &= ~3u;
        cpu.VmWrite(VmcsField.GuestInterruptibility, blocking);
        cpu.VmWrite(VmcsField.GuestActivity, 0);
        cpu.VmWrite(VmcsField.GuestPendingDebug, 0);
        // EVENTINJ and the VM-entry interruption information share their low 32 bits' layout.
        cpu.VmWrite(VmcsField.EntryInterruptInfo, (uint)g->EventInj);
        cpu.VmWrite(VmcsField.EntryErrorCode, g->EventInj >> 32);
        g->EventInj = 0;
    }

    /// <summary>The current VMCS back into the record and register file after an exit, with the exit's reason and details.</summary>
    public static void FromVmcs(VmxHost vmx, Vcpu v, Vmcb* g)
    {
        X86Cpu cpu = vmx.Cpu;
        ReadSegment(cpu, VmcsField.Es, &g->Es);
        ReadSegment(cpu, VmcsField.Cs, &g->Cs);
        ReadSegment(cpu, VmcsField.Ss, &g->Ss);
        ReadSegment(cpu, VmcsField.Ds, &g->Ds);
        ReadSegment(cpu, VmcsField.Fs, &g->Fs);
        ReadSegment(cpu, VmcsField.Gs, &g->Gs);
        ReadSegment(cpu, VmcsField.Ldtr, &g->Ldtr);
        ReadSegment(cpu, VmcsField.Tr, &g->Tr);
        g->Gdtr.Base = cpu.VmRead(VmcsField.GuestGdtrBase);
        g->Gdtr.Limit = (uint)cpu.VmRead(VmcsField.GuestGdtrLimit);
        g->Idtr.Base = cpu.VmRead(VmcsField.GuestIdtrBase);
        g->Idtr.Limit = (uint)cpu.VmRead(VmcsField.GuestIdtrLimit);
        g->Cpl = (byte)((g->Ss.Attrib >> 5) & 3);

        ulong cr0Mask = VmxControls.Cr0HostOwned(vmx.Cr0Fixed0, vmx.Cr0Fixed1);
        ulong cr4Mask = VmxControls.Cr4HostOwned(vmx.Cr4Fixed0, vmx.Cr4Fixed1);
        g->Cr0 = (cpu.VmRead(VmcsField.GuestCr0) & ~cr0Mask) | (cpu.VmRead(VmcsField.Cr0ReadShadow) & cr0Mask);
        g->Cr4 = (cpu.VmRead(VmcsField.GuestCr4) & ~cr4Mask) | (cpu.VmRead(VmcsField.Cr4ReadShadow) & cr4Mask);
        g->Cr3 = cpu.VmRead(VmcsField.GuestCr3);
        g->Dr7 = cpu.VmRead(VmcsField.GuestDr7);
        g->Efer = cpu.VmRead(VmcsField.GuestEfer) | X86Bits.EferSvme;
        g->SysenterCs = cpu.VmRead(VmcsField.GuestSysenterCs);
        g->SysenterEsp = cpu.VmRead(VmcsField.GuestSysenterEsp);
        g->SysenterEip = cpu.VmRead(VmcsField.GuestSysenterEip);
        VmxMsrArea.FromArea(g, v.X86.MsrArea);
        if (vmx.Controls.SavesGuestPat) g->GPat = cpu.VmRead(VmcsField.GuestPat);

        v.Regs[X86Reg.Rsp] = g->Rsp = cpu.VmRead(VmcsField.GuestRsp);
        v.Regs.Ip = g->Rip = cpu.VmRead(VmcsField.GuestRip);
        v.Regs.Flags = g->Rflags = cpu.VmRead(VmcsField.GuestRflags);
        uint blocking = (uint)cpu.VmRead(VmcsField.GuestInterruptibility);
        g->InterruptShadow = ((ulong)blocking << 8) | ((blocking & 3) != 0 ? 1UL : 0);

        g->ExitCode = cpu.VmRead(VmcsField.ExitReason);
        g->ExitInfo1 = cpu.VmRead(VmcsField.ExitQualification);
        g->ExitInfo2 = cpu.VmRead(VmcsField.GuestPhysicalAddress);
        ulong vectoring = cpu.VmRead(VmcsField.IdtVectoringInfo) & 0xFFFF_FFFF;
        if ((vectoring & SvmEvent.ErrorCodeValid) != 0) vectoring |= cpu.VmRead(VmcsField.IdtVectoringError) << 32;
        g->ExitIntInfo = vectoring;
        v.X86.ExitLength = (uint)cpu.VmRead(VmcsField.ExitInstructionLength);
        // An event cut short by the exit is delivered again (SDM 28.2.4; types 0-3 need no length).
        g->EventInj = (vectoring & SvmEvent.Valid) != 0 && ((vectoring >> 8) & 7) <= 3 ? vectoring & ~(0x7FFFUL << 12) : 0;
    }

    static void WriteSegment(X86Cpu cpu, int i, VmcbSegment* s)
    {
        uint k = (uint)(2 * i);
        cpu.VmWrite(VmcsField.GuestSelector + k, s->Selector);
        cpu.VmWrite(VmcsField.GuestBase + k, s->Base);
        cpu.VmWrite(VmcsField.GuestLimit + k, s->Limit);
        cpu.VmWrite(VmcsField.GuestAccessRights + k, AccessRights(s->Attrib));
    }

    static void ReadSegment(X86Cpu cpu, int i, VmcbSegment* s)
    {
        uint k = (uint)(2 * i);
        s->Selector = (ushort)cpu.VmRead(VmcsField.GuestSelector + k);
        s->Base = cpu.VmRead(VmcsField.GuestBase + k);
        s->Limit = (uint)cpu.VmRead(VmcsField.GuestLimit + k);
        s->Attrib = Attrib((uint)cpu.VmRead(VmcsField.GuestAccessRights + k));
    }

    /// <summary>CLTS: the guest's CR0.TS clears (a CR access exit only when TS is host-owned).</summary>
    public static void Clts(Vmcb* g) => g->Cr0 &= ~Cr0Ts;
}

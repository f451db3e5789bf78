using XenLite.Hv.Common;

namespace XenLite.Hv.Arch.X86;

/// <summary>
/// The VM-exit table, indexed by basic exit reason (range-checked first), as SvmExits is by
/// #VMEXIT code. The handlers are SVM's where the work is the same (CPUID, HLT, the hypercall
/// gate, I/O, MSRs): the record they edit is the vCPU's VMCB-shaped page (<see cref="VmxState"/>),
/// and an I/O exit's qualification is rewritten as SVM's EXITINFO1 for <see cref="IoExit"/>.
/// Failed entries, EPT violations, triple faults and reasons without a handler crash only the
/// domain, naming the reason.
/// </summary>
public static unsafe class VmxExits
{
    static readonly delegate*<SvmHost, Vcpu, Vmcb*, SvmExitResult>[] Table = BuildTable();

    static delegate*<SvmHost, Vcpu, Vmcb*, SvmExitResult>[] BuildTable()
    {
        var t = new delegate*<SvmHost, Vcpu, Vmcb*, SvmExitResult>[VmxExit.TableSize];
        t[VmxExit.ExceptionNmi] = &ExceptionOrNmi;
        t[VmxExit.ExternalInterrupt] = &HostEvent;
        t[VmxExit.Init] = &HostEvent;
        t[VmxExit.Sipi] = &HostEvent;
        t[VmxExit.TripleFault] = &TripleFault;
        t[VmxExit.Cpuid] = &InstructionExits.Cpuid;
        t[VmxExit.Hlt] = &InstructionExits.Hlt;
        t[VmxExit.Vmcall] = &InstructionExits.Vmmcall;
        t[VmxExit.Io] = &Io;
        t[VmxExit.Rdmsr] = &Rdmsr;
        t[VmxExit.Wrmsr] = &Wrmsr;
        t[VmxExit.CrAccess] = &CrAccess;
        t[VmxExit.Invd] = &CacheNoOp;
        t[VmxExit.Wbinvd] = &CacheNoOp;
        t[VmxExit.InvalidGuestState] = &InvalidGuestState;
        t[VmxExit.MsrLoading] = &MsrLoading;
        t[VmxExit.MachineCheck] = &MachineCheck;
        t[VmxExit.EptViolation] = &EptViolation;
        t[VmxExit.EptMisconfig] = &EptMisconfig;
        // Nested VMX, SMX, MONITOR/MWAIT and XSAVE state are not offered: #UD, as Xen does without them.
        uint[] undefined =
        {
            VmxExit.Getsec, VmxExit.Vmclear, VmxExit.Vmlaunch, VmxExit.Vmptrld, VmxExit.Vmptrst, VmxExit.Vmread,
            VmxExit.Vmresume, VmxExit.Vmwrite, VmxExit.Vmxoff, VmxExit.Vmxon, VmxExit.Invept, VmxExit.Invvpid,
            VmxExit.Vmfunc, VmxExit.Mwait, VmxExit.Monitor, VmxExit.Xsetbv,
        };
        for (int i = 0; i < undefined.Length; i++) t[undefined[i]] = &Undefined;
        return t;
    }

    /// <summary>Whether a basic exit reason has a handler (the rest crash the domain).</summary>
    public static bool Handles(uint reason) => reason < VmxExit.TableSize && Table[reason] != null;

    public static SvmExitResult Handle(SvmHost host, Vcpu v, Vmcb* g)
    {
        uint reason = (uint)g->ExitCode & 0xFFFF;
        if (reason < VmxExit.TableSize)
        {
            host.ExitCounts[reason]++;
            var handler = Table[reason];
            if (handler != null) return handler(host, v, g);
        }
        else host.ExitCounts[SvmExit.TableSize + 1]++;
        host.Hv.Console.Write("(XEN) VMX: exit reason ");
        host.Hv.Console.WriteDec((ulong)reason);
        host.Hv.Console.WriteLine(" has no handler");
        return DomainCrash.Crash(host, v, g, "unexpected VMX exit (reason in exitcode)");
    }

    static SvmExitResult HostEvent(SvmHost host, Vcpu v, Vmcb* g) => SvmExitResult.HostEvent;

    static SvmExitResult Undefined(SvmHost host, Vcpu v, Vmcb* g) => GuestState.InjectUd(g);

    /// <summary>Exception bitmap is empty, so only an NMI (interruption type 2) comes here; anything else is unexpected.</summary>
    static SvmExitResult ExceptionOrNmi(SvmHost host, Vcpu v, Vmcb* g)
    {
        ulong info = host.Cpu.VmRead(VmcsField.ExitInterruptInfo);
        if (((info >> 8) & 7) == 2) return SvmExitResult.HostEvent;
        return DomainCrash.Crash(host, v, g, "unexpected exception exit (VMX exit 0)");
    }

    static SvmExitResult TripleFault(SvmHost host, Vcpu v, Vmcb* g) =>
        DomainCrash.Crash(host, v, g, "triple fault (VMX exit 2)");

    static SvmExitResult InvalidGuestState(SvmHost host, Vcpu v, Vmcb* g) =>
        DomainCrash.Crash(host, v, g, "VM entry failed: invalid guest state (VMX exit 33)");

    static SvmExitResult MsrLoading(SvmHost host, Vcpu v, Vmcb* g) =>
        DomainCrash.Crash(host, v, g, "VM entry failed: MSR loading (VMX exit 34)");

    static SvmExitResult MachineCheck(SvmHost host, Vcpu v, Vmcb* g) =>
        DomainCrash.Crash(host, v, g, "VM entry failed: machine check (VMX exit 41)");

    /// <summary>Every RAM frame is mapped up front and there is no emulated MMIO: an EPT violation is the guest's bug.</summary>
    static SvmExitResult EptViolation(SvmHost host, Vcpu v, Vmcb* g)
    {
        HvConsole c = host.Hv.Console;
        c.Write("(XEN) VMX: EPT violation at gpa ");
        c.WriteHex(g->ExitInfo2);
        c.Write((g->ExitInfo1 & 2) != 0 ? " (write" : (g->ExitInfo1 & 4) != 0 ? " (fetch" : " (read");
        c.Write(", qualification ");
        c.WriteHex(g->ExitInfo1);
        c.WriteLine(")");
        return DomainCrash.Crash(host, v, g, "EPT violation (VMX exit 48, gpa in exitinfo2)");
    }

    static SvmExitResult EptMisconfig(SvmHost host, Vcpu v, Vmcb* g) =>
        DomainCrash.Crash(host, v, g, "EPT misconfiguration (VMX exit 49, gpa in exitinfo2)");

    static SvmExitResult CacheNoOp(SvmHost host, Vcpu v, Vmcb* g)
    {
        GuestState.Advance(v, g, 2);
        return SvmExitResult.Resume;
    }

    // I/O qualification (SDM table 28-5): size-1 in bits 0-2, IN bit 3, string 4, REP 5, port 16-31.
    // SVM's EXITINFO1: IN bit 0, STR 2, REP 3, SZ8/16/32 bits 4-6, port 16-31.
    public static ulong IoInfo(ulong q)
    {
        ulong size = (q & 7) + 1;
        return ((q >> 3) & 1) | (((q >> 4) & 1) << 2) | (((q >> 5) & 1) << 3) | (size << 4) | (q & 0xFFFF_0000);
    }

    static SvmExitResult Io(SvmHost host, Vcpu v, Vmcb* g)
    {
        g->ExitInfo1 = IoInfo(g->ExitInfo1);
        g->ExitInfo2 = v.Regs.Ip + v.X86.ExitLength;
        return IoExit.Handle(host, v, g);
    }

    static SvmExitResult Rdmsr(SvmHost host, Vcpu v, Vmcb* g)
    {
        if (!VmxMsrs.Read(host, g, (uint)v.Regs[X86Reg.Rcx], out ulong value)) return GuestState.InjectGp(g);
        v.Regs[X86Reg.Rax] = (uint)value;
        v.Regs[X86Reg.Rdx] = value >> 32;
        GuestState.Advance(v, g, 2);
        return SvmExitResult.Resume;
    }

    static SvmExitResult Wrmsr(SvmHost host, Vcpu v, Vmcb* g)
    {
        ulong value = (v.Regs[X86Reg.Rdx] << 32) | (uint)v.Regs[X86Reg.Rax];
        if (!VmxMsrs.Write(host, v, g, (uint)v.Regs[X86Reg.Rcx], value)) return GuestState.InjectGp(g);
        GuestState.Advance(v, g, 2);
        return SvmExitResult.Resume;
    }

    /// <summary>
    /// A CR access that touched a host-owned bit (CR0.NE/CD/NW, CR4.VMXE and reserved bits, or CR3
    /// where the CPU forces CR3 exiting). Qualification (SDM table 28-3): CR number bits 0-3,
    /// access type 4-5 (0 mov to, 1 mov from, 2 CLTS, 3 LMSW), GPR 8-11, LMSW source 16-31.
    /// </summary>
    static SvmExitResult CrAccess(SvmHost host, Vcpu v, Vmcb* g)
    {
        ulong q = g->ExitInfo1;
        int cr = (int)(q & 15), type = (int)((q >> 4) & 3), gpr = (int)((q >> 8) & 15);
        VmxHost vmx = host.Vmx;
        switch (type)
        {
            case 0:
                ulong value = v.Regs[gpr];
                if (cr == 0) { if (!VmxCr.WriteCr0(g, value)) return GuestState.InjectGp(g); }
                else if (cr == 3) g->Cr3 = value;
                else if (cr == 4) { if (!VmxCr.WriteCr4(g, value, vmx.Cr4Fixed1)) return GuestState.InjectGp(g); }
                else return DomainCrash.Crash(host, v, g, "unexpected CR write exit (VMX exit 28)");
                break;
            case 1:
                if (cr != 3) return DomainCrash.Crash(host, v, g, "unexpected CR read exit (VMX exit 28)");
                v.Regs[gpr] = g->Cr3;
                break;
            case 2:
                VmxState.Clts(g);
                break;
            default:
                // LMSW loads CR0 bits 0-3 and cannot clear PE.
                ulong src = (q >> 16) & 0xF;
                if (!VmxCr.WriteCr0(g, (g->Cr0 & ~0xFUL) | src | (g->Cr0 & X86Bits.Cr0Pe))) return GuestState.InjectGp(g);
                break;
        }
        GuestState.Advance(v, g, 3);
        return SvmExitResult.Resume;
    }
}

using XenLite.Hv.Common;

namespace XenLite.Hv.Arch.X86;

/// <summary>
/// The #VMEXIT table: one handler per exit code (Bao's abort_handlers idea), range-checked
/// first. Codes without a handler, and anything odd, crash the domain, never the hypervisor.
/// </summary>
public static unsafe class SvmExits
{
    static readonly delegate*<SvmHost, Vcpu, Vmcb*, SvmExitResult>[] Table = BuildTable();

    static delegate*<SvmHost, Vcpu, Vmcb*, SvmExitResult>[] BuildTable()
    {
        var t = new delegate*<SvmHost, Vcpu, Vmcb*, SvmExitResult>[SvmExit.TableSize];
        t[SvmExit.Intr] = &HostEvent;
        t[SvmExit.Nmi] = &HostEvent;
        t[SvmExit.Smi] = &HostEvent;
        t[SvmExit.Init] = &HostEvent;
        t[SvmExit.Cpuid] = &InstructionExits.Cpuid;
        t[SvmExit.Hlt] = &InstructionExits.Hlt;
        t[SvmExit.Msr] = &InstructionExits.Msr;
        t[SvmExit.Vmmcall] = &InstructionExits.Vmmcall;
        t[SvmExit.Ioio] = &IoExit.Handle;
        t[SvmExit.Invd] = &CacheNoOp;
        t[SvmExit.Wbinvd] = &CacheNoOp;
        t[SvmExit.Shutdown] = &TripleFault;
        // Intercepted for PV domains only: their hypercalls (syscall with EFER.SCE clear).
        t[SvmExit.ExceptionBase + SvmEvent.VectorUd] = &PvSyscallGate.InvalidOpcode;
        // Intercepted for PV domains only: their software interrupts, int $0x82 the pv32 hypercall.
        t[SvmExit.Swint] = &PvInt82Gate.SoftwareInterrupt;
        // Nested SVM is not offered and neither are MONITOR/MWAIT, RDPRU or XSAVE state: #UD, as Xen does without them.
        t[SvmExit.Vmrun] = &Undefined;
        t[SvmExit.Vmload] = &Undefined;
        t[SvmExit.Vmsave] = &Undefined;
        t[SvmExit.Stgi] = &Undefined;
        t[SvmExit.Clgi] = &Undefined;
        t[SvmExit.Skinit] = &Undefined;
        t[SvmExit.Invlpga] = &Undefined;
        t[SvmExit.Monitor] = &Undefined;
        t[SvmExit.Mwait] = &Undefined;
        t[SvmExit.MwaitCond] = &Undefined;
        t[SvmExit.Rdpru] = &Undefined;
        t[SvmExit.Xsetbv] = &Undefined;
        return t;
    }

    public static SvmExitResult Handle(SvmHost host, Vcpu v, Vmcb* vmcb)
    {
        ulong code = vmcb->ExitCode;
        if (code < SvmExit.TableSize)
        {
            host.ExitCounts[code]++;
            var handler = Table[code];
            if (handler != null) return handler(host, v, vmcb);
            return DomainCrash.Crash(host, v, vmcb, "unexpected vmexit");
        }
        if (code == SvmExit.Npf)
        {
            host.ExitCounts[SvmExit.TableSize]++;
            // Every RAM frame is mapped up front and there is no emulated MMIO: any nested fault is the guest's bug.
            return DomainCrash.Crash(host, v, vmcb, "nested page fault (gpa in exitinfo2)");
        }
        host.ExitCounts[SvmExit.TableSize + 1]++;
        if (code == SvmExit.Invalid) return DomainCrash.Crash(host, v, vmcb, "VMRUN refused the guest state (VMEXIT_INVALID)");
        return DomainCrash.Crash(host, v, vmcb, "unexpected vmexit");
    }

    static SvmExitResult HostEvent(SvmHost host, Vcpu v, Vmcb* vmcb) => SvmExitResult.HostEvent;

    static SvmExitResult Undefined(SvmHost host, Vcpu v, Vmcb* vmcb) => GuestState.InjectUd(vmcb);

    /// <summary>INVD/WBINVD (both 2 bytes): guests own no devices, so there is nothing to write back.</summary>
    static SvmExitResult CacheNoOp(SvmHost host, Vcpu v, Vmcb* vmcb)
    {
        GuestState.Advance(v, vmcb, 2);
        return SvmExitResult.Resume;
    }

    static SvmExitResult TripleFault(SvmHost host, Vcpu v, Vmcb* vmcb) =>
        DomainCrash.Crash(host, v, vmcb, "triple fault (VMEXIT_SHUTDOWN)");
}

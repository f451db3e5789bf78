using XenLite.Hv.Common;

namespace XenLite.Hv.Arch.Arm64;

/// <summary>
/// The synchronous-exit table, indexed by ESR_EL2.EC (Bao's abort_handlers). Classes without a
/// handler get an undefined-instruction exception, as Xen's do_trap_guest_sync default does.
/// </summary>
public static unsafe class Arm64Exits
{
    static readonly delegate*<Arm64Host, Vcpu, GuestContext*, Arm64ExitResult>[] Table = BuildTable();

    static delegate*<Arm64Host, Vcpu, GuestContext*, Arm64ExitResult>[] BuildTable()
    {
        var t = new delegate*<Arm64Host, Vcpu, GuestContext*, Arm64ExitResult>[Ec.TableSize];
        t[Ec.Wfx] = &Arm64Wfx.Handle;
        t[Ec.Hvc64] = &Arm64Calls.Hvc;
        t[Ec.Smc64] = &Arm64Calls.Smc;
        t[Ec.Sysreg] = &Arm64Sysreg.Handle;
        t[Ec.IabtLower] = &Arm64Abort.Handle;
        t[Ec.DabtLower] = &Arm64Abort.Handle;
        return t;
    }

    public static Arm64ExitResult Handle(Arm64Host host, Vcpu v, GuestContext* ctx)
    {
        switch (ctx->ExitKind)
        {
            case GuestContext.ExitIrq:
            case GuestContext.ExitFiq:
                host.ExitCounts[Arm64Host.IrqCount]++;
                HostInterruptsTaken(host, v);
                return Arm64ExitResult.HostEvent;
            case GuestContext.ExitSerror:
                host.ExitCounts[Arm64Host.SerrorCount]++;
                return Arm64DomainEnd.Crash(host, v, "SError (asynchronous abort)");
        }
        uint ec = Esr.Class(ctx->Esr);
        host.ExitCounts[ec]++;
        var handler = Table[ec];
        return handler != null ? handler(host, v, ctx) : GuestException.Undefined(host, v);
    }

    /// <summary>
    /// Acknowledges every pending host interrupt: the virtual timer becomes the running vCPU's
    /// PPI 27; the hypervisor timer ends the current slice. Others are ended and dropped (no
    /// device is passed through).
    /// </summary>
    public static void HostInterruptsTaken(Arm64Host host, Vcpu running)
    {
        for (int guard = 0; guard < 64; guard++)
        {
            uint intid = host.Cpu.AcknowledgeInterrupt();
            if (intid >= 1020) return;
            if (intid == host.Interrupts.VirtualTimer && running != null) Vtimer.Fired(host, running);
            else if (intid == host.Interrupts.HypervisorTimer)
            {
                host.Cpu.SetHypervisorTimer(0);
                host.SliceExpired = true;
            }
            host.Cpu.EndInterrupt(intid);
        }
    }
}

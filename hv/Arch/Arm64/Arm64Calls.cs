using XenLite.Hv.Abi;
using XenLite.Hv.Common;

namespace XenLite.Hv.Arch.Arm64;

/// <summary>
/// HVC and SMC exits (Xen's do_trap_guest_sync): HVC #0xEA1 is a hypercall (number x16, arguments
/// x0–x4, result x0) for the shared dispatcher in arm mode; HVC #0 and SMC #0 are SMCCC/PSCI calls;
/// any other immediate is an undefined instruction for the guest. HVC returns past itself; a trapped
/// SMC leaves ELR on the instruction, so it is stepped over once handled.
/// </summary>
public static unsafe class Arm64Calls
{
    public const uint XenHypercallTag = 0xEA1;

    public static Arm64ExitResult Hvc(Arm64Host host, Vcpu v, GuestContext* ctx)
    {
        uint imm = Esr.Immediate(ctx->Esr);
        if (imm == XenHypercallTag)
        {
            v.Mode = GuestMode.Arm;
            host.Counters.Hypercalls++;
            // A continuation re-executes the hvc: back to it (Xen: regs->pc -= 4).
            if (!host.Hv.Dispatcher.Enter(v)) v.Regs.Ip -= 4;
            return Arm64DomainEnd.ResumeUnlessGone(v);
        }
        if (imm != 0) return GuestException.Undefined(host, v);
        Smccc.Call(host, v);
        return AfterFirmwareCall(v);
    }

    public static Arm64ExitResult Smc(Arm64Host host, Vcpu v, GuestContext* ctx)
    {
        if (Esr.Immediate(ctx->Esr) != 0) return GuestException.Undefined(host, v);
        Smccc.Call(host, v);
        v.Regs.Ip += Esr.Length(ctx->Esr);
        return AfterFirmwareCall(v);
    }

    static Arm64ExitResult AfterFirmwareCall(Vcpu v)
    {
        if (v.Domain.State != DomainState.Running) return Arm64ExitResult.DomainGone;
        return v.Blocked || !v.IsUp ? Arm64ExitResult.Blocked : Arm64ExitResult.Resume;
    }
}

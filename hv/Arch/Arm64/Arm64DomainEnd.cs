using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Sched;

namespace XenLite.Hv.Arch.Arm64;

/// <summary>
/// Ends a domain from inside an exit handler: a crash prints what the guest did (Xen's
/// domain_crash with a register dump); every end releases the arm state and destroys the
/// domain, so a guest that breaks hurts only itself.
/// </summary>
public static unsafe class Arm64DomainEnd
{
    public static Arm64ExitResult Crash(Arm64Host host, Vcpu v, string why)
    {
        HvConsole c = host.Hv.Console;
        c.Write("(XEN) Domain ");
        c.WriteDec((ulong)v.Domain.Id);
        c.Write(" (vcpu#");
        c.WriteDec((ulong)v.Id);
        c.Write(") crashed: ");
        c.WriteLine(why);
        GuestContext* ctx = v.Arm64.Ctx;
        c.Write("(XEN)   pc "); c.WriteHex(v.Regs.Ip); c.Write("  pstate "); c.WriteHex(v.Regs.Flags);
        c.Write("  esr "); c.WriteHex(ctx->Esr); c.Write("  far "); c.WriteHex(ctx->Far); c.Put((byte)'\n');
        for (int i = 0; i < 31; i++)
        {
            if (i % 4 == 0) c.Write("(XEN)  ");
            c.Write(" x");
            c.WriteDec((ulong)i);
            c.Put((byte)' ');
            c.WriteHex(v.Regs[i]);
            if (i % 4 == 3 || i == 30) c.Put((byte)'\n');
        }
        return End(host, v.Domain, ShutdownReason.Crash);
    }

    /// <summary>Shuts the domain down as Xen's domain_shutdown does (the hardware domain stops the machine), then destroys it.</summary>
    public static Arm64ExitResult End(Arm64Host host, Domain d, int code)
    {
        DomainShutdown.Shutdown(d, (byte)code);
        host.Hv.DestroyDomain(d);
        return Arm64ExitResult.DomainGone;
    }

    /// <summary>After a hypercall or PSCI call: a domain that is no longer running must not run again.</summary>
    public static Arm64ExitResult ResumeUnlessGone(Vcpu v) =>
        v.Domain.State == DomainState.Running ? Arm64ExitResult.Resume : Arm64ExitResult.DomainGone;
}

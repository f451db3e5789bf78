using XenLite.Hv.Abi;

namespace XenLite.Hv.Common.Sched;

/// <summary>
/// Xen's domain_shutdown: the first reason given (or an earlier SCHEDOP_shutdown_code) becomes
/// the domain's shutdown code, every vCPU is paused, and the domain is then shut down. The
/// reason is never validated: any byte is stored. A shut-down domain keeps its memory until it
/// is destroyed, by the control domain's toolstack or, when no control domain is left running,
/// by <see cref="ShutdownReaper"/>. The hardware domain is different: as in Xen, its shutdown
/// stops the whole machine at once.
/// </summary>
public static class DomainShutdown
{
    /// <summary>Xen's SHUTDOWN_CODE_INVALID: no code recorded yet.</summary>
    public const uint CodeInvalid = uint.MaxValue;

    public static int Shutdown(Domain d, byte reason)
    {
        if (d.ShutdownCode == CodeInvalid) d.ShutdownCode = reason;
        reason = (byte)d.ShutdownCode;

        // Before the "already shutting down" check, as Xen does: dom0 asking again still stops the machine.
        if (d.IsHardware) HardwareDomainShutdown(d, reason);

        if (d.IsShutdown) return 0;

        d.State = DomainState.ShuttingDown;
        for (int i = 0; i < d.Vcpus.Length; i++) d.Vcpus[i].PausedForShutdown = true;
        Finalise(d);
        return 0;
    }

    /// <summary>The shutdown completes once every vCPU is paused (always, until shutdown deferral exists).</summary>
    static void Finalise(Domain d)
    {
        if (d.State == DomainState.Shutdown) return;
        for (int i = 0; i < d.Vcpus.Length; i++)
            if (!d.Vcpus[i].PausedForShutdown) return;
        d.State = DomainState.Shutdown;
        SchedEvents.DomainShutdownComplete(d);
    }

    /// <summary>Xen's hwdom_shutdown: says why, then halts (poweroff) or restarts the machine; we power off with a status.</summary>
    static void HardwareDomainShutdown(Domain d, byte reason)
    {
        HvConsole c = d.Hv.Console;
        switch (reason)
        {
            case ShutdownReason.Poweroff:
                c.Write("Hardware Dom"); c.WriteDec((ulong)d.Id); c.WriteLine(" halted: halting machine");
                break;
            case ShutdownReason.Crash:
                c.Write("Hardware Dom"); c.WriteDec((ulong)d.Id); c.WriteLine(" crashed: stopping machine");
                break;
            case ShutdownReason.Reboot:
                c.Write("Hardware Dom"); c.WriteDec((ulong)d.Id); c.WriteLine(" shutdown: rebooting machine");
                break;
            case ShutdownReason.Watchdog:
                c.Write("Hardware Dom"); c.WriteDec((ulong)d.Id); c.WriteLine(" shutdown: watchdog rebooting machine");
                break;
            case ShutdownReason.SoftReset:
                c.Write("Hardware Dom"); c.WriteDec((ulong)d.Id); c.WriteLine(" did unsupported soft reset, rebooting");
                break;
            default:
                c.Write("Hardware Dom"); c.WriteDec((ulong)d.Id); c.Write(" shutdown (unknown reason ");
                c.WriteDec((ulong)reason); c.WriteLine(")");
                break;
        }
        d.Hv.Platform.PowerOff(MachineStatus(reason));
    }

    /// <summary>The machine's exit status for a shutdown code: 0 for a clean poweroff, 1 otherwise (as DestroyDomain does).</summary>
    public static int MachineStatus(uint code) => code == ShutdownReason.Poweroff ? 0 : 1;
}

using XenLite.Hv.Abi;

namespace XenLite.Hv.Common.Sched;

/// <summary>
/// SCHEDOP_watchdog: a domain's watchdog timers (Xen's domain_watchdog). Id 0 claims a free
/// timer and returns its id (1-based); a claimed id re-arms it, or with timeout 0 frees it.
/// A timer that runs out shuts the domain down with SHUTDOWN_watchdog.
/// </summary>
public static class Watchdog
{
    public const uint Timers = 2;
    const long NsPerSecond = 1_000_000_000;

    public static long Set(Domain d, uint id, uint timeoutSeconds, long now)
    {
        if (id > Timers) return -Errno.EINVAL;
        long expires = now + timeoutSeconds * NsPerSecond;

        if (id == 0)
        {
            for (uint i = 0; i < Timers; i++)
            {
                if ((d.WatchdogInUse & (1u << (int)i)) != 0) continue;
                d.WatchdogInUse |= 1u << (int)i;
                // A timeout of 0 here is not special: the new timer is due at once.
                d.WatchdogTimers[i].Set(expires);
                return i + 1;
            }
            return -Errno.ENOSPC;
        }

        uint slot = id - 1;
        if ((d.WatchdogInUse & (1u << (int)slot)) == 0) return -Errno.EINVAL;
        if (timeoutSeconds == 0)
        {
            d.WatchdogTimers[slot].Stop();
            d.WatchdogInUse &= ~(1u << (int)slot);
        }
        else
        {
            d.WatchdogTimers[slot].Set(expires);
        }
        return 0;
    }

    /// <summary>Fires the domain's due watchdogs. A fired watchdog stays claimed, as in Xen.</summary>
    public static void Expire(Domain d, long now)
    {
        for (uint i = 0; i < Timers; i++)
        {
            if (!d.WatchdogTimers[i].Expire(now)) continue;
            if (d.IsShutdown || d.State == DomainState.Dying) continue;
            HvConsole c = d.Hv.Console;
            c.Write("Watchdog timer "); c.WriteDec((ulong)i); c.Write(" fired for d"); c.WriteDec((ulong)d.Id); c.Put((byte)'\n');
            DomainShutdown.Shutdown(d, ShutdownReason.Watchdog);
        }
    }
}

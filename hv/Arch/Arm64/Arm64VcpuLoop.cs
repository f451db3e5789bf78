using XenLite.Hv.Common;
using XenLite.Hv.Common.Sched;

namespace XenLite.Hv.Arch.Arm64;

/// <summary>
/// The single-CPU scheduler: round-robin over runnable vCPUs with a time slice (the EL2 timer),
/// soft timers and guest virtual timers fired between exits, WFI idling until the next deadline.
/// It ends when the machine is asked to power off or the last domain is gone; with every vCPU
/// waiting and nothing armed to wake one, it says so and stops with status 1.
/// </summary>
public static class Arm64VcpuLoop
{
    /// <summary>How long a vCPU runs before another runnable one gets the CPU.</summary>
    public const ulong SliceMicros = 10_000;
    const int SlotsPerDomain = 8;

    public static void Run(Arm64Host host, Arm64Platform platform)
    {
        Hypervisor hv = host.Hv;
        int next = 0;
        while (!platform.PowerOffRequested && hv.LiveDomains > 0)
        {
            SchedTick.Run(hv);
            Vtimer.Expire(host, host.Cpu.Counter());
            if (platform.PowerOffRequested || hv.LiveDomains == 0) break;
            if (host.SliceExpired)
            {
                host.SliceExpired = false;
                next++;
            }
            Vcpu v = PickRunnable(host, ref next);
            if (v == null)
            {
                if (!Idle(host)) Stuck(hv);
                continue;
            }
            if (host.Counters.FirstGuestEntry == 0) host.Counters.FirstGuestEntry = host.Cpu.Counter();
            if (host.Loaded != v) host.Cpu.SetHypervisorTimer(host.Cpu.Counter() + host.Cpu.CounterFrequency / 1_000_000 * SliceMicros);
            Arm64ExitResult r = Arm64Run.RunOnce(host, v);
            if (r == Arm64ExitResult.DomainGone) Release(host, v.Domain);
            else if (v.YieldRequested)
            {
                v.YieldRequested = false;
                next++;
            }
        }
        host.Cpu.SetHypervisorTimer(0);
    }

    /// <summary>The first vCPU from slot <paramref name="next"/> on that may run now (starting a domain a toolstack just unpaused), or null.</summary>
    static Vcpu PickRunnable(Arm64Host host, ref int next)
    {
        Hypervisor hv = host.Hv;
        const int Slots = Hypervisor.MaxDomains * SlotsPerDomain;
        for (int k = 0; k < Slots; k++)
        {
            int slot = (next + k) % Slots;
            Domain d = hv.Lookup((uint)(slot / SlotsPerDomain));
            if (d != null && d.Arm64 == null) Arm64DomainStart.StartIfReady(host, d);
            if (d == null || d.Arm64 == null || d.State != DomainState.Running || d.IsPausedByController || slot % SlotsPerDomain >= d.Vcpus.Length) continue;
            Vcpu v = d.Vcpus[slot % SlotsPerDomain];
            if (!v.IsUp || v.Blocked || v.PausedForShutdown || v.Arm64 == null) continue;
            next = slot;
            return v;
        }
        return null;
    }

    /// <summary>Sleeps (WFI, the EL2 timer armed) until the earliest soft timer or guest timer; false when none is armed.</summary>
    static bool Idle(Arm64Host host)
    {
        ulong deadline = EarliestDeadline(host);
        if (deadline == ulong.MaxValue) return false;
        Arm64Cpu cpu = host.Cpu;
        while (cpu.Counter() < deadline)
        {
            cpu.SetHypervisorTimer(deadline);
            cpu.WaitForInterrupt();
            Arm64Exits.HostInterruptsTaken(host, host.Loaded);
            if (AnyRunnableWoken(host)) break;
        }
        cpu.SetHypervisorTimer(0);
        host.SliceExpired = false;
        return true;
    }

    /// <summary>The counter value of the next soft timer (converted from ns) or guest virtual timer.</summary>
    static ulong EarliestDeadline(Arm64Host host)
    {
        Hypervisor hv = host.Hv;
        long earliestNs = long.MaxValue;
        ulong earliest = ulong.MaxValue;
        for (uint id = 0; id < Hypervisor.MaxDomains; id++)
        {
            Domain d = hv.Lookup(id);
            if (d == null) continue;
            for (int i = 0; i < d.Vcpus.Length; i++)
            {
                Vcpu v = d.Vcpus[i];
                Earliest(ref earliestNs, v.SingleshotTimer.Active, v.SingleshotTimer.Expires);
                Earliest(ref earliestNs, v.PollTimer.Active, v.PollTimer.Expires);
                if (v.Arm64 != null && v.IsUp)
                {
                    ulong t = Vtimer.Deadline(host, v);
                    if (t < earliest) earliest = t;
                }
            }
            for (int i = 0; i < d.WatchdogTimers.Length; i++)
                Earliest(ref earliestNs, d.WatchdogTimers[i].Active, d.WatchdogTimers[i].Expires);
        }
        if (earliestNs != long.MaxValue)
        {
            ulong now = host.Cpu.Counter();
            long nowNs = (long)hv.Platform.NowNs();
            ulong waitNs = earliestNs > nowNs ? (ulong)(earliestNs - nowNs) : 0;
            ulong at = now + waitNs / 1000 * (host.Cpu.CounterFrequency / 1_000_000) + 1;
            if (at < earliest) earliest = at;
        }
        return earliest;
    }

    static void Earliest(ref long earliest, bool active, long expires)
    {
        if (active && expires < earliest) earliest = expires;
    }

    static bool AnyRunnableWoken(Arm64Host host)
    {
        int next = 0;
        return PickRunnable(host, ref next) != null;
    }

    static void Stuck(Hypervisor hv)
    {
        hv.Console.WriteLine("(XEN) every vCPU is waiting and nothing is armed to wake one: stopping");
        hv.Platform.PowerOff(1);
    }

    /// <summary>A domain that shut down keeps its memory until it is destroyed, but never runs again: give back its arm state now.</summary>
    static void Release(Arm64Host host, Domain d)
    {
        if (d.Arm64 != null) Arm64Domain.Destroy(host, d);
    }
}

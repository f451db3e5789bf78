using XenLite.Hv.Common;
using XenLite.Hv.Common.Sched;

namespace XenLite.Hv.Arch.X86;

/// <summary>
/// The single-CPU scheduler: fair round-robin over every runnable vCPU of every domain, each
/// running for at most <see cref="SliceNs"/> before the next one (in domain, then vCPU order)
/// gets the CPU. The host's one-shot timer (<see cref="X86Cpu.ArmTimer"/>, the LAPIC timer in
/// the image) is armed for the end of the slice or the earliest soft timer, whichever comes
/// first, so a guest that never exits is still preempted (VMEXIT_INTR) and VIRQ_TIMER,
/// poll timeouts and watchdogs fire in real time (SchedTick between exits). With every vCPU
/// blocked the CPU halts until the next timer. Domains a toolstack built get their SVM state
/// when first unpaused; destroyed ones give it back. It ends when the machine is asked to
/// power off or the last domain is gone; with every vCPU waiting and no timer to wake one,
/// nothing can ever run again, so it says so and stops with status 1.
/// </summary>
public static class VcpuLoop
{
    public const long SliceNs = 10_000_000;
    const int SlotsPerDomain = 8;
    const int Slots = Hypervisor.MaxDomains * SlotsPerDomain;

    public static void Run(SvmHost host, BootPlatform platform, SvmCounters counters)
    {
        Hypervisor hv = host.Hv;
        int current = -1;
        long sliceEnd = 0;
        while (!platform.PowerOffRequested && hv.LiveDomains > 0)
        {
            SchedTick.Run(hv);
            host.ReleaseDestroyed();
            if (platform.PowerOffRequested || hv.LiveDomains == 0) break;
            long now = (long)hv.Platform.NowNs();
            Vcpu v = current >= 0 && now < sliceEnd ? Runnable(host, current) : null;
            if (v == null)
            {
                // The slice is over or the vCPU stopped: the next runnable one after it, itself last.
                current = PickAfter(host, current);
                if (current < 0)
                {
                    if (!Idle(host)) Stuck(hv);
                    continue;
                }
                v = Runnable(host, current);
                sliceEnd = now + SliceNs;
            }
            ArmTimer(host, now, Earliest(hv, sliceEnd));
            if (counters.FirstVmrunTsc == 0) counters.FirstVmrunTsc = host.Cpu.Rdtsc();
            SvmExitResult r = SvmRun.RunOnce(host, v);
            if (r == SvmExitResult.DomainGone) Release(host, v.Domain);
            else if (v.YieldRequested)
            {
                v.YieldRequested = false;
                sliceEnd = 0;
            }
        }
        host.Cpu.ArmTimer(0);
    }

    /// <summary>The vCPU in <paramref name="slot"/> when it may run now (starting its domain's SVM state if a toolstack just unpaused it), else null.</summary>
    static Vcpu Runnable(SvmHost host, int slot)
    {
        Domain d = host.Hv.Lookup((uint)(slot / SlotsPerDomain));
        if (d == null || d.State != DomainState.Running || d.IsPausedByController || slot % SlotsPerDomain >= d.Vcpus.Length) return null;
        if (d.X86 == null) DomainStart.StartIfReady(host, d);
        if (d.X86 == null || host.Hv.Lookup(d.Id) != d) return null;
        Vcpu v = d.Vcpus[slot % SlotsPerDomain];
        if (!v.IsUp || v.Blocked || v.PausedForShutdown || v.X86 == null) return null;
        return v;
    }

    /// <summary>The first runnable slot after <paramref name="last"/> (wrapping round to it), or -1.</summary>
    static int PickAfter(SvmHost host, int last)
    {
        for (int k = 1; k <= Slots; k++)
        {
            int slot = ((last < 0 ? -1 : last) + k + Slots) % Slots;
            if (Runnable(host, slot) != null) return slot;
        }
        return -1;
    }

    /// <summary>Halts (the timer armed) until the earliest soft timer is due; false when none is armed.</summary>
    static bool Idle(SvmHost host)
    {
        Hypervisor hv = host.Hv;
        long earliest = Earliest(hv, long.MaxValue);
        if (earliest == long.MaxValue) return false;
        long now;
        while ((now = (long)hv.Platform.NowNs()) < earliest)
        {
            ArmTimer(host, now, earliest);
            host.Cpu.WaitForInterrupt();
        }
        return true;
    }

    /// <summary>The earlier of <paramref name="limit"/> and every armed soft timer (ns of system time).</summary>
    static long Earliest(Hypervisor hv, long limit)
    {
        long earliest = limit;
        for (uint id = 0; id < Hypervisor.MaxDomains; id++)
        {
            Domain d = hv.Lookup(id);
            if (d == null) continue;
            for (int i = 0; i < d.Vcpus.Length; i++)
            {
                Vcpu v = d.Vcpus[i];
                Min(ref earliest, v.SingleshotTimer.Active, v.SingleshotTimer.Expires);
                Min(ref earliest, v.PollTimer.Active, v.PollTimer.Expires);
                if (v.VcpuOp != null) Min(ref earliest, v.VcpuOp.PeriodicPeriod != 0, v.VcpuOp.PeriodicLast + v.VcpuOp.PeriodicPeriod);
            }
            for (int i = 0; i < d.WatchdogTimers.Length; i++)
                Min(ref earliest, d.WatchdogTimers[i].Active, d.WatchdogTimers[i].Expires);
        }
        return earliest;
    }

    static void Min(ref long earliest, bool active, long expires)
    {
        if (active && expires < earliest) earliest = expires;
    }

    /// <summary>Arms the host timer for system time <paramref name="atNs"/> (converted to a TSC deadline).</summary>
    static void ArmTimer(SvmHost host, long nowNs, long atNs)
    {
        X86Cpu cpu = host.Cpu;
        ulong waitNs = atNs > nowNs ? (ulong)(atNs - nowNs) : 0;
        ulong khz = cpu.TscKhz;
        ulong ticks = waitNs / 1_000_000 * khz + waitNs % 1_000_000 * khz / 1_000_000;
        cpu.ArmTimer(cpu.Rdtsc() + ticks + 1);
    }

    static void Stuck(Hypervisor hv)
    {
        hv.Console.WriteLine("(XEN) every vCPU is waiting and no timer is armed: nothing can run again, stopping");
        hv.Platform.PowerOff(1);
    }

    /// <summary>A domain that shut down keeps its memory until it is destroyed, but never runs again: give back its SVM state now.</summary>
    static void Release(SvmHost host, Domain d)
    {
        if (d.X86 != null) SvmDomain.Destroy(host, d);
    }
}

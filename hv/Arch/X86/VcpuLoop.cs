using XenLite.Hv.Common;
using XenLite.Hv.Common.Sched;

namespace XenLite.Hv.Arch.X86;

/// <summary>
/// The single-CPU scheduler: round-robin over runnable vCPUs, timers fired between exits
/// (SchedTick), HLT idles until the next timer. It ends when the machine is asked to power
/// off or the last domain is gone; with every vCPU waiting and no timer to wake one, nothing
/// can ever run again, so it says so and stops with status 1.
/// </summary>
public static class VcpuLoop
{
    public static void Run(SvmHost host, BootPlatform platform, SvmCounters counters)
    {
        Hypervisor hv = host.Hv;
        int next = 0;
        while (!platform.PowerOffRequested && hv.LiveDomains > 0)
        {
            SchedTick.Run(hv);
            if (platform.PowerOffRequested || hv.LiveDomains == 0) break;
            Vcpu v = PickRunnable(hv, ref next);
            if (v == null)
            {
                if (!WaitForTimer(hv)) Stuck(hv);
                continue;
            }
            if (counters.FirstVmrunTsc == 0) counters.FirstVmrunTsc = host.Cpu.Rdtsc();
            SvmExitResult r = SvmRun.RunOnce(host, v);
            if (r == SvmExitResult.DomainGone) Release(host, v.Domain);
        }
    }

    /// <summary>The next vCPU after the last one run that may run now, or null.</summary>
    static Vcpu PickRunnable(Hypervisor hv, ref int next)
    {
        const int Slots = Hypervisor.MaxDomains * 8;
        for (int k = 0; k < Slots; k++)
        {
            int slot = (next + k) % Slots;
            Domain d = hv.Lookup((uint)(slot / 8));
            if (d == null || d.X86 == null || d.State != DomainState.Running || slot % 8 >= d.Vcpus.Length) continue;
            Vcpu v = d.Vcpus[slot % 8];
            if (!v.IsUp || v.Blocked || v.PausedForShutdown || v.X86 == null) continue;
            // Stay on this vCPU until it blocks: one CPU, no preemption yet.
            next = slot;
            return v;
        }
        return null;
    }

    /// <summary>Spins until the earliest armed timer is due; false when none is armed.</summary>
    static bool WaitForTimer(Hypervisor hv)
    {
        long earliest = long.MaxValue;
        for (uint id = 0; id < Hypervisor.MaxDomains; id++)
        {
            Domain d = hv.Lookup(id);
            if (d == null) continue;
            for (int i = 0; i < d.Vcpus.Length; i++)
            {
                Earliest(ref earliest, d.Vcpus[i].SingleshotTimer.Active, d.Vcpus[i].SingleshotTimer.Expires);
                Earliest(ref earliest, d.Vcpus[i].PollTimer.Active, d.Vcpus[i].PollTimer.Expires);
            }
            for (int i = 0; i < d.WatchdogTimers.Length; i++)
                Earliest(ref earliest, d.WatchdogTimers[i].Active, d.WatchdogTimers[i].Expires);
        }
        if (earliest == long.MaxValue) return false;
        while ((long)hv.Platform.NowNs() < earliest) { }
        return true;
    }

    static void Earliest(ref long earliest, bool active, long expires)
    {
        if (active && expires < earliest) earliest = expires;
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

namespace XenLite.Hv.Common.Sched;

/// <summary>
/// What the scheduler runs whenever it gets the CPU back (and hosted tests call after moving
/// the clock): fire every due timer, then destroy shut-down domains nobody else will.
/// </summary>
public static class SchedTick
{
    public static void Run(Hypervisor hv)
    {
        long now = (long)hv.Platform.NowNs();
        for (uint id = 0; id < Hypervisor.MaxDomains; id++)
        {
            Domain d = hv.Lookup(id);
            if (d == null) continue;
            for (int i = 0; i < d.Vcpus.Length; i++)
            {
                Vcpu v = d.Vcpus[i];
                if (v.SingleshotTimer.Expire(now)) SchedEvents.SendTimer(v);
                if (v.PollTimer.Expire(now)) VcpuWake.PollTimeout(v);
                Vcpus.PeriodicTimer.Run(v, now);
            }
            Watchdog.Expire(d, now);
        }
        ShutdownReaper.Run(hv);
    }
}

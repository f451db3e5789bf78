namespace XenLite.Hv.Common.Vcpus;

/// <summary>
/// VCPUOP_set_periodic_timer: VIRQ_TIMER every period (Xen's vcpu_periodic_timer_work). PV
/// vCPUs start with a 10 ms period, HVM and arm vCPUs with none. Each run fires when a full
/// period has passed since the last event, so a period set after a long idle fires at once.
/// </summary>
public static class PeriodicTimer
{
    public const long PvDefaultPeriodNs = 10_000_000;

    public static void Set(Vcpu v, long period)
    {
        v.VcpuOp.PeriodicPeriod = period;
        if (period != 0) Run(v, (long)v.Hv.Platform.NowNs());
    }

    /// <summary>Called from the scheduler tick (and when the vCPU is scheduled).</summary>
    public static void Run(Vcpu v, long now)
    {
        VcpuOpState s = v.VcpuOp;
        if (s.PeriodicPeriod == 0 || now < s.PeriodicLast + s.PeriodicPeriod) return;
        s.PeriodicLast = now;
        Events.Virqs.SendVcpu(v, Abi.Virq.Timer);
    }
}

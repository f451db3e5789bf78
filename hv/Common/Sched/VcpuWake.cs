namespace XenLite.Hv.Common.Sched;

/// <summary>Ending a vCPU's wait: events, poll timeouts and pollers (Xen's vcpu_unblock, poll_timer_fn, evtchn_check_pollers).</summary>
public static class VcpuWake
{
    public static void Unblock(Vcpu v) => v.Blocked = false;

    /// <summary>An event arrived on <paramref name="port"/> of <paramref name="d"/>: wake the vCPUs polling it or polling several ports.</summary>
    public static void CheckPollers(Domain d, uint port)
    {
        for (int i = 0; i < d.Vcpus.Length; i++)
        {
            Vcpu v = d.Vcpus[i];
            if (!v.Polling || (v.PollEvtchn > 0 && (uint)v.PollEvtchn != port)) continue;
            v.Polling = false;
            v.PollEvtchn = 0;
            Unblock(v);
        }
    }

    /// <summary>The SCHEDOP_poll timeout passed: the vCPU stops polling if it still was.</summary>
    public static void PollTimeout(Vcpu v)
    {
        if (!v.Polling) return;
        v.Polling = false;
        Unblock(v);
    }
}

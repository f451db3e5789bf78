using XenLite.Hv.Dispatch;

namespace XenLite.Hv.Common.Sched;

/// <summary>
/// set_timer_op (15): arms the calling vCPU's single-shot timer at an absolute system time in
/// ns; 0 cancels it. 64-bit callers pass the time in one argument, 32-bit callers as lo, hi.
/// A deadline already passed fires at the next tick; a negative one, or one more than 2^50 ns
/// (about 13 days) ahead, is taken as a wrapped guest clock and fires in 100 ms instead.
/// </summary>
public static class SetTimerOp
{
    const long HugeTimeoutDelayNs = 100_000_000;

    public static long Handle(Vcpu v, ref HypercallArgs a) => Set(v, (long)a[0]);

    public static long HandleCompat(Vcpu v, ref HypercallArgs a) =>
        Set(v, (long)(((ulong)(uint)a[1] << 32) | (uint)a[0]));

    static long Set(Vcpu v, long timeout)
    {
        long now = (long)v.Hv.Platform.NowNs();
        long offset = timeout - now;
        if (timeout == 0)
            v.SingleshotTimer.Stop();
        else if (timeout < 0 || (offset > 0 && (uint)(offset >> 50) != 0))
            v.SingleshotTimer.Set(now + HugeTimeoutDelayNs);
        else
            v.SingleshotTimer.Set(timeout);
        return 0;
    }
}

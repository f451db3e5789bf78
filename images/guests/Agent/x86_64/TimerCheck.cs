// x86_64: a VCPUOP_set_singleshot_timer 5 ms ahead must not fire early (VIRQ_TIMER, HVMOP_get_time).
namespace XenLite.Guest
{
    public static unsafe class TimerCheck
    {
        public const string Name = "timer.singleshot_not_early";
        const uint VirqTimer = 0;
        const long TimerNs = 5_000_000;

        public static string Run()
        {
            long port = Evtchn.Virq(VirqTimer);
            if (port < 0) return Expect.Equal(port, 0, "EVTCHNOP_bind_virq(VIRQ_TIMER)");
            ulong deadline = Clock.Now() + TimerNs;
            ulong* t = (ulong*)Scratch.A(16);
            t[0] = deadline;
            t[1] = 0;
            long rc = Xen.Call(Nr.VcpuOp, 8, 0, (ulong)t);   // VCPUOP_set_singleshot_timer
            if (rc != 0) return Expect.Equal(rc, 0, "VCPUOP_set_singleshot_timer");
            rc = Evtchn.Wait((uint)port);
            ulong fired = Clock.Now();
            Evtchn.Shut((uint)port);
            if (rc != 0) return Expect.Equal(rc, 0, "waiting for VIRQ_TIMER");
            Out.Add("timer: asked for +5 ms, fired at +");
            Out.AddDec((long)(fired - deadline + TimerNs) / 1000);
            Out.Add(" us");
            Out.End();
            return Expect.True(fired >= deadline, "VIRQ_TIMER arrived before the deadline");
        }
    }
}

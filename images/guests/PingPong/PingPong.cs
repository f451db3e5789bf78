// The ping-pong domU the dom0 agent builds: it binds the inter-domain event
// channel dom0 allocated (its port is on our command line), says hello, answers
// 1,000 events, then shares a page with dom0 through grants: v1 (a read-write
// and a read-only reference), then v2 after GNTTABOP_set_version. Every step
// strictly alternates send and wait, so no two events can merge. Its lines
// go to the debug port (a domU has no console_io); dom0 prints the verdicts.
namespace XenLite.Guest
{
    public static unsafe class PingPong
    {
        const ulong SharedInfoGpfn = PingPongLayout.SharedInfoGpfn, GrantFrameGpfn = PingPongLayout.GrantFrameGpfn,
            StatusFrameGpfn = PingPongLayout.StatusFrameGpfn, PageGfn = PingPongLayout.PageGfn;
        const ushort Dom0 = 0;

        /// <summary>Plays dom0's game; <paramref name="cmdline"/> (NUL-terminated, or null) carries "port=N".</summary>
        public static void Run(byte* cmdline)
        {
            long port = cmdline != null ? Text.Value(cmdline, "port="u8) : -1;
            if (port < 0 || SharedInfo.Map(SharedInfoGpfn) != 0) Stop("no port on the command line or no shared_info");
            long local = Evtchn.Bind(Dom0, (uint)port);
            if (local < 0) Stop("EVTCHNOP_bind_interdomain failed");
            uint l = (uint)local;
            // Xen marks a freshly bound port pending (events sent before the bind are not lost): not part of the game.
            SharedInfo.TakePending(l);
            Evtchn.Notify(l);
            for (int i = 0; i < 1000; i++)
            {
                Evtchn.Wait(l);
                Evtchn.Notify(l);
            }
            Out.Line("pingpong: 1000 events answered");

            byte* page = (byte*)(PageGfn << 12);
            byte* table = (byte*)(GrantFrameGpfn << 12);
            Evtchn.Wait(l);
            if (SharedInfo.AddToPhysmap(1, 0, GrantFrameGpfn) != 0) Stop("grant table frame not mapped");
            Text.Put(page, "grant v1 from domU"u8);
            GrantEntry.Offer(table, 1, 8, Dom0, PageGfn, false);
            GrantEntry.Offer(table, 1, 9, Dom0, PageGfn, true);
            Evtchn.Notify(l);
            Evtchn.Wait(l);
            bool v1 = Text.Is(page, "grant v1 reply from dom0"u8);
            GrantEntry.Revoke(table, 1, 8);
            GrantEntry.Revoke(table, 1, 9);

            uint* version = (uint*)Scratch.A(4);
            *version = 2;
            if (Xen.Call(Nr.GrantTableOp, 8, (ulong)version, 1) != 0) Stop("GNTTABOP_set_version(2) failed");
            if (SharedInfo.AddToPhysmap(1, 0, GrantFrameGpfn) != 0) Stop("v2 grant frame not mapped");
            SharedInfo.AddToPhysmap(1, 0x8000_0000UL, StatusFrameGpfn);   // XENMAPIDX_grant_table_status
            Text.Put(page, v1 ? "grant v2 from domU, v1 reply seen"u8 : "grant v2 from domU, v1 reply missing"u8);
            GrantEntry.Offer(table, 2, 8, Dom0, PageGfn, false);
            Evtchn.Notify(l);
            Evtchn.Wait(l);
            bool v2 = Text.Is(page, "grant v2 reply from dom0"u8);
            Text.Put(page, v2 ? "done, v2 reply seen"u8 : "done, v2 reply missing"u8);
            Evtchn.Notify(l);
            if (Text.Value(cmdline, "argo="u8) == 1) PingPongArgo.Run(l);
            Out.Line("pingpong: grants done, waiting to be destroyed");
            while (true) Evtchn.Wait(l);
        }

        static void Stop(string why)
        {
            Out.Line(why);
            uint* reason = (uint*)Scratch.A(4);
            *reason = SchedOp.Crash;
            Xen.Call(Hc.SchedOp, SchedOp.Shutdown, (ulong)reason);
            while (true) { }
        }
    }
}

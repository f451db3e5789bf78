// The dom0 agent: as the initial domain it checks a timer (TimerCheck), builds a
// second domain (DomUBuilder: on x86_64 from the PVH image it was given as its
// first module, on arm64 from the Image it carries), lists domains, plays 1,000
// rounds of event ping-pong with it, shares pages with it through grants (v1, v2, read-only), pauses/unpauses and destroys it. One
// PASS/FAIL line per check; the verdict line, then power-off.
namespace XenLite.Guest
{
    /// <summary>The program Dom0Entry starts.</summary>
    public static unsafe class Dom0Program
    {
        public static void Run(uint startInfo, byte* cmdline) => Agent.Run(startInfo, cmdline);
    }

    public static unsafe class Agent
    {
        const ulong GrantGpfn = AgentLayout.GrantGpfn;   // where the domU's granted pages are mapped
        public const int Rounds = 1000;

        /// <summary>"argo=1" on our command line: the Argo exchange too (AgentArgo), and the domU is told.</summary>
        internal static bool s_argo;

        /// <param name="startInfo">x86_64: hvm_start_info (DomUBuilder finds the domU's image in it); arm64: 0.</param>
        /// <param name="ownCmdline">Our command line (NUL-terminated; x86_64 hvm_start_info, arm64 /chosen bootargs), or null.</param>
        public static void Run(uint startInfo, byte* ownCmdline)
        {
            s_argo = ownCmdline != null && Text.Value(ownCmdline, "argo="u8) == 1;
            Toolstack.Init();
            Out.Line("XenLite dom0 agent");
            Suite.Report("agent.map_shared_info", Expect.Equal(SharedInfo.Map(AgentLayout.SharedInfoGpfn), 0, "XENMEM_add_to_physmap(shared_info)"));
            Suite.Report(TimerCheck.Name, TimerCheck.Run());

            ushort dom = 0;
            uint port = 0;
            string why = DomUBuilder.Build(startInfo, ref dom, ref port);
            Suite.Report("agent.build_and_start_domu", why);
            if ((object)why == null)
            {
                Suite.Report("sysctl.getdomaininfolist_lists_both", ListsBoth(dom));
                Suite.Report("evtchn.interdomain_hello", Expect.Equal(Evtchn.Wait(port), 0, "waiting for the domU's first event"));
                Suite.Report("evtchn.pingpong_1000", PingPong(port));
                Suite.Report("grant.v1_share_and_notify", GrantV1(dom, port));
                Suite.Report("grant.v2_share_and_notify", GrantV2(dom, port));
                if (s_argo) AgentArgo.Run(dom, port);
                Suite.Report("domctl.pause_unpause", PauseUnpause(dom));
                Suite.Report("domctl.destroydomain", Destroy(dom));
            }
            Guest.Finish(Suite.Failed == 0);
        }

        static string ListsBoth(ushort dom)
        {
            ushort* ids = stackalloc ushort[8];
            long n = Toolstack.ListDomains(ids, 8);
            if (n != 2) return Expect.Equal(n, 2, "domains listed");
            return Expect.True(ids[0] == 0 && ids[1] == dom, "the list is dom0 and the new domain, in id order");
        }

        static string PingPong(uint port)
        {
            ulong start = Clock.Now();
            for (int i = 0; i < Rounds; i++)
            {
                long rc = Evtchn.Notify(port);
                if (rc == 0) rc = Evtchn.Wait(port);
                if (rc != 0) return Expect.Equal(rc, 0, "send/poll during the ping-pong");
            }
            ulong ns = Clock.Now() - start;
            Out.Add("evtchn: ");
            Out.AddDec(Rounds);
            Out.Add(" round trips in ");
            Out.AddDec((long)ns / 1000);
            Out.Add(" us, ");
            Out.AddDec((long)ns / Rounds);
            Out.Add(" ns per round trip");
            Out.End();
            return null;
        }

        // The domU offered gref 8 (read-write) and gref 9 (read-only) on one page with a greeting (v1 entries).
        static string GrantV1(ushort dom, uint port)
        {
            long rc = Evtchn.Notify(port);        // "go": the domU offers its page
            if (rc == 0) rc = Evtchn.Wait(port);
            if (rc != 0) return Expect.Equal(rc, 0, "event before the v1 grant");
            long rw = Toolstack.MapGrant(dom, 8, GrantGpfn, false);
            if (rw < 0) return Expect.Equal(rw, 0, "GNTTABOP_map_grant_ref (v1, read-write)");
            byte* page = (byte*)(GrantGpfn << 12);
            string why = Expect.True(Text.Is(page, "grant v1 from domU"u8), "the v1 page's text");
            Text.Put(page, "grant v1 reply from dom0"u8);
            rc = Toolstack.UnmapGrant(GrantGpfn, (uint)rw);
            if (why == null && rc != 0) why = Expect.Equal(rc, 0, "GNTTABOP_unmap_grant_ref (read-write)");
            long ro = Toolstack.MapGrant(dom, 9, GrantGpfn + 1, true);
            if (why == null && ro < 0) why = Expect.Equal(ro, 0, "GNTTABOP_map_grant_ref (v1, read-only)");
            if (ro >= 0)
            {
                if (why == null) why = Expect.True(Text.Is(page + 4096, "grant v1 reply from dom0"u8), "the read-only mapping shows the same page");
                rc = Toolstack.UnmapGrant(GrantGpfn + 1, (uint)ro);
                if (why == null && rc != 0) why = Expect.Equal(rc, 0, "GNTTABOP_unmap_grant_ref (read-only)");
            }
            rc = Evtchn.Notify(port);
            return why != null ? why : Expect.Equal(rc, 0, "EVTCHNOP_send after the v1 reply");
        }

        // After set_version(2) the domU offers gref 8 again (v2 entry) saying whether it saw the v1 reply.
        static string GrantV2(ushort dom, uint port)
        {
            long rc = Evtchn.Wait(port);
            if (rc != 0) return Expect.Equal(rc, 0, "event before the v2 grant");
            long h = Toolstack.MapGrant(dom, 8, GrantGpfn, false);
            if (h < 0) return Expect.Equal(h, 0, "GNTTABOP_map_grant_ref (v2)");
            byte* page = (byte*)(GrantGpfn << 12);
            string why = Expect.True(Text.Is(page, "grant v2 from domU, v1 reply seen"u8), "the v2 page's text (the domU checks the v1 reply)");
            Text.Put(page, "grant v2 reply from dom0"u8);
            Toolstack.UnmapGrant(GrantGpfn, (uint)h);
            rc = Evtchn.Notify(port);
            if (rc == 0) rc = Evtchn.Wait(port);
            if (rc != 0) return Expect.Equal(rc, 0, "events around the v2 reply");
            h = Toolstack.MapGrant(dom, 8, GrantGpfn, false);
            if (h < 0) return Expect.Equal(h, 0, "GNTTABOP_map_grant_ref (v2, verdict)");
            if (why == null) why = Expect.True(Text.Is(page, "done, v2 reply seen"u8), "the domU saw the v2 reply");
            Toolstack.UnmapGrant(GrantGpfn, (uint)h);
            return why;
        }

        static string PauseUnpause(ushort dom)
        {
            long rc = Toolstack.Simple(Toolstack.PauseDomain, dom);
            if (rc != 0) return Expect.Equal(rc, 0, "XEN_DOMCTL_pausedomain");
            long flags = Toolstack.InfoFlags(dom);
            if (flags < 0 || (flags & Toolstack.DominfPaused) == 0) return Expect.Equal(flags, Toolstack.DominfPaused, "paused flag after pausedomain");
            rc = Toolstack.Simple(Toolstack.UnpauseDomain, dom);
            if (rc != 0) return Expect.Equal(rc, 0, "XEN_DOMCTL_unpausedomain");
            flags = Toolstack.InfoFlags(dom);
            return Expect.True(flags >= 0 && (flags & Toolstack.DominfPaused) == 0, "not paused after unpausedomain");
        }

        static string Destroy(ushort dom)
        {
            long rc = Toolstack.Simple(Toolstack.DestroyDomain, dom);
            if (rc != 0) return Expect.Equal(rc, 0, "XEN_DOMCTL_destroydomain");
            rc = Toolstack.InfoFlags(dom);
            if (rc != -3) return Expect.Equal(rc, -3, "getdomaininfo on the destroyed domain (-ESRCH)");
            ushort* ids = stackalloc ushort[8];
            return Expect.Equal(Toolstack.ListDomains(ids, 8), 1, "domains listed after destroy");
        }
    }
}

// The dom0 agent: as the initial domain it checks a singleshot timer, builds a
// second domain from the PVH image it was given as its first module (Xen's
// hvm_start_info modlist: what the hypervisor got as Multiboot module 1), lists
// domains, plays 1,000 rounds of event ping-pong with it, shares pages with it
// through grants (v1, v2, read-only), pauses/unpauses and destroys it. One
// PASS/FAIL line per check; the verdict line, then power-off.
namespace XenLite.Guest
{
    public static unsafe class Agent
    {
        const ulong SharedInfoGpfn = 0x10000;   // above our RAM
        const ulong WindowGpfn = 0x20000;       // where the new domain's RAM is mapped for loading
        const ulong GrantGpfn = 0x30000;        // where its granted pages are mapped
        const int DomUPages = 1024;             // 4 MiB
        const ulong DomUStartInfo = 0x1000, DomUCmdline = 0x1100;
        public const int Rounds = 1000;
        const uint VirqTimer = 0;
        const long TimerNs = 5_000_000;

        /// <summary>"argo=1" on our command line: the Argo exchange too (AgentArgo), and the domU is told.</summary>
        static bool s_argo;

        public static void Run(uint startInfo)
        {
            byte* si0 = (byte*)(ulong)startInfo;
            byte* ownCmdline = *(uint*)si0 == 0x336EC578 ? (byte*)*(ulong*)(si0 + 24) : null;
            s_argo = ownCmdline != null && Text.Value(ownCmdline, "argo="u8) == 1;
            Toolstack.Init();
            Out.Line("XenLite dom0 agent");
            Suite.Report("agent.map_shared_info", Expect.Equal(SharedInfo.Map(SharedInfoGpfn), 0, "XENMEM_add_to_physmap(shared_info)"));
            Suite.Report("timer.singleshot_not_early", SingleshotTimer());

            ushort dom = 0;
            uint port = 0;
            string why = Build(startInfo, ref dom, ref port);
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

        static string SingleshotTimer()
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

        static string Build(uint startInfo, ref ushort dom, ref uint port)
        {
            byte* si = (byte*)(ulong)startInfo;
            if (*(uint*)si != 0x336EC578 || *(uint*)(si + 12) < 1) return "no domU image: give it as the second Multiboot module (dom0's first module)";
            byte* mod = (byte*)*(ulong*)(si + 16);
            byte* elf = (byte*)*(ulong*)mod;
            ulong size = *(ulong*)(mod + 8);

            long id = Toolstack.Create();
            if (id < 0) return Expect.Equal(id, 1, "XEN_DOMCTL_createdomain");
            dom = (ushort)id;
            long rc = Toolstack.SetMaxMem(dom, DomUPages * 4 + 1024);
            if (rc != 0) return Expect.Equal(rc, 0, "XEN_DOMCTL_max_mem");
            rc = Toolstack.Populate(dom, 0, DomUPages);
            if (rc != DomUPages) return Expect.Equal(rc, DomUPages, "XENMEM_populate_physmap for the domU");
            for (int i = 0; i < DomUPages; i += 128)
            {
                rc = Toolstack.MapForeign(dom, (ulong)i, WindowGpfn + (ulong)i, 128);
                if (rc != 0) return Expect.Equal(rc, 0, "XENMEM_add_to_physmap_batch(gmfn_foreign)");
            }
            byte* window = (byte*)(WindowGpfn << 12);
            uint entry = PvhImage.Load(elf, size, window, (ulong)DomUPages << 12);
            if (entry == 0) return "the domU module is not a loadable PVH ELF64 within 4 MiB";

            long p = Evtchn.Alloc(dom);
            if (p < 0) return Expect.Equal(p, 1, "EVTCHNOP_alloc_unbound");
            port = (uint)p;
            StartInfo(window, port);

            byte* ctx = (byte*)XenLite.Runtime.Allocator.AllocPages(2);
            for (int i = 0; i < 8192; i++) ctx[i] = 0;
            *(ulong*)(ctx + 512) = 1 << 5;              // VGCF_online
            *(ulong*)(ctx + 520 + 40) = DomUStartInfo;  // rbx: hvm_start_info
            *(ulong*)(ctx + 520 + 128) = entry;         // rip
            *(ulong*)(ctx + 520 + 144) = 2;             // rflags
            *(ulong*)(ctx + 4984) = 0x11;               // cr0: PE, ET (PVH entry: 32-bit, paging off)
            rc = Toolstack.SetContext(dom, ctx);
            if (rc != 0) return Expect.Equal(rc, 0, "XEN_DOMCTL_setvcpucontext");
            long flags = Toolstack.InfoFlags(dom);
            if (flags < 0 || (flags & Toolstack.DominfPaused) == 0) return Expect.Equal(flags, Toolstack.DominfPaused, "a new domain is paused until unpaused");
            rc = Toolstack.Simple(Toolstack.UnpauseDomain, dom);
            return Expect.Equal(rc, 0, "XEN_DOMCTL_unpausedomain");
        }

        /// <summary>hvm_start_info (version 1) and the command line "port=N" at fixed places in the domU.</summary>
        static void StartInfo(byte* window, uint port)
        {
            byte* si = window + DomUStartInfo;
            for (int i = 0; i < 56; i++) si[i] = 0;
            *(uint*)si = 0x336EC578;
            *(uint*)(si + 4) = 1;
            *(ulong*)(si + 24) = DomUCmdline;
            byte* cmd = window + DomUCmdline;
            Text.Put(cmd, "port="u8);
            int n = 5;
            byte* digits = stackalloc byte[10];
            int k = 0;
            do { digits[k++] = (byte)('0' + port % 10); port /= 10; } while (port != 0);
            while (k > 0) cmd[n++] = digits[--k];
            if (s_argo) Text.Put(cmd + n, " argo=1"u8);
            else cmd[n] = 0;
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

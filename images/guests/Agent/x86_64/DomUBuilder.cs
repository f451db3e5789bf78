// x86_64: builds the domU from the PVH image given as dom0's first module (Xen's
// hvm_start_info modlist: what the hypervisor got as Multiboot module 1) and
// starts it in 32-bit protected mode with an hvm_start_info carrying "port=N".
namespace XenLite.Guest
{
    public static unsafe class DomUBuilder
    {
        const ulong WindowGpfn = 0x20000;       // where the new domain's RAM is mapped for loading
        const int DomUPages = 1024;             // 4 MiB
        const ulong DomUStartInfo = 0x1000, DomUCmdline = 0x1100;

        public static string Build(uint startInfo, ref ushort dom, ref uint port)
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
            if (Agent.s_argo) Text.Put(cmd + n, " argo=1"u8);
            else cmd[n] = 0;
        }
    }
}

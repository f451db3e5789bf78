// The toolstack calls the dom0 agent makes (libxc's job in Xen): domctl and
// sysctl with their interface versions, memory_op on another domain, grant
// mapping. Layouts from Xen's domctl.h, sysctl.h, memory.h, grant_table.h.
namespace XenLite.Guest
{
    public static unsafe class Toolstack
    {
        public const uint DomctlVersion = 0x18, SysctlVersion = 0x16;
        public const uint CreateDomain = 1, DestroyDomain = 2, PauseDomain = 3, UnpauseDomain = 4, GetDomainInfo = 5,
            MaxMem = 11, SetVcpuContext = 12;
        public const uint CdfHvm = 1, CdfHap = 2;
        public const uint DominfPaused = 1 << 3;
        const uint SysctlGetDomainInfoList = 6;
        const ulong PopulatePhysmap = 6, AddToPhysmapBatch = 23;
        const ushort SpaceGmfnForeign = 4;
        public const int DomainInfoSize = AgentLayout.DomainInfoSize;   // the arch_config at its end differs by arch

        static byte* s_op;   // one page: the domctl/sysctl struct
        static byte* s_list; // two pages: arrays for memory_op and domain lists

        public static void Init()
        {
            s_op = (byte*)XenLite.Runtime.Allocator.AllocPages(1);
            s_list = (byte*)XenLite.Runtime.Allocator.AllocPages(2);
        }

        /// <summary>A zeroed domctl for <paramref name="cmd"/> on <paramref name="dom"/>; its union is at +16.</summary>
        public static byte* Domctl(uint cmd, ushort dom)
        {
            for (int i = 0; i < 4096; i++) s_op[i] = 0;
            *(uint*)s_op = cmd;
            *(uint*)(s_op + 4) = DomctlVersion;
            *(ushort*)(s_op + 8) = dom;
            return s_op + 16;
        }

        public static long Do() => Xen.Call(Nr.Domctl, (ulong)s_op);

        public static ushort DomainOf() => *(ushort*)(s_op + 8);

        /// <summary>createdomain: HVM with HAP, one vCPU, grant tables up to v2. The new domid, or an errno.</summary>
        public static long Create()
        {
            byte* u = Domctl(CreateDomain, 0x7FF5);   // DOMID_ANY: the hypervisor picks the id
            *(uint*)(u + 20) = CdfHvm | CdfHap;
            *(uint*)(u + 28) = 1;        // max_vcpus
            *(uint*)(u + 32) = 1023;     // max_evtchn_port
            *(int*)(u + 36) = -1;        // max_grant_frames: default
            *(int*)(u + 40) = -1;        // max_maptrack_frames: default
            *(uint*)(u + 44) = 2;        // grant_opts: max version 2
            long rc = Do();
            return rc < 0 ? rc : DomainOf();
        }

        public static long Simple(uint cmd, ushort dom)
        {
            Domctl(cmd, dom);
            return Do();
        }

        public static long SetMaxMem(ushort dom, ulong kb)
        {
            *(ulong*)Domctl(MaxMem, dom) = kb;
            return Do();
        }

        /// <summary>getdomaininfo's flags (XEN_DOMINF_*), or a negative errno.</summary>
        public static long InfoFlags(ushort dom)
        {
            byte* u = Domctl(GetDomainInfo, dom);
            long rc = Do();
            return rc < 0 ? rc : *(uint*)(u + 4);
        }

        /// <summary>setvcpucontext for vCPU 0 from a vcpu_guest_context (x86_64 layout) at <paramref name="ctxt"/>.</summary>
        public static long SetContext(ushort dom, byte* ctxt)
        {
            byte* u = Domctl(SetVcpuContext, dom);
            *(uint*)u = 0;
            *(ulong*)(u + 8) = (ulong)ctxt;
            return Do();
        }

        /// <summary>sysctl getdomaininfolist from domain 0: how many; the ids go to <paramref name="ids"/>.</summary>
        public static long ListDomains(ushort* ids, int max)
        {
            for (int i = 0; i < 4096; i++) s_op[i] = 0;
            *(uint*)s_op = SysctlGetDomainInfoList;
            *(uint*)(s_op + 4) = SysctlVersion;
            byte* u = s_op + 8;
            *(ushort*)u = 0;
            *(uint*)(u + 4) = (uint)max;
            *(ulong*)(u + 8) = (ulong)s_list;
            long rc = Xen.Call(Nr.Sysctl, (ulong)s_op);
            if (rc < 0) return rc;
            uint n = *(uint*)(u + 16);
            for (int i = 0; i < (int)n && i < max; i++) ids[i] = *(ushort*)(s_list + i * DomainInfoSize);
            return n;
        }

        /// <summary>populate_physmap for <paramref name="dom"/>: gfns first..first+count-1, one page each. Pages done, or an errno.</summary>
        public static long Populate(ushort dom, ulong first, int count)
        {
            ulong* gfns = (ulong*)s_list;
            for (int i = 0; i < count; i++) gfns[i] = first + (ulong)i;
            byte* r = Scratch.A(32);
            for (int i = 0; i < 32; i++) r[i] = 0;
            *(ulong*)r = (ulong)gfns;
            *(ulong*)(r + 8) = (ulong)count;
            *(ushort*)(r + 24) = dom;
            return Xen.Call(Nr.MemoryOp, PopulatePhysmap, (ulong)r);
        }

        /// <summary>Maps <paramref name="count"/> of <paramref name="dom"/>'s frames from <paramref name="fgfn"/> at our gfns from <paramref name="gpfn"/> (add_to_physmap_batch, gmfn_foreign: what xenforeignmemory does on an HVM dom0).</summary>
        public static long MapForeign(ushort dom, ulong fgfn, ulong gpfn, int count)
        {
            ulong* idxs = (ulong*)s_list;
            ulong* gpfns = idxs + count;
            int* errs = (int*)(gpfns + count);
            for (int i = 0; i < count; i++)
            {
                idxs[i] = fgfn + (ulong)i;
                gpfns[i] = gpfn + (ulong)i;
                errs[i] = 1;
            }
            byte* b = Scratch.A(32);
            *(ushort*)b = Nr.DomidSelf;
            *(ushort*)(b + 2) = SpaceGmfnForeign;
            *(ushort*)(b + 4) = (ushort)count;
            *(ushort*)(b + 6) = dom;
            *(ulong*)(b + 8) = (ulong)idxs;
            *(ulong*)(b + 16) = (ulong)gpfns;
            *(ulong*)(b + 24) = (ulong)errs;
            long rc = Xen.Call(Nr.MemoryOp, AddToPhysmapBatch, (ulong)b);
            if (rc != 0) return rc;
            for (int i = 0; i < count; i++) if (errs[i] != 0) return errs[i];
            return 0;
        }

        /// <summary>GNTTABOP_map_grant_ref at our gfn <paramref name="gpfn"/> (host_map): the handle, or the negative GNTST status / errno.</summary>
        public static long MapGrant(ushort dom, uint gref, ulong gpfn, bool readOnly)
        {
            byte* m = Scratch.A(32);
            for (int i = 0; i < 32; i++) m[i] = 0;
            *(ulong*)m = gpfn << 12;
            *(uint*)(m + 8) = (1u << 1) | (readOnly ? 1u << 2 : 0);   // GNTMAP_host_map, GNTMAP_readonly
            *(uint*)(m + 12) = gref;
            *(ushort*)(m + 16) = dom;
            long rc = Xen.Call(Nr.GrantTableOp, 0, (ulong)m, 1);
            if (rc < 0) return rc;
            short status = *(short*)(m + 18);
            return status != 0 ? status : *(uint*)(m + 20);
        }

        public static long UnmapGrant(ulong gpfn, uint handle)
        {
            byte* m = Scratch.A(24);
            for (int i = 0; i < 24; i++) m[i] = 0;
            *(ulong*)m = gpfn << 12;
            *(uint*)(m + 16) = handle;
            long rc = Xen.Call(Nr.GrantTableOp, 1, (ulong)m, 1);
            return rc < 0 ? rc : *(short*)(m + 20);
        }
    }
}

// arm64: builds the domU the way Xen's toolstack does on arm (libxl/libxc): RAM
// at GUEST_RAM0_BASE, the arm64 Image at RAM + text_offset, a device tree written
// by the toolstack (TinyTree: /chosen bootargs "port=N", plus " argo=1" in the
// agent's argo mode), vCPU 0 at the Image's first instruction in EL1h with x0 =
// the tree. The Image is the ping-pong domU
// this agent carries (agent.S): our boot does not give dom0 a ramdisk to load
// it from, which is where a Linux dom0 would find it.
namespace XenLite.Guest
{
    public static unsafe class DomUBuilder
    {
        const ulong RamGfn = 0x40000;          // GUEST_RAM0_BASE
        const int DomUPages = 1024;            // 4 MiB
        const ulong TreeOffset = 0x300000;     // the device tree, above the Image, its .bss and stacks
        const ulong Psr64El1h = 0x3C5;         // PSR_GUEST64_INIT: EL1h, DAIF masked
        const ulong SctlrGuestInit = 0x00C50078;

        public static string Build(uint startInfo, ref ushort dom, ref uint port)
        {
            byte* image = AgentAsm.DomUImage();
            ulong size = AgentAsm.DomUSize();
            if (size < 64 || *(uint*)(image + 56) != 0x644D5241) return "the embedded domU is not an arm64 Image (no ARM\\x64 magic)";
            ulong textOffset = *(ulong*)(image + 8), imageSize = *(ulong*)(image + 16);
            if (imageSize < size) imageSize = size;
            if (textOffset + imageSize > TreeOffset) return "the domU Image does not fit below its device tree";

            long id = Toolstack.Create();
            if (id < 0) return Expect.Equal(id, 1, "XEN_DOMCTL_createdomain");
            dom = (ushort)id;
            long rc = Toolstack.SetMaxMem(dom, DomUPages * 4 + 1024);
            if (rc != 0) return Expect.Equal(rc, 0, "XEN_DOMCTL_max_mem");
            rc = Toolstack.Populate(dom, RamGfn, DomUPages);
            if (rc != DomUPages) return Expect.Equal(rc, DomUPages, "XENMEM_populate_physmap for the domU");
            for (int i = 0; i < DomUPages; i += 128)
            {
                rc = Toolstack.MapForeign(dom, RamGfn + (ulong)i, AgentLayout.WindowGpfn + (ulong)i, 128);
                if (rc != 0) return Expect.Equal(rc, 0, "XENMEM_add_to_physmap_batch(gmfn_foreign)");
            }
            byte* ram = (byte*)(AgentLayout.WindowGpfn << 12);
            for (ulong k = 0; k < size; k++) ram[textOffset + k] = image[k];
            for (ulong k = size; k < imageSize; k++) ram[textOffset + k] = 0;

            long p = Evtchn.Alloc(dom);
            if (p < 0) return Expect.Equal(p, 1, "EVTCHNOP_alloc_unbound");
            port = (uint)p;
            int treeSize = TinyTree.Write(ram + TreeOffset, (uint)port, Agent.s_argo);
            AgentAsm.DcacheClean(ram, (ulong)DomUPages << 12);

            byte* ctx = (byte*)XenLite.Runtime.Allocator.AllocPages(1);
            for (int i = 0; i < 4096; i++) ctx[i] = 0;
            *(uint*)ctx = 1;                                          // VGCF_online
            *(ulong*)(ctx + 8) = (RamGfn << 12) + TreeOffset;          // x0: the device tree
            *(ulong*)(ctx + 256) = (RamGfn << 12) + textOffset;        // pc64
            *(ulong*)(ctx + 264) = Psr64El1h;                          // cpsr
            *(ulong*)(ctx + 320) = SctlrGuestInit;                     // sctlr: MMU off
            rc = Toolstack.SetContext(dom, ctx);
            if (rc != 0) return Expect.Equal(rc, 0, "XEN_DOMCTL_setvcpucontext (arm vcpu_guest_context)");
            long flags = Toolstack.InfoFlags(dom);
            if (flags < 0 || (flags & Toolstack.DominfPaused) == 0) return Expect.Equal(flags, Toolstack.DominfPaused, "a new domain is paused until unpaused");
            Out.Add("agent: d");
            Out.AddDec(dom);
            Out.Add(": Image of ");
            Out.AddDec((long)size);
            Out.Add(" bytes at ");
            Out.AddHex((RamGfn << 12) + textOffset);
            Out.Add(", device tree of ");
            Out.AddDec(treeSize);
            Out.Add(" bytes at ");
            Out.AddHex((RamGfn << 12) + TreeOffset);
            Out.End();
            rc = Toolstack.Simple(Toolstack.UnpauseDomain, dom);
            return Expect.Equal(rc, 0, "XEN_DOMCTL_unpausedomain");
        }
    }
}

using System;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Loader;
using XenLite.Hv.Common.Memory;

namespace XenLite.Hv.Arch.Arm64;

/// <summary>
/// Builds one arm64 domain as Xen's domain builder places it: RAM at GUEST_RAM0_BASE, the kernel
/// (Image or ELF), the ramdisk and a generated device tree near the top of the first 512 MiB,
/// vCPU 0 entered at EL1h with the MMU off and x0 = the device tree. A refusal names the guest and
/// the reason and leaves no domain behind.
/// </summary>
public static unsafe class Arm64Builder
{
    public const ulong DefaultMemoryKiB = 64 * 1024;
    public const int MaxVcpus = 8;
    /// <summary>Frames kept back for stage-2 tables, contexts and what hypercalls allocate.</summary>
    const ulong HypervisorReserve = 1024;
    const ulong TreeSlot = 2UL << 20, TreeCapacity = 64 * 1024;
    /// <summary>Linux wants the device tree and ramdisk within 512 MiB of the kernel (booting.rst); Xen keeps them there.</summary>
    const ulong ModuleWindow = 512UL << 20;

    public static Domain Build(Arm64Host host, Arm64GuestSpec g, uint id, bool privileged, ulong memoryKiB)
    {
        Hypervisor hv = host.Hv;
        if (g.Problem != null) return Refuse(hv, g, id, g.Problem);
        if (g.Kernel.Length == 0) return Refuse(hv, g, id, "no kernel module");
        string treeProblem = g.DeviceTree.Length != 0 ? CheckTree(g.DeviceTree) : null;
        if (treeProblem != null) return Refuse(hv, g, id, treeProblem);
        if (g.Cpus < 1 || g.Cpus > MaxVcpus) return Refuse(hv, g, id, "cpus must be 1 to 8");
        if (g.Pci.Present && !privileged) return Refuse(hv, g, id, "only the hardware domain may own the host PCI bridge");
        string pciProblem = g.Pci.Present ? HardwareDomainPci.Check(g.Pci) : null;
        if (pciProblem != null) return Refuse(hv, g, id, pciProblem);

        ulong kib = g.MemoryKiB != 0 ? g.MemoryKiB : memoryKiB != 0 ? memoryKiB : DefaultMemoryKiB;
        ulong pages = kib >> 2;
        ulong free = hv.Memory.FreeFrames;
        ulong available = free > HypervisorReserve ? free - HypervisorReserve : 0;
        if (pages > available) pages = available;
        if (pages > GuestLayout.RamMaxSize >> 12) pages = GuestLayout.RamMaxSize >> 12;
        if (pages < 1024) return Refuse(hv, g, id, "less than 4 MiB of RAM available");

        if (hv.Xsm.BootLabel(new ReadOnlySpan<byte>(g.Label, g.LabelLength), out uint ssidref) != 0)
            return Refuse(hv, g, id, "its label is not in the security policy");
        // Pages = 0: RAM does not start at guest frame 0 on arm; MaxPages sizes the p2m up to the end of it.
        var cfg = new DomainConfig
        {
            Id = id, Mode = GuestMode.Arm, Vcpus = g.Cpus, MaxPages = GuestLayout.RamBaseGfn + pages, Privileged = privileged, Ssidref = ssidref,
        };
        Domain d = hv.CreateDomain(cfg);
        if (d == null) return Refuse(hv, g, id, hv.CreateRefusalReason);
        for (ulong i = 0; i < pages; i++)
        {
            Mfn mfn = DomainPages.Allocate(d);
            if (!mfn.IsValid || Physmap.AddOwn(d, new Gfn(GuestLayout.RamBaseGfn + i), mfn) != 0)
                return Abandon(host, d, g, "out of memory for its RAM");
        }
        d.MaxPages = pages;
        ulong ramSize = pages << 12;

        string why = GuestKernel.Load(d, ramSize, g.Kernel.Data, g.Kernel.Length, out ulong entry, out ulong kernelEnd, out bool isElf);
        if (why != null) return Abandon(host, d, g, why);

        // Modules from the top of the first 512 MiB (or of RAM) down: the device tree, then the ramdisk.
        ulong top = GuestLayout.RamBase + (ramSize < ModuleWindow ? ramSize : ModuleWindow);
        ulong treeAt = top - TreeSlot;
        ulong initrdAt = 0;
        if (g.Ramdisk.Length != 0)
        {
            initrdAt = (treeAt - g.Ramdisk.Length) & ~(Page.Size - 1);
            if (g.Ramdisk.Length > treeAt - GuestLayout.RamBase || initrdAt < kernelEnd) return Abandon(host, d, g, "no room for the ramdisk below the device tree");
            if (!BuildMemory.Copy(d, initrdAt, g.Ramdisk.Data, g.Ramdisk.Length)) return Abandon(host, d, g, "guest memory write failed (ramdisk)");
        }
        if (treeAt < kernelEnd) return Abandon(host, d, g, "no room for the device tree above the kernel");

        var tree = new GuestTreeConfig
        {
            GicVersion = host.GicVersion,
            Vcpus = g.Cpus,
            RamSize = ramSize,
            Vpl011 = g.Vpl011,
            Bootargs = g.Bootargs,
            BootargsLength = g.BootargsLength,
            InitrdStart = initrdAt,
            InitrdEnd = g.Ramdisk.Length != 0 ? initrdAt + g.Ramdisk.Length : 0,
            Pci = g.Pci,
        };
        byte[] blob = new byte[TreeCapacity];
        int treeSize;
        fixed (byte* b = blob) treeSize = GuestDeviceTree.Build(tree, b, blob.Length);
        if (treeSize < 0) return Abandon(host, d, g, "its device tree does not fit in 64 KiB");
        bool copied;
        fixed (byte* b = blob) copied = BuildMemory.Copy(d, treeAt, b, (ulong)treeSize);
        if (!copied) return Abandon(host, d, g, "guest memory write failed (device tree)");

        if (!Arm64Domain.Create(host, d, g.Vpl011)) return Abandon(host, d, g, "out of VMIDs or memory for its stage-2 tables");
        if (g.Pci.Present && !HardwareDomainPci.Map(hv.Memory, d.Arm64.Stage2Root, g.Pci))
            return Abandon(host, d, g, "out of memory for the PCI bridge's stage-2 mappings");
        Vcpu v0 = d.Vcpus[0];
        v0.Regs.Ip = entry;
        v0.Regs[0] = treeAt;

        HvConsole c = hv.Console;
        c.Write("(XEN) d"); c.WriteDec((ulong)id); c.Write(": "); c.Write(isElf ? "ELF" : "arm64 Image");
        c.Write(" '"); PutName(c, g); c.Write("' entry "); c.WriteHex(entry, 8);
        c.Write(", device tree at "); c.WriteHex(treeAt, 8);
        c.Write(", "); c.WriteDec(ramSize >> 20); c.Write(" MiB, "); c.WriteDec((long)g.Cpus);
        c.Write(g.Cpus == 1 ? " vCPU" : " vCPUs");
        if (g.Vpl011) c.Write(", vpl011");
        if (g.Pci.Present) { c.Write(", PCI bridge (ECAM "); c.WriteHex(g.Pci.EcamBase, 10); c.Write(")"); }
        c.Put((byte)'\n');
        return d;
    }

    /// <summary>A partial device tree module must at least be a flattened device tree.</summary>
    static string CheckTree(Arm64Blob t)
    {
        if (t.Length < 40 || Be32(t.Data) != FdtWriter.Magic) return "device-tree module is not a flattened device tree (bad magic)";
        uint total = Be32(t.Data + 4), version = Be32(t.Data + 20);
        if (total > t.Length || total < 40) return "device-tree module: totalsize runs past the module";
        if (version < 16) return "device-tree module: version older than 16";
        if (Be32(t.Data + 8) >= total || Be32(t.Data + 12) > total) return "device-tree module: blocks lie outside it";
        return null;
    }

    static uint Be32(byte* p) => (uint)(p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3]);

    static Domain Abandon(Arm64Host host, Domain d, Arm64GuestSpec g, string why)
    {
        host.Hv.DestroyDomain(d);
        return Refuse(host.Hv, g, d.Id, why);
    }

    static Domain Refuse(Hypervisor hv, Arm64GuestSpec g, uint id, string why)
    {
        HvConsole c = hv.Console;
        c.Write("(XEN) d"); c.WriteDec((ulong)id); c.Write(": refusing '");
        PutName(c, g);
        c.Write("': ");
        c.WriteLine(why);
        return null;
    }

    static void PutName(HvConsole c, Arm64GuestSpec g)
    {
        for (int i = 0; i < g.NameLength; i++) c.Put(g.Name[i]);
    }
}

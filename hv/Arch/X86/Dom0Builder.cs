using System;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Loader;

namespace XenLite.Hv.Arch.X86;

/// <summary>
/// Domain 0 from Multiboot module 0, as Xen does: privileged, hardware domain, the module's
/// string (less the file name) as its command line, module 1 (if any) as its initrd; built as
/// a PVH guest, or as a PV guest when the kernel has an ENTRY or VIRT_BASE note and no
/// PHYS32_ENTRY (Xen picks with `dom0=pvh`; a kernel without PHYS32_ENTRY cannot be PVH): pv64
/// for an ELF64 kernel, pv32 (compat) for an ELF32 one, as Xen picks by the kernel's class; and
/// given its SVM state (a PV guest runs in an SVM container). A refusal names the module and
/// the reason and leaves no domain behind.
/// </summary>
public static unsafe class Dom0Builder
{
    public const ulong DefaultMemory = 64UL << 20;
    /// <summary>Frames kept back for nested tables, VMCBs and what hypercalls allocate.</summary>
    const ulong HypervisorReserve = 1024;

    public static Domain Build(SvmHost host, X86BootModule[] modules, ulong memoryBytes)
    {
        Hypervisor hv = host.Hv;
        HvConsole c = hv.Console;
        X86BootModule k = modules[0];

        ulong pages = (memoryBytes != 0 ? memoryBytes : DefaultMemory) >> 12;
        ulong free = hv.Memory.FreeFrames;
        ulong available = free > HypervisorReserve ? free - HypervisorReserve : 0;
        if (pages > available) pages = available;

        bool pv = !ElfImage.Parse(k.Data, k.Length, ElfTarget.X86, out ElfImage probe).Refused && PvBuilder.IsPvKernel(in probe);
        GuestMode mode = !pv ? GuestMode.Hvm64 : probe.Is64 ? GuestMode.Pv64 : GuestMode.Pv32;
        if (hv.Xsm.BootLabel(new ReadOnlySpan<byte>(k.Label, k.LabelLength), out uint ssidref) != 0)
        {
            Refuse(c, k, "its label is not in the security policy");
            return null;
        }
        var cfg = new DomainConfig { Id = 0, Mode = mode, Vcpus = 1, Pages = pages, Privileged = true, Ssidref = ssidref };
        Domain d = hv.CreateDomain(cfg);
        if (d == null)
        {
            Refuse(c, k, hv.CreateRefusalReason);
            return null;
        }
        c.Write("(XEN) d0: "); c.WriteDec(pages >> 8); c.WriteLine(" MiB of RAM");

        BootModule[] initrd = null;
        if (modules.Length > 1)
        {
            X86BootModule m = modules[1];
            initrd = new BootModule[1];
            initrd[0].Data = m.Data;
            initrd[0].Length = m.Length;
        }
        int args = k.ArgumentsStart;
        byte* cmdline = args < k.StringLength ? k.String + args : null;
        if (pv) return BuildPv(host, d, k, initrd, cmdline, (ulong)(k.StringLength - args));
        LoadRefusal r = PvhBuilder.Build(d, k.Data, k.Length, cmdline, (ulong)(k.StringLength - args), initrd, out PvhBoot boot);
        if (r.Refused) return Refused(hv, d, k, r);
        if (!SvmDomain.Create(host, d))
        {
            Refuse(c, k, "out of ASIDs or memory for its SVM state");
            hv.DestroyDomain(d);
            return null;
        }
        SvmSetup.PvhEntry(d.Vcpus[0], boot.Entry, (uint)boot.StartInfoGpa);
        c.Write("(XEN) d0: PVH kernel '"); PutName(c, k);
        c.Write("' entry "); c.WriteHex(boot.Entry, 8);
        c.Write(", start info at "); c.WriteHex(boot.StartInfoGpa, 8);
        c.Write(", command line '");
        for (int i = args; i < k.StringLength; i++) c.Put(k.String[i]);
        c.WriteLine("'");
        return d;
    }

    static Domain BuildPv(SvmHost host, Domain d, X86BootModule k, BootModule[] initrd, byte* cmdline, ulong cmdlineLength)
    {
        Hypervisor hv = host.Hv;
        HvConsole c = hv.Console;
        bool compat = d.Mode == GuestMode.Pv32;
        LoadRefusal r;
        PvBoot boot;
        fixed (BootModule* m = initrd)
            r = compat ? Pv32Builder.Build(d, k.Data, k.Length, cmdline, cmdlineLength, m, out boot)
                       : Pv64Builder.Build(d, k.Data, k.Length, cmdline, cmdlineLength, m, out boot);
        if (r.Refused) return Refused(hv, d, k, r);
        if (!SvmDomain.Create(host, d))
        {
            Refuse(c, k, "out of ASIDs or memory for its SVM container");
            hv.DestroyDomain(d);
            return null;
        }
        if (compat) SvmSetup.Pv32Entry(d.Vcpus[0], in boot);
        else SvmSetup.Pv64Entry(d.Vcpus[0], in boot);
        PvLayout l = boot.Layout;
        c.Write(compat ? "(XEN) d0: PV32 kernel '" : "(XEN) d0: PV64 kernel '"); PutName(c, k);
        c.Write("' at "); c.WriteHex(l.KernStart); c.Write("-"); c.WriteHex(l.KernEnd);
        c.Write(", entry "); c.WriteHex(boot.Entry); c.Put((byte)'\n');
        c.Write("(XEN) d0: start info "); c.WriteHex(l.StartInfoStart);
        c.Write(", page tables "); c.WriteHex(l.PtStart); c.Write(" ("); c.WriteDec(l.PtFrames);
        c.Write(" frames), stack top "); c.WriteHex(l.StackEnd); c.Write(", boot area ends "); c.WriteHex(l.VEnd);
        if (initrd != null) { c.Write(", initrd "); c.WriteHex(l.InitrdStart); }
        c.Put((byte)'\n');
        c.Write("(XEN) d0: command line '");
        for (ulong i = 0; cmdline != null && i < cmdlineLength; i++) c.Put(cmdline[i]);
        c.WriteLine("'");
        return d;
    }

    static Domain Refused(Hypervisor hv, Domain d, X86BootModule k, LoadRefusal r)
    {
        HvConsole c = hv.Console;
        c.Write("(XEN) d0: refusing module 0 '");
        PutName(c, k);
        c.Write("': ");
        r.Describe(c);
        c.Put((byte)'\n');
        hv.DestroyDomain(d);
        return null;
    }

    static void Refuse(HvConsole c, X86BootModule k, string why)
    {
        c.Write("(XEN) d0: cannot build from module 0 '");
        PutName(c, k);
        c.Write("': ");
        c.WriteLine(why);
    }

    static void PutName(HvConsole c, X86BootModule k)
    {
        int start = 0;
        while (start < k.StringLength && k.String[start] == (byte)' ') start++;
        int end = k.NameLength;
        for (int i = start; i < end; i++) c.Put(k.String[i]);
    }
}

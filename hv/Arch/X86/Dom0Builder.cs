using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Loader;

namespace XenLite.Hv.Arch.X86;

/// <summary>
/// Domain 0 from Multiboot module 0, as Xen does: privileged, hardware domain, the module's
/// string (less the file name) as its command line, module 1 (if any) as its initrd; built as
/// a PVH guest and given its SVM state. A refusal names the module and the reason and leaves
/// no domain behind.
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

        var cfg = new DomainConfig { Id = 0, Mode = GuestMode.Hvm64, Vcpus = 1, Pages = pages, Privileged = true };
        Domain d = hv.CreateDomain(cfg);
        if (d == null)
        {
            Refuse(c, k, "out of memory for its RAM");
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
        LoadRefusal r = PvhBuilder.Build(d, k.Data, k.Length, cmdline, (ulong)(k.StringLength - args), initrd, out PvhBoot boot);
        if (r.Refused)
        {
            c.Write("(XEN) d0: refusing module 0 '");
            PutName(c, k);
            c.Write("': ");
            r.Describe(c);
            c.Put((byte)'\n');
            hv.DestroyDomain(d);
            return null;
        }
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

using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;
using XenLite.Hv.Dispatch;
using XenLite.Hv.Xsm;

namespace XenLite.Hv.Arch.X86;

/// <summary>
/// The x86 boot order, one step per line (Bao's init.c): console and banner → command line →
/// hypervisor core over the RAM the image hands us → SVM or VMX (by CPU vendor) → domain 0 from Multiboot module 0 →
/// run vCPUs until the machine is asked to stop → counters. Returns the machine's exit status
/// (0 only when the hardware domain powered off cleanly). Hardware is reached only through
/// <see cref="X86Cpu"/> and <see cref="BootPlatform"/>, so hosted tests run all of it.
/// </summary>
public static unsafe class X86Boot
{
    public static int Run(BootPlatform platform, X86Cpu cpu, MachineMemory memory, string commandLine,
        byte* arguments, int argumentsLength, BootMemoryRange[] e820, X86BootModule[] modules, SvmCounters counters)
        => Run(platform, cpu, memory, commandLine, arguments, argumentsLength, e820, modules, counters, null, null);

    /// <param name="registerPlugins">The image's plugin registration (GeneratedPlugins.Register, written by the image builder), or null.</param>
    /// <param name="initPlugins">Their boot-time set-up (GeneratedPlugins.Init), run once the command line is read, before any domain exists; or null.</param>
    public static int Run(BootPlatform platform, X86Cpu cpu, MachineMemory memory, string commandLine,
        byte* arguments, int argumentsLength, BootMemoryRange[] e820, X86BootModule[] modules, SvmCounters counters,
        delegate*<HandlerRegistry, void> registerPlugins, delegate*<Hypervisor, void> initPlugins)
    {
        var registry = new HandlerRegistry();
        CoreHandlers.Register(registry);
        if (registerPlugins != null) registerPlugins(registry);
        var hv = new Hypervisor(platform, memory, registry, new BuildInfo { CommandLine = commandLine }, new DummyXsm());
        HvConsole c = hv.Console;
        Banner(c, hv.Build, commandLine);
        BootOptions options = BootOptions.Parse(c, arguments, argumentsLength);
        PluginRows(c, registry.Features);
        if (initPlugins != null) initPlugins(hv);
        MemoryMap(c, e820);
        c.Write("(XEN) RAM for domains: "); c.WriteDec(memory.FrameCount >> 8); c.Write(" MiB at ");
        c.WriteHex(memory.FirstFrame << 12, 8); c.Put((byte)'\n');

        SvmHost host = SvmHost.Start(hv, cpu);
        if (host == null) return Stop(c, "(XEN) no usable AMD SVM with nested paging or Intel VMX with EPT: cannot run HVM guests", 1);
        if (modules == null || modules.Length == 0) return Stop(c, "(XEN) no dom0 kernel: give one as Multiboot module 0", 1);
        if (Dom0Builder.Build(host, modules, options.Dom0Memory) == null && !platform.PowerOffRequested) platform.PowerOff(1);

        if (!platform.PowerOffRequested)
        {
            c.WriteLine("(XEN) Starting domain 0");
            VcpuLoop.Run(host, platform, counters);
        }
        if (options.LogLevel >= BootOptions.LogAll) counters.Print(c, host, cpu.TscKhz);
        c.Write("(XEN) machine stops with status "); c.WriteDec((long)platform.PowerOffStatus); c.Put((byte)'\n');
        return platform.PowerOffStatus;
    }

    static void Banner(HvConsole c, BuildInfo b, string commandLine)
    {
        c.WriteLine(" __  __            _     _ _       ");
        c.WriteLine(" \\ \\/ /___ _ __   | |   (_) |_ ___ ");
        c.WriteLine("  \\  // _ \\ '_ \\  | |   | | __/ _ \\");
        c.WriteLine("  /  \\  __/ | | | | |___| | ||  __/");
        c.WriteLine(" /_/\\_\\___|_| |_| |_____|_|\\__\\___|");
        c.Write("(XEN) Xen version "); c.WriteDec((long)BuildInfo.Major); c.Put((byte)'.'); c.WriteDec((long)BuildInfo.Minor);
        c.Write(b.ExtraVersion); c.Write(" ("); c.Write(b.CompileBy); c.Put((byte)'@'); c.Write(b.CompileDomain);
        c.Write(") ("); c.Write(b.Compiler); c.Write(") "); c.WriteLine(b.CompileDate);
        c.Write("(XEN) Command line: "); c.WriteLine(commandLine);
    }

    /// <summary>Which optional hypercall rows this build has (the rest answer -ENOSYS, as Xen without those Kconfig options).</summary>
    static void PluginRows(HvConsole c, Feature f)
    {
        c.Write("(XEN) Plugin hypercalls:");
        if (f == Feature.Core) c.Write(" none");
        if ((f & Feature.Xenoprof) != 0) c.Write(" xenoprof_op");
        if ((f & Feature.Kexec) != 0) c.Write(" kexec_op");
        if ((f & Feature.Argo) != 0) c.Write(" argo_op");
        if ((f & Feature.Hypfs) != 0) c.Write(" hypfs_op");
        c.Put((byte)'\n');
    }

    static void MemoryMap(HvConsole c, BootMemoryRange[] e820)
    {
        c.WriteLine("(XEN) Multiboot-e820 RAM map:");
        for (int i = 0; i < e820.Length; i++)
        {
            c.Write("(XEN)  ["); c.WriteHex(e820[i].Base); c.Write(", ");
            c.WriteHex(e820[i].Base + e820[i].Length - 1); c.Write("] (");
            c.Write(e820[i].TypeName); c.WriteLine(")");
        }
    }

    static int Stop(HvConsole c, string why, int status)
    {
        c.WriteLine(why);
        return status;
    }
}

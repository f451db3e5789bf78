using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;
using XenLite.Hv.Dispatch;
using XenLite.Hv.Xsm;

namespace XenLite.Hv.Arch.Arm64;

/// <summary>
/// The arm64 boot order, one step per line (Bao's init.c): console and banner → command line →
/// hypervisor core over the RAM the image hands us → EL2 virtualization (stage 2, vGIC, timers)
/// → the initial domain from the initrd, then dom0less domains → run vCPUs until the machine is
/// asked to stop → counters. Returns the machine's exit status (0 only when it powered off
/// cleanly). Hardware is reached only through <see cref="Arm64Cpu"/> and <see cref="Arm64Platform"/>,
/// so hosted tests run all of it.
/// </summary>
public static unsafe class Arm64Boot
{
    public static int Run(Arm64Platform platform, Arm64Cpu cpu, MachineMemory memory, string commandLine, byte* arguments,
        int argumentsLength, HostInterrupts irqs, Arm64GuestSpec initial, Arm64GuestSpec[] dom0less, Arm64Counters counters)
        => Run(platform, cpu, memory, commandLine, arguments, argumentsLength, irqs, initial, dom0less, counters, null, null);

    /// <param name="registerPlugins">The image's plugin registration (GeneratedPlugins.Register, written by the image builder), or null.</param>
    /// <param name="initPlugins">Their boot-time set-up (GeneratedPlugins.Init), run once the command line is read, before any domain exists; or null.</param>
    public static int Run(Arm64Platform platform, Arm64Cpu cpu, MachineMemory memory, string commandLine, byte* arguments,
        int argumentsLength, HostInterrupts irqs, Arm64GuestSpec initial, Arm64GuestSpec[] dom0less, Arm64Counters counters,
        delegate*<HandlerRegistry, void> registerPlugins, delegate*<Hypervisor, void> initPlugins)
    {
        var registry = new HandlerRegistry();
        CoreHandlers.Register(registry);
        if (registerPlugins != null) registerPlugins(registry);
        var hv = new Hypervisor(platform, memory, registry, new BuildInfo { CommandLine = commandLine }, new DummyXsm());
        HvConsole c = hv.Console;
        Banner(c, hv.Build, commandLine);
        Arm64Options options = Arm64Options.Parse(c, arguments, argumentsLength);
        PluginRows(c, registry.Features);
        if (initPlugins != null) initPlugins(hv);
        c.Write("(XEN) RAM for domains: "); c.WriteDec(memory.FrameCount >> 8); c.Write(" MiB at ");
        c.WriteHex(memory.FirstFrame << 12, 8); c.Put((byte)'\n');

        Arm64Host host = Arm64Host.Start(hv, cpu, irqs, counters);
        if (host == null) return Stop(c, "(XEN) cannot run guests on this platform", 1);
        c.Write("(XEN) GICv"); c.WriteDec((long)host.GicVersion); c.Write(" with "); c.WriteDec((long)host.ListRegisters);
        c.WriteLine(" list registers; stage 2: 4 KiB pages, 32-bit IPA");

        int built = BuildAll(host, options, initial, dom0less);
        if (built == 0) return Stop(c, "(XEN) no domain to run: give a kernel with -initrd or in /chosen/domU* nodes", 1);
        // A refused guest is not a shutdown: the last refusal's "no domains left" power-off must not stop the others.
        platform.PowerOffRequested = false;

        c.WriteLine("(XEN) Starting domains");
        Arm64VcpuLoop.Run(host, platform);
        if (options.LogLevel >= Arm64Options.LogAll) counters.Print(c, host, cpu.CounterFrequency);
        c.Write("(XEN) machine stops with status "); c.WriteDec((long)platform.PowerOffStatus); c.Put((byte)'\n');
        return platform.PowerOffStatus;
    }

    /// <summary>Domain 0 (privileged, hardware domain) from the initrd, then each dom0less node as domain 1, 2, …</summary>
    static int BuildAll(Arm64Host host, Arm64Options options, Arm64GuestSpec initial, Arm64GuestSpec[] dom0less)
    {
        int built = 0;
        if (initial != null && Arm64Builder.Build(host, initial, 0, true, options.Dom0MemoryKiB) != null) built++;
        uint next = 1;
        for (int i = 0; dom0less != null && i < dom0less.Length; i++)
        {
            if (next >= Hypervisor.MaxDomains) break;
            if (Arm64Builder.Build(host, dom0less[i], next, false, 0) != null) built++;
            next++;
        }
        return built;
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
        c.WriteLine("(XEN) arm64: EL2, guests at EL1 with stage-2 translation");
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

    static int Stop(HvConsole c, string why, int status)
    {
        c.WriteLine(why);
        return status;
    }
}

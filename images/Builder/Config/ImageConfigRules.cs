using System;
using System.Collections.Generic;
using System.IO;
using XenLite.Hv.Arch.Arm64;

namespace XenLite.ImageBuilder.Config;

/// <summary>
/// Checks that need several values at once, after binding: what each arch's domain builder can
/// boot, vCPU limits, labels, memory placement, files. Each error points at the key to change.
/// </summary>
public static class ImageConfigRules
{
    /// <summary>x86_64 builds domain 0 only, with one vCPU (hv/Arch/X86/Dom0Builder.cs).</summary>
    public const int X86MaxVcpus = 1;
    public const ulong PageSize = 4096;

    public static void Check(ImageConfig config, List<ConfigError> errors)
    {
        ImageOptions o = config.Options;
        bool x86 = o.Arch == "x86_64";
        var labels = new Dictionary<string, int>(StringComparer.Ordinal);
        var placed = new List<(int Index, ulong Base, ulong End)>();
        int privileged = -1;
        for (int i = 0; i < o.Guests.Count; i++)
        {
            GuestOptions g = o.Guests[i];
            string at = $"guests:{i}";
            if (x86 && i > 0)
            {
                errors.Add(config.Error(at, $"'{at}': x86_64 boots one guest (domain 0, Multiboot module 0); several guests need arch 'arm64' (dom0less)"));
                continue;
            }
            if (string.IsNullOrEmpty(g.Label)) errors.Add(config.Error(at, $"'{at}:label' is missing: every guest needs a label"));
            else if (labels.TryGetValue(g.Label, out int first))
                errors.Add(config.Error(at + ":label", $"'{at}:label': duplicate label '{g.Label}' (also guests:{first}:label)"));
            else labels.Add(g.Label, i);

            string kind = GuestKind(o.Arch, g);
            if (x86 && kind == "arm" || !x86 && kind != "arm")
                errors.Add(config.Error(at + ":kind", $"'{at}:kind' is '{kind}': an {o.Arch} image boots {(x86 ? "'pvh'" : "'arm'")} guests"));
            else if (kind == "pv")
                errors.Add(config.Error(at + ":kind", $"'{at}:kind' is 'pv': this hypervisor's x86_64 domain builder boots PVH kernels only"));

            int maxVcpus = x86 ? X86MaxVcpus : Arm64Builder.MaxVcpus;
            if (g.Vcpus > maxVcpus)
                errors.Add(config.Error(at + ":vcpus", $"'{at}:vcpus' is {g.Vcpus}: more vCPUs than an {o.Arch} guest may have ({maxVcpus})"));

            if (IsPrivileged(o.Arch, g, i))
            {
                if (privileged >= 0) errors.Add(config.Error(at + ":privileged", $"'{at}:privileged': only one guest can be privileged (guests:{privileged} is)"));
                else privileged = i;
            }
            else if (x86) errors.Add(config.Error(at + ":privileged", $"'{at}:privileged' is false: x86_64's one guest is domain 0, which is privileged"));
            if (!g.Embedded && !IsPrivileged(o.Arch, g, i))
                errors.Add(config.Error(at + ":embedded", $"'{at}:embedded' is false: only the privileged guest can be loaded at boot (-initrd); embed the others"));

            if (string.IsNullOrEmpty(g.Image)) errors.Add(config.Error(at, $"'{at}:image' is missing: every guest needs a kernel image"));
            else if (g.Embedded && !File.Exists(config.Resolve(g.Image)))
                errors.Add(config.Error(at + ":image", $"'{at}:image': no such file: {config.Resolve(g.Image)}"));

            if (g.MemoryBase != null && ImageConfigValues.TryParseAddress(g.MemoryBase, out ulong b))
            {
                ulong size = (ulong)(g.Memory > 0 ? g.Memory : DefaultMemoryMiB) << 20;
                if (b % PageSize != 0)
                    errors.Add(config.Error(at + ":memoryBase", $"'{at}:memoryBase' is 0x{b:x}: not 4 KiB aligned"));
                else if (b + size < b)
                    errors.Add(config.Error(at + ":memoryBase", $"'{at}:memoryBase' is 0x{b:x}: the guest's memory would wrap around"));
                else
                {
                    foreach (var (j, ob, oe) in placed)
                        if (b < oe && ob < b + size)
                            errors.Add(config.Error(at + ":memoryBase",
                                $"'{at}:memoryBase': memory 0x{b:x}-0x{b + size - 1:x} overlaps guests:{j} (0x{ob:x}-0x{oe - 1:x})"));
                    placed.Add((i, b, b + size));
                }
            }
        }

        if (!string.IsNullOrEmpty(o.BootPolicy.File))
        {
            if (!File.Exists(config.Resolve(o.BootPolicy.File)))
                errors.Add(config.Error("bootPolicy:file", $"'bootPolicy:file': no such file: {config.Resolve(o.BootPolicy.File)}"));
            if (!config.PluginEnabled("flask"))
                errors.Add(config.Error("bootPolicy:file", "'bootPolicy:file': a boot policy needs the flask plugin (set plugins:flask to true)"));
        }
        string console = o.Hypervisor.Console;
        if (console != null && console != "none" && (console == "com1") != x86)
            errors.Add(config.Error("hypervisor:console", $"'hypervisor:console' is '{console}': an {o.Arch} image's serial console is {(x86 ? "'com1'" : "'dtuart'")}"));
    }

    /// <summary>Both builders give a guest 64 MiB unless told otherwise.</summary>
    public const int DefaultMemoryMiB = 64;

    public static string GuestKind(string arch, GuestOptions g) => g.Kind ?? (arch == "x86_64" ? "pvh" : "arm");

    /// <summary>On x86_64 the one guest is domain 0; on arm64 only a guest marked privileged is.</summary>
    public static bool IsPrivileged(string arch, GuestOptions g, int index) => g.Privileged ?? (arch == "x86_64" && index == 0);
}

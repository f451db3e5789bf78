using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using XenLite.ImageBuilder.Config;
using XenLite.ImageBuilder.Embed;
using XenLite.ImageBuilder.Generate;
using XenLite.ImageBuilder.Plugins;
using XenLite.Policy;

namespace XenLite.ImageBuilder;

/// <summary>
/// `xenlite image build`: config → plugins → GeneratedPlugins.cs → boot policy → module blob →
/// boot/build-image.sh (csc, ILC, clang, lld) → the image. Everything is written beside the
/// output under a temporary name and renamed at the end, so a failed build leaves no image.
/// </summary>
public sealed class ImageBuild
{
    const int Steps = 6;
    readonly TextWriter _out;
    int _step;

    public ImageBuild(TextWriter progress) => _out = progress;

    /// <summary>The repository (holds boot/build-image.sh, hv/, plugins/).</summary>
    public string Root { get; init; }

    /// <summary>Builds the image; returns the output path. Config and plugin problems throw <see cref="ConfigException"/>, tool failures <see cref="ImageBuildException"/>.</summary>
    public string Run(string configPath, IReadOnlyList<string> sets, string output)
    {
        Progress($"config {configPath}");
        ImageConfig config = ImageConfigLoader.Load(configPath, sets);
        ImageOptions o = config.Options;
        _out.WriteLine($"      arch {o.Arch}, {o.Guests.Count} guest(s), boot policy {o.BootPolicy.File ?? "none"}");

        Progress("plugins (System.Reflection.Metadata, nothing loaded)");
        List<PluginInfo> plugins = SelectPlugins(config, Root, out var stale);
        foreach (string dll in stale)
            _out.WriteLine($"      warning: {dll} is older than its sources (the image compiles the sources; rebuild it so the metadata matches)");
        foreach (PluginInfo p in plugins)
            _out.WriteLine($"      {p.Name}: {p.EntryType} ({p.RowsText}{(p.HasInit ? ", Init" : "")}{(p.TakesBootPolicy ? ", boot policy" : "")})");
        if (plugins.Count == 0) _out.WriteLine("      none");

        output = Path.GetFullPath(output ?? Path.Combine(Root, "images", "out", $"{config.Name}-{o.Arch}.elf"));
        string outDir = Path.GetDirectoryName(output);
        Directory.CreateDirectory(outDir);
        string stem = Path.GetFileNameWithoutExtension(output);
        string partial = Path.Combine(outDir, $".{stem}.partial.elf");
        string gen = Path.Combine(outDir, $".{stem}.gen");
        if (Directory.Exists(gen)) Directory.Delete(gen, true);
        Directory.CreateDirectory(gen);

        Progress($"generate {RegistrationGenerator.FileName}");
        File.WriteAllText(Path.Combine(gen, RegistrationGenerator.FileName), RegistrationGenerator.Generate(plugins, config.File));

        Progress("boot policy and modules");
        var modules = Modules(config, plugins);
        foreach (EmbeddedModule m in modules)
            _out.WriteLine($"      {m.Kind,-11} {m.Name,-16} {m.Data.Length,9} bytes  crc32 {Crc32.Compute(m.Data):x8}");
        string blob = Path.Combine(gen, "modules.bin");
        File.WriteAllBytes(blob, ModuleBlob.Write(modules));

        Progress("boot/build-image.sh (csc, ilc, clang, lld)");
        var args = new List<string> { "image", o.Arch, partial, "--embed", blob,
            Path.Combine(Root, "hv"), Path.Combine(Root, "boot", o.Arch, "hypervisor"), Path.Combine(Root, "images", "Builder", "ImageSide"), gen };
        args.AddRange(plugins.Select(p => p.SourceDirectory));
        RunTool(Path.Combine(Root, "boot", "build-image.sh"), args);

        Progress($"install {output}");
        Move(partial, output);
        Move(Path.ChangeExtension(partial, ".map"), Path.ChangeExtension(output, ".map"));
        if (o.Arch == "arm64") Move(Path.ChangeExtension(partial, ".bin"), Path.ChangeExtension(output, ".bin"));
        _out.WriteLine($"image: {output} ({new FileInfo(output).Length} bytes)");
        return output;
    }

    /// <summary>The config's plugins, discovered under <paramref name="root"/>/plugins; errors point at the config's keys.</summary>
    public static List<PluginInfo> SelectPlugins(ImageConfig config, string root)
    {
        return SelectPlugins(config, root, out _);
    }

    public static List<PluginInfo> SelectPlugins(ImageConfig config, string root, out IReadOnlyList<string> stale)
    {
        PluginCatalog catalog = PluginCatalog.Scan(Path.Combine(root, "plugins"));
        var errors = new List<ConfigError>();
        List<PluginInfo> selected = catalog.Select(config, errors);
        if (errors.Count > 0) throw new ConfigException(errors);
        stale = catalog.Stale.Where(dll => selected.Any(p => p.AssemblyPath == dll)).ToList();
        return selected;
    }

    /// <summary>The modules to embed: build manifest, command-line defaults, the boot policy, the embedded guests.</summary>
    List<EmbeddedModule> Modules(ImageConfig config, List<PluginInfo> plugins)
    {
        ImageOptions o = config.Options;
        var list = new List<EmbeddedModule>();
        string manifest = $"arch={o.Arch}\nconfig={config.Name}\nplugins={string.Join(",", plugins.Select(p => p.Name))}\n"
                          + $"features={PluginCatalog.Features(plugins)}\n";
        list.Add(new EmbeddedModule(ModuleKind.Manifest, "manifest", Encoding.UTF8.GetBytes(manifest)));
        string cmdline = CommandLine(config);
        if (cmdline.Length > 0) list.Add(new EmbeddedModule(ModuleKind.CommandLine, "cmdline", Encoding.ASCII.GetBytes(cmdline)));
        if (!string.IsNullOrEmpty(o.BootPolicy.File))
            list.Add(new EmbeddedModule(ModuleKind.BootPolicy, Path.GetFileName(o.BootPolicy.File), BootPolicy(config)));
        for (int i = 0; i < o.Guests.Count; i++)
        {
            GuestOptions g = o.Guests[i];
            if (!g.Embedded) continue;
            ImageConfigValues.TryParseAddress(g.MemoryBase, out ulong memoryBase);
            list.Add(new EmbeddedModule(ModuleKind.Guest, g.Label, File.ReadAllBytes(config.Resolve(g.Image)), g.Cmdline ?? "",
                ImageConfigRules.GuestKind(o.Arch, g) switch { "pvh" => GuestKind.Pvh, "pv" => GuestKind.Pv, _ => GuestKind.Arm },
                ImageConfigRules.IsPrivileged(o.Arch, g, i), (uint)g.Memory, (uint)g.Vcpus, memoryBase));
        }
        return list;
    }

    /// <summary>Hypervisor command-line defaults: console, plugin options, the privileged guest's memory, then hypervisor.cmdline.</summary>
    public static string CommandLine(ImageConfig config)
    {
        ImageOptions o = config.Options;
        var words = new List<string>();
        if (o.Hypervisor.Console != null) words.Add("console=" + o.Hypervisor.Console);
        foreach (PluginChoice p in config.Plugins.Where(p => p.Enabled))
            foreach (var (key, value) in p.Options) words.Add(value.Length == 0 ? key : $"{key}={value}");
        for (int i = 0; i < o.Guests.Count; i++)
            if (ImageConfigRules.IsPrivileged(o.Arch, o.Guests[i], i) && o.Guests[i].Memory > 0) words.Add($"dom0_mem={o.Guests[i].Memory}M");
        if (!string.IsNullOrWhiteSpace(o.Hypervisor.Cmdline)) words.Add(o.Hypervisor.Cmdline.Trim());
        return string.Join(" ", words);
    }

    /// <summary>A policy script is compiled with the policy engine; anything else is taken as a compiled blob.</summary>
    byte[] BootPolicy(ImageConfig config)
    {
        string path = config.Resolve(config.Options.BootPolicy.File);
        if (!path.EndsWith(".js", StringComparison.Ordinal)) return File.ReadAllBytes(path);
        CompiledPolicy cp = Compiler.Compile(path);
        if (!cp.Ok)
            throw new ConfigException(cp.Diagnostics.Select(d => config.Error("bootPolicy:file", $"'bootPolicy:file': the policy does not compile: {d}")).ToList());
        List<ConfigError> unlabelled = UnknownLabels(config, cp.Model);
        if (unlabelled.Count > 0) throw new ConfigException(unlabelled);
        return cp.Blob;
    }

    /// <summary>
    /// An embedded guest's label is its security label under the boot policy (the hypervisor
    /// refuses to build a guest whose label the policy lacks): each must be one of the policy's
    /// label()s, or dom0/domU when it declares those initial SIDs.
    /// </summary>
    static List<ConfigError> UnknownLabels(ImageConfig config, PolicyModel model)
    {
        var known = new HashSet<string>(model.DomainLabels.Select(l => l.Name), StringComparer.Ordinal);
        foreach (var s in model.InitialSids)
            if (s.Name is "dom0" or "domU") known.Add(s.Name);
        var errors = new List<ConfigError>();
        var guests = config.Options.Guests;
        for (int i = 0; i < guests.Count; i++)
        {
            if (!guests[i].Embedded || known.Contains(guests[i].Label)) continue;
            errors.Add(config.Error($"guests:{i}:label", $"'guests:{i}:label' is '{guests[i].Label}': the boot policy has no such label "
                + $"(it has: {string.Join(", ", known.Order(StringComparer.Ordinal))})"));
        }
        return errors;
    }

    void RunTool(string script, List<string> args)
    {
        var psi = new ProcessStartInfo("bash") { WorkingDirectory = Root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(script);
        foreach (string a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new ImageBuildException("cannot start bash");
        var errors = new StringBuilder();
        p.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (errors) errors.AppendLine(e.Data); };
        p.BeginErrorReadLine();
        string line;
        while ((line = p.StandardOutput.ReadLine()) != null) _out.WriteLine("      " + line);
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            lock (errors) throw new ImageBuildException($"boot/build-image.sh failed (status {p.ExitCode}):\n{errors.ToString().TrimEnd()}");
        }
    }

    void Progress(string what) => _out.WriteLine($"[{++_step}/{Steps}] {what}");

    static void Move(string from, string to)
    {
        if (File.Exists(from)) File.Move(from, to, overwrite: true);
    }

    /// <summary>The repository holding <paramref name="start"/> (a file or directory), else the one holding this program, else null.</summary>
    public static string FindRoot(string start)
    {
        foreach (string s in new[] { start, Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            if (s == null) continue;
            for (var d = new DirectoryInfo(Path.GetFullPath(s)); d != null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "boot", "build-image.sh")) && Directory.Exists(Path.Combine(d.FullName, "hv")))
                    return d.FullName;
        }
        return null;
    }
}

/// <summary>A build tool (csc, ILC, clang, lld, via boot/build-image.sh) failed.</summary>
public sealed class ImageBuildException(string message) : Exception(message);

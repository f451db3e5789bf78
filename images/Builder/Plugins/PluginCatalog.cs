using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using XenLite.Hv.Dispatch;
using XenLite.ImageBuilder.Config;

namespace XenLite.ImageBuilder.Plugins;

/// <summary>
/// The plugins available to an image: each plugins/&lt;Dir&gt;/*.csproj's built assembly, read by
/// <see cref="PluginDiscovery"/>. Selecting checks the config's `plugins` entries against it.
/// </summary>
public sealed class PluginCatalog
{
    public IReadOnlyList<PluginInfo> Plugins { get; }
    /// <summary>Plugin projects with no built assembly (named in "unknown plugin" errors).</summary>
    public IReadOnlyList<string> Unbuilt { get; }
    /// <summary>Assemblies older than one of their sources (their metadata may not match what the image compiles).</summary>
    public IReadOnlyList<string> Stale { get; }

    public PluginCatalog(IReadOnlyList<PluginInfo> plugins, IReadOnlyList<string> unbuilt = null, IReadOnlyList<string> stale = null)
    {
        Plugins = plugins;
        Unbuilt = unbuilt ?? Array.Empty<string>();
        Stale = stale ?? Array.Empty<string>();
    }

    /// <summary>Reads every plugin project under <paramref name="pluginsDir"/> (bin/Release first, then bin/Debug).</summary>
    public static PluginCatalog Scan(string pluginsDir)
    {
        var found = new List<PluginInfo>();
        var unbuilt = new List<string>();
        var stale = new List<string>();
        if (!Directory.Exists(pluginsDir)) return new PluginCatalog(found, unbuilt, stale);
        foreach (string dir in Directory.GetDirectories(pluginsDir).OrderBy(d => d, StringComparer.Ordinal))
        {
            string project = Directory.GetFiles(dir, "*.csproj").FirstOrDefault();
            if (project == null) continue;
            string assembly = AssemblyName(project);
            string dll = new[] { "Release", "Debug" }
                .Select(c => Path.Combine(dir, "bin", c, "net10.0", assembly + ".dll"))
                .Where(File.Exists)
                .OrderByDescending(File.GetLastWriteTimeUtc)
                .FirstOrDefault();
            if (dll == null)
            {
                unbuilt.Add(project);
                continue;
            }
            DateTime built = File.GetLastWriteTimeUtc(dll);
            if (SourceFiles(dir).Any(f => File.GetLastWriteTimeUtc(f) > built)) stale.Add(dll);
            found.Add(PluginDiscovery.Read(dll, dir));
        }
        return new PluginCatalog(found, unbuilt, stale);
    }

    /// <summary>The C# sources of a plugin: what the image compiles.</summary>
    public static IEnumerable<string> SourceFiles(string dir) =>
        Directory.EnumerateFiles(dir, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"));

    static string AssemblyName(string project)
    {
        string name = XDocument.Load(project).Descendants("AssemblyName").Select(e => e.Value.Trim()).FirstOrDefault();
        return string.IsNullOrEmpty(name) ? Path.GetFileNameWithoutExtension(project) : name;
    }

    /// <summary>
    /// The plugins the config enables, in catalog order; errors (at the config's `plugins:&lt;name&gt;`)
    /// for unknown names, malformed plugins and two plugins claiming the same routing rows.
    /// </summary>
    public List<PluginInfo> Select(ImageConfig config, List<ConfigError> errors)
    {
        var selected = new List<PluginInfo>();
        foreach (var group in Plugins.Where(p => p.Name != null).GroupBy(p => p.Name))
            if (group.Count() > 1 && config.PluginEnabled(group.Key))
                errors.Add(config.Error("plugins:" + group.Key,
                    $"plugin '{group.Key}' is defined twice: {string.Join(" and ", group.Select(p => p.AssemblyPath))}"));
        foreach (PluginChoice choice in config.Plugins)
        {
            PluginInfo p = Plugins.FirstOrDefault(x => x.Name == choice.Name);
            string key = "plugins:" + choice.Name;
            if (p == null)
            {
                string known = string.Join(", ", Plugins.Where(x => x.Name != null).Select(x => x.Name).OrderBy(n => n, StringComparer.Ordinal));
                string unbuilt = Unbuilt.Count > 0 ? $"; not built yet: {string.Join(", ", Unbuilt)} (dotnet build them)" : "";
                errors.Add(config.KeyError(key, $"unknown plugin '{choice.Name}' (known: {known}{unbuilt})"));
                continue;
            }
            if (!choice.Enabled) continue;
            foreach (string problem in p.Problems)
                errors.Add(config.Error(key, $"plugin '{choice.Name}' ({p.AssemblyPath}) is malformed: {problem}"));
            if (p.IsValid) selected.Add(p);
        }
        foreach (var clash in selected.Where(p => p.Rows != Feature.Core).GroupBy(p => p.Rows).Where(g => g.Count() > 1))
        {
            var two = clash.ToList();
            errors.Add(config.Error("plugins:" + two[1].Name,
                $"plugins '{two[0].Name}' ({two[0].AssemblyPath}) and '{two[1].Name}' ({two[1].AssemblyPath}) both claim {two[0].RowsText}"));
        }
        return selected.OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>The routing-table features a selection enables (what `xenlite hypercalls --config` shows).</summary>
    public static Feature Features(IEnumerable<PluginInfo> selected)
    {
        Feature f = Feature.Core;
        foreach (var p in selected) f |= p.Rows;
        return f;
    }
}

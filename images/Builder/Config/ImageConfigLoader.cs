using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.Extensions.Configuration;

namespace XenLite.ImageBuilder.Config;

/// <summary>
/// Reads an image config with Microsoft.Extensions.Configuration: the JSON file, then `XENLITE_`
/// environment variables (`XENLITE_GUESTS__0__MEMORY=128`), then `--set key=value` arguments
/// (`--set guests:0:memory=128`); later sources win. Every key and value is checked against
/// <see cref="ConfigSchema"/> first, so an error names the file, line, column and key; then the
/// values are bound to <see cref="ImageOptions"/> and the combinations are checked
/// (<see cref="ImageConfigRules"/>). Throws <see cref="ConfigException"/> with every problem.
/// </summary>
public static class ImageConfigLoader
{
    public static ImageConfig Load(string file, IReadOnlyList<string> sets = null)
    {
        sets ??= Array.Empty<string>();
        byte[] json;
        try
        {
            json = File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException(new ConfigError(ConfigLocation.WholeFile(file), "cannot read the config: " + e.Message));
        }

        JsonTree tree = JsonTree.Parse(file, json);
        var errors = new List<ConfigError>();
        ConfigSchema.Check(file, tree, errors);
        foreach (var (name, path, value) in EnvironmentOverrides())
        {
            string why = ConfigSchema.CheckOverride(path, value);
            if (why != null) errors.Add(new ConfigError(ConfigLocation.Environment(name), why));
        }
        var switches = new List<string>();
        foreach (string set in sets)
        {
            int eq = set.IndexOf('=');
            if (eq <= 0)
            {
                errors.Add(new ConfigError(ConfigLocation.CommandLine(set), "expected --set <key>=<value>"));
                continue;
            }
            string path = set[..eq], value = set[(eq + 1)..];
            string why = ConfigSchema.CheckOverride(path, value);
            if (why != null) errors.Add(new ConfigError(ConfigLocation.CommandLine(path), why));
            switches.Add($"--{path}={value}");
        }
        if (errors.Count > 0) throw new ConfigException(errors);

        IConfigurationRoot root = new ConfigurationBuilder()
            .AddJsonFile(Path.GetFullPath(file), optional: false, reloadOnChange: false)
            .AddEnvironmentVariables(ImageConfig.EnvironmentPrefix)
            .AddCommandLine(switches.ToArray())
            .Build();
        var options = new ImageOptions();
        root.Bind(options);
        var config = new ImageConfig(file, tree, root, options, ReadPlugins(root.GetSection("plugins")));
        ImageConfigRules.Check(config, errors);
        if (errors.Count > 0) throw new ConfigException(errors);
        return config;
    }

    /// <summary>The XENLITE_ variables as the environment provider sees them: prefix removed, `__` → `:`.</summary>
    static IEnumerable<(string Name, string Path, string Value)> EnvironmentOverrides()
    {
        foreach (DictionaryEntry e in Environment.GetEnvironmentVariables())
        {
            string name = (string)e.Key;
            if (!name.StartsWith(ImageConfig.EnvironmentPrefix, StringComparison.OrdinalIgnoreCase)) continue;
            yield return (name, name[ImageConfig.EnvironmentPrefix.Length..].Replace("__", ":").ToLowerInvariant(), (string)e.Value);
        }
    }

    /// <summary>`"argo": true` or `"argo": { "enabled": true, "options": { "argo": "1" } }` (enabled defaults to true).</summary>
    static List<PluginChoice> ReadPlugins(IConfigurationSection plugins)
    {
        var list = new List<PluginChoice>();
        foreach (var p in plugins.GetChildren())
        {
            string enabled = p["enabled"] ?? p.Value;
            if (string.IsNullOrEmpty(enabled)) enabled = "true";
            var opts = p.GetSection("options").GetChildren().Select(o => new KeyValuePair<string, string>(o.Key, o.Value ?? "")).ToList();
            list.Add(new PluginChoice(p.Key.ToLowerInvariant(), bool.Parse(enabled), opts));
        }
        return list;
    }
}

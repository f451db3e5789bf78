using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Configuration.EnvironmentVariables;

namespace XenLite.ImageBuilder.Config;

/// <summary>
/// A loaded, checked image config: the typed options, the plugin choices, and where each value
/// came from (so later steps, such as plugin discovery, can still point at a key).
/// </summary>
public sealed class ImageConfig
{
    public const string EnvironmentPrefix = "XENLITE_";

    internal ImageConfig(string file, JsonTree tree, IConfigurationRoot root, ImageOptions options, IReadOnlyList<PluginChoice> plugins)
    {
        File = file;
        Tree = tree;
        Root = root;
        Options = options;
        Plugins = plugins;
    }

    /// <summary>The config file as named on the command line (errors print it this way).</summary>
    public string File { get; }
    public ImageOptions Options { get; }
    public IReadOnlyList<PluginChoice> Plugins { get; }
    internal JsonTree Tree { get; }
    /// <summary>The merged configuration (file, then XENLITE_ variables, then --set).</summary>
    public IConfigurationRoot Root { get; }

    /// <summary>The config's name: its file name without .json (images/demo.json → demo).</summary>
    public string Name => Options.Name ?? Path.GetFileNameWithoutExtension(File);

    /// <summary>Relative paths in the config are relative to the config file's directory.</summary>
    public string Resolve(string relative) => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(File)) ?? ".", relative));

    public bool PluginEnabled(string name) => Plugins.Any(p => p.Enabled && string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Where the value at <paramref name="path"/> came from: the last source that sets it (--set,
    /// then the environment, then the file), or the nearest enclosing key in the file.
    /// </summary>
    public ConfigLocation Locate(string path)
    {
        foreach (var provider in Root.Providers.Reverse())
        {
            if (!provider.TryGet(path, out _)) continue;
            if (provider is CommandLineConfigurationProvider) return ConfigLocation.CommandLine(path);
            if (provider is EnvironmentVariablesConfigurationProvider) return ConfigLocation.Environment(EnvironmentName(path));
            break;
        }
        for (string p = path; ; p = p[..p.LastIndexOf(':')])
        {
            JsonTree node = Tree.Find(p);
            if (node != null) return ConfigLocation.InFile(File, node == Tree || p == path ? node.At : node.KeyAt);
            if (p.IndexOf(':') < 0) return ConfigLocation.InFile(File, Tree.At);
        }
    }

    public ConfigError Error(string path, string message) => new(Locate(path), message);

    /// <summary>An error about a key itself (an unknown plugin name): at the key, not its value, when it is in the file.</summary>
    public ConfigError KeyError(string path, string message)
    {
        ConfigLocation at = Locate(path);
        JsonTree node = at.File != null ? Tree.Find(path) : null;
        return new(node != null ? ConfigLocation.InFile(File, node.KeyAt) : at, message);
    }

    internal static string EnvironmentName(string path) => EnvironmentPrefix + path.Replace(":", "__").ToUpperInvariant();
}

using System.Collections.Generic;
using System.IO;
using XenLite.Hv.Dispatch;
using XenLite.ImageBuilder;
using XenLite.ImageBuilder.Config;
using XenLite.ImageBuilder.Plugins;

namespace XenLite.Cli;

/// <summary>The `xenlite` command line: parses arguments, runs one command, returns the exit status.</summary>
public static class Xenlite
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;

    public const string UsageText =
        "usage: xenlite <command> [options]\n" +
        "\n" +
        "commands:\n" +
        "  hypercalls [--config <image.json> [--set k=v]...]\n" +
        "                                      print the routing table in hypercall-defs.c's shape;\n" +
        "                                      with --config, only the rows of the plugins it enables\n" +
        "  image build <image.json> [-o <file>] [--set k=v]...\n" +
        "                                      build a bootable image (plugins, embedded guests, boot policy)\n" +
        "  image inspect <image.elf>           arch, plugins, guests, policy hash, section sizes\n" +
        "  docs hypercalls                     write docs/hypercalls.md (markdown) to stdout\n" +
        "  policy <command> …                  policy tools: check, compile, test, explain, diff, coverage, query\n";

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0) return ShowUsage(stderr);
        switch (args[0])
        {
            case "hypercalls":
                return Hypercalls(args, stdout, stderr);
            case "docs" when args.Length == 2 && args[1] == "hypercalls":
                stdout.Write(HypercallsMarkdown.Generate());
                return Ok;
            case "docs":
                return UsageError(stderr, "docs: expected 'docs hypercalls'");
            case "image":
                return ImageCommand.Run(args[1..], stdout, stderr);
            case "policy":
                return XenLite.Policy.PolicyCommand.Run(args[1..], System.Console.In, stdout, stderr);
            case "--help" or "-h" or "help":
                return ShowUsage(stderr);
            default:
                return UsageError(stderr, $"unknown command '{args[0]}'");
        }
    }

    static int Hypercalls(string[] args, TextWriter stdout, TextWriter stderr)
    {
        string config = null;
        var sets = new List<string>();
        for (int i = 1; i < args.Length; i++)
        {
            if (args[i] == "--config" && i + 1 < args.Length) config = args[++i];
            else if (args[i] == "--set" && i + 1 < args.Length) sets.Add(args[++i]);
            else if (args[i] == "--config") return UsageError(stderr, "--config needs a file");
            else return UsageError(stderr, $"hypercalls: unknown option '{args[i]}'");
        }
        Feature features = AllPlugins;
        if (config != null && !TryFeatures(config, sets, stderr, out features)) return Failed;
        foreach (string line in HypercallTableText.Lines(features)) stdout.Write(line + "\n");
        return Ok;
    }

    /// <summary>Every plugin's rows: the table as Xen prints it with every Kconfig option on.</summary>
    public const Feature AllPlugins = Feature.Argo | Feature.Hypfs | Feature.Kexec | Feature.Xenoprof;

    /// <summary>The rows an image config selects: its plugins, discovered as `image build` discovers them.</summary>
    static bool TryFeatures(string config, List<string> sets, TextWriter stderr, out Feature features)
    {
        features = Feature.Core;
        try
        {
            ImageConfig c = ImageConfigLoader.Load(config, sets);
            string root = ImageBuild.FindRoot(Path.GetDirectoryName(Path.GetFullPath(config)));
            if (root == null)
            {
                stderr.Write("xenlite: cannot find the XenLite repository (plugins/) above the config or this program\n");
                return false;
            }
            features = PluginCatalog.Features(ImageBuild.SelectPlugins(c, root));
            return true;
        }
        catch (ConfigException e)
        {
            foreach (ConfigError error in e.Errors) stderr.Write($"xenlite: {error}\n");
            return false;
        }
    }

    internal static int UsageError(TextWriter stderr, string message)
    {
        stderr.Write($"xenlite: {message}\n");
        return ShowUsage(stderr);
    }

    static int ShowUsage(TextWriter stderr)
    {
        stderr.Write(UsageText);
        return Usage;
    }
}

using System.IO;
using XenLite.Hv.Dispatch;

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
        "  hypercalls [--config <image.json>]  print the routing table in hypercall-defs.c's shape;\n" +
        "                                      with --config, only the rows of the plugins it enables\n" +
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
        Feature features = ImageConfig.AllPlugins;
        for (int i = 1; i < args.Length; i++)
        {
            if (args[i] == "--config" && i + 1 < args.Length)
            {
                string path = args[++i];
                if (!ImageConfig.TryLoadPlugins(path, out features, out string error))
                {
                    stderr.Write($"xenlite: {error}\n");
                    return Failed;
                }
            }
            else if (args[i] == "--config")
                return UsageError(stderr, "--config needs a file");
            else
                return UsageError(stderr, $"hypercalls: unknown option '{args[i]}'");
        }
        foreach (string line in HypercallTableText.Lines(features)) stdout.Write(line + "\n");
        return Ok;
    }

    static int UsageError(TextWriter stderr, string message)
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

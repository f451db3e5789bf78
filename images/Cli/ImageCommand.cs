using System;
using System.Collections.Generic;
using System.IO;
using XenLite.ImageBuilder;
using XenLite.ImageBuilder.Config;
using XenLite.ImageBuilder.Inspect;

namespace XenLite.Cli;

/// <summary>`xenlite image build <config> [-o file] [--set key=value]...` and `xenlite image inspect <file>`.</summary>
public static class ImageCommand
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0) return Xenlite.UsageError(stderr, "image: expected 'image build <config>' or 'image inspect <file>'");
        return args[0] switch
        {
            "build" => Build(args[1..], stdout, stderr),
            "inspect" when args.Length == 2 => Inspect(args[1], stdout, stderr),
            "inspect" => Xenlite.UsageError(stderr, "image inspect needs exactly one image file"),
            _ => Xenlite.UsageError(stderr, $"image: unknown command '{args[0]}'"),
        };
    }

    static int Build(string[] args, TextWriter stdout, TextWriter stderr)
    {
        string config = null, output = null;
        var sets = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "-o" && i + 1 < args.Length) output = args[++i];
            else if (args[i] == "--set" && i + 1 < args.Length) sets.Add(args[++i]);
            else if (config == null && !args[i].StartsWith('-')) config = args[i];
            else return Xenlite.UsageError(stderr, $"image build: unexpected '{args[i]}'");
        }
        if (config == null) return Xenlite.UsageError(stderr, "image build needs a config file");
        string root = ImageBuild.FindRoot(Path.GetDirectoryName(Path.GetFullPath(config)));
        if (root == null) return Fail(stderr, "cannot find the XenLite repository (boot/build-image.sh) above the config or this program");
        try
        {
            new ImageBuild(stdout) { Root = root }.Run(config, sets, output);
            return Xenlite.Ok;
        }
        catch (ConfigException e)
        {
            foreach (ConfigError error in e.Errors) stderr.Write($"{error}\n");
            stderr.Write("xenlite: image build: nothing written\n");
            return Xenlite.Failed;
        }
        catch (ImageBuildException e)
        {
            stderr.Write($"{e.Message}\nxenlite: image build: nothing written\n");
            return Xenlite.Failed;
        }
    }

    static int Inspect(string path, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            stdout.Write(ImageInspector.Format(path, ImageInspector.Read(path)));
            return Xenlite.Ok;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or ArgumentException)
        {
            return Fail(stderr, $"image inspect: {e.Message}");
        }
    }

    static int Fail(TextWriter stderr, string message)
    {
        stderr.Write($"xenlite: {message}\n");
        return Xenlite.Failed;
    }
}

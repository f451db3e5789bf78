using System;
using System.Diagnostics;
using System.IO;
using System.Text;

namespace XenLite.Tests.Harness;

/// <summary>The checkout the tests run from, and a way to run its scripts.</summary>
public static class Repo
{
    public static readonly string Root = FindRoot();

    static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "XenLite.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("XenLite.sln not found above " + AppContext.BaseDirectory);
    }

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    /// <summary>Runs a program from the repository root; returns its exit code and combined output.</summary>
    public static (int Code, string Output) Run(string file, string args, int timeoutMs = 300_000)
    {
        var psi = new ProcessStartInfo(file, args)
        {
            WorkingDirectory = Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var output = new StringBuilder();
        using var p = new Process { StartInfo = psi };
        p.OutputDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        if (!p.WaitForExit(timeoutMs))
        {
            p.Kill(entireProcessTree: true);
            lock (output) output.AppendLine($"[timed out after {timeoutMs} ms]");
            return (-1, output.ToString());
        }
        p.WaitForExit();
        lock (output) return (p.ExitCode, output.ToString());
    }
}

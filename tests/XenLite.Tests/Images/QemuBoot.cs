using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using NUnit.Framework;
using XenLite.Tests.Harness;

namespace XenLite.Tests.Images;

/// <summary>
/// Boots the hypervisor image in QEMU as Xen is booted (-kernel, -initrd modules, -append) and
/// returns QEMU's status with the serial console. A boot that does not end within the timeout
/// fails the test with everything the console showed.
/// </summary>
public static class QemuBoot
{
    /// <summary>The image with no embedded guest (images/bare.json): dom0 is the first -initrd module, as with Xen.</summary>
    public const string Hypervisor = "images/out/xenlite-x86_64-bare.elf";
    public const string TestGuest = "images/out/testguest-x86_64.elf";
    public const int DefaultTimeoutMs = 60_000;

    public sealed record Run(int Status, string Console, TimeSpan Elapsed)
    {
        public int Count(string linePrefix)
        {
            int n = 0;
            foreach (var line in Lines) if (line.StartsWith(linePrefix, StringComparison.Ordinal)) n++;
            return n;
        }

        public string[] Lines => Console.Replace("\r", "").Split('\n');

        public override string ToString() => $"QEMU status {Status} after {Elapsed.TotalSeconds:F1} s; console:\n{Console}";
    }

    /// <param name="modules">Multiboot modules ("file args"), module 0 is dom0; relative to the repository.</param>
    public static Run Boot(string append, params string[] modules) => BootWithTimeout(DefaultTimeoutMs, append, modules);

    public static Run BootWithTimeout(int timeoutMs, string append, params string[] modules)
    {
        string image = Require(Hypervisor);
        foreach (var m in modules) Require(m.Split(' ')[0]);
        var psi = new ProcessStartInfo("qemu-system-x86_64")
        {
            WorkingDirectory = Repo.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in new[]
                 {
                     "-accel", "tcg", "-cpu", "qemu64,+svm,+npt", "-m", "256", "-display", "none",
                     "-serial", "stdio", "-monitor", "none", "-no-reboot",
                     "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-kernel", image, "-append", append,
                 })
            psi.ArgumentList.Add(a);
        if (modules.Length > 0)
        {
            psi.ArgumentList.Add("-initrd");
            // QEMU separates modules with commas (",," escapes one).
            psi.ArgumentList.Add(string.Join(",", Array.ConvertAll(modules, m => m.Replace(",", ",,"))));
        }

        var output = new StringBuilder();
        var clock = Stopwatch.StartNew();
        Process p;
        try { p = Process.Start(psi)!; }
        catch (System.ComponentModel.Win32Exception) { Assert.Ignore("qemu-system-x86_64 is not installed (./build.sh deps)"); throw; }
        using (p)
        {
            p.OutputDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
            p.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            if (!p.WaitForExit(timeoutMs))
            {
                p.Kill(entireProcessTree: true);
                p.WaitForExit();
                lock (output) Assert.Fail($"boot did not end within {timeoutMs / 1000.0:F0} s; console so far:\n{output}");
            }
            p.WaitForExit();
            lock (output) return new Run(p.ExitCode, output.ToString(), clock.Elapsed);
        }
    }

    static string Require(string relative)
    {
        string path = Repo.PathOf(relative);
        if (!File.Exists(path)) Assert.Fail($"{relative} is missing: build it with ./build.sh image (./build.sh test does)");
        return relative;
    }
}

using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;
using NUnit.Framework;
using XenLite.Tests.Harness;

namespace XenLite.Tests.Images;

/// <summary>
/// Runtime policy load, one boot per arch: images/flask-demo.json (Flask enforcing, boot policy
/// policies/demo-locked.js) boots the policy agent as dom0 with a host line on a unix socket
/// (x86_64: a second serial port, COM2; arm64: a PCI 16550 behind the host bridge dom0 owns).
/// Under the boot policy the agent's xen_version(XENVER_commandline) is denied ("&lt;denied&gt;" and
/// an AVC line); `xenlite policy load policies/demo-open.js --to &lt;socket&gt;` sends the compiled
/// policy, the agent loads it with FLASK_LOAD and the call is allowed; a corrupted blob sent the
/// same way is refused (-EINVAL) and the command line stays readable.
/// </summary>
[Category("image_x86_64")]
[Category("flask")]
[Category("xsm_op")]
[NonParallelizable]
public class FlaskLoadImageTests : FlaskLoadImageTestsBase
{
    protected override string Image => "images/out/flask-demo-x86_64.elf";
    protected override string CommandLine => "console=com1 loglvl=all flask=enforcing";
    protected override string Qemu => "qemu-system-x86_64";

    protected override string[] QemuArguments(string socket) =>
    [
        "-accel", "tcg", "-cpu", "qemu64,+svm,+npt", "-m", "256", "-display", "none",
        "-serial", "stdio", "-serial", $"unix:{socket},server=on,wait=off", "-monitor", "none", "-no-reboot",
        "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-kernel", Image,
    ];
}

[Category("image_arm64")]
[Category("flask")]
[Category("xsm_op")]
[NonParallelizable]
public class Arm64FlaskLoadImageTests : FlaskLoadImageTestsBase
{
    protected override string Image => "images/out/flask-demo-arm64.bin";
    protected override string CommandLine => "console=dtuart loglvl=all flask=enforcing";
    protected override string Qemu => "qemu-system-aarch64";

    protected override string[] QemuArguments(string socket) =>
    [
        "-M", "virt,virtualization=on,gic-version=3", "-cpu", "max", "-m", "1024", "-display", "none",
        "-serial", "stdio", "-monitor", "none", "-no-reboot", "-semihosting",
        "-chardev", $"socket,id=hostline,path={socket},server=on,wait=off", "-device", "pci-serial,chardev=hostline",
        "-kernel", Image,
    ];

    [Test]
    public void TheHardwareDomainOwnsThePciBridge()
    {
        var s = Run();
        Assert.That(s.Console, Does.Contain("PCI bridge (ECAM 0x4010000000)"), s.ToString());
    }
}

public abstract class FlaskLoadImageTestsBase
{
    const string Cli = "images/out/xenlite";
    const int TimeoutMs = 30_000;

    protected abstract string Image { get; }
    /// <summary>The hypervisor command line the image's config gives (what the agent reads once allowed).</summary>
    protected abstract string CommandLine { get; }
    protected abstract string Qemu { get; }
    protected abstract string[] QemuArguments(string socket);

    protected sealed record Session(string Console, int Status, TimeSpan Elapsed, Load Good, Load Bad)
    {
        public override string ToString() =>
            $"QEMU status {Status} after {Elapsed.TotalSeconds:F1} s\ngood load: {Good}\nbad load: {Bad}\nconsole:\n{Console}";
    }

    protected sealed record Load(int Status, string Output)
    {
        public override string ToString() => $"exit {Status}: {Output.Trim()}";
    }

    Session _session;

    protected Session Run() => _session ??= Boot();

    [TestCase("flask.enforcing_at_boot")]
    [TestCase("flask.boot_policy_denies_commandline")]
    [TestCase("flask.load_received_policy")]
    [TestCase("flask.loaded_policy_allows_commandline")]
    [TestCase("flask.bad_blob_rejected")]
    [TestCase("flask.old_policy_stays_after_bad_blob")]
    public void TheAgentCheckPasses(string name)
    {
        var s = Run();
        Assert.That(s.Console.Replace("\r", "").Split('\n'), Does.Contain("PASS " + name), s.ToString());
    }

    [Test]
    public void TheAgentSucceedsAndTheMachinePowersOffWithin30Seconds()
    {
        var s = Run();
        Assert.That(s.Console, Does.Contain("Test result: SUCCESS"), s.ToString());
        Assert.That(s.Console, Does.Not.Contain("FAIL "), s.ToString());
        Assert.That(s.Status, Is.Zero, s.ToString());
        Assert.That(s.Elapsed, Is.LessThan(TimeSpan.FromSeconds(30)), s.ToString());
    }

    [Test]
    public void TheBootPolicyDeniesWithAnAvcLineBeforeTheLoadAndTheLoadedOneAllows()
    {
        var s = Run();
        int avc = s.Console.IndexOf("avc: denied { xen_commandline } for domid=0 scontext=system_u:system_r:dom0_t tcontext=system_u:system_r:xen_t tclass=version", StringComparison.Ordinal);
        int ready = s.Console.IndexOf("policy-agent: ready for policy 1", StringComparison.Ordinal);
        Assert.That(avc, Is.GreaterThanOrEqualTo(0).And.LessThan(ready), s.ToString());
        Assert.That(s.Console, Does.Contain($"policy-agent: command line '{CommandLine}"), s.ToString());
    }

    [Test]
    public void TheCliReportsTheLoadAndTheRefusal()
    {
        var s = Run();
        Assert.That(s.Good.Status, Is.Zero, s.ToString());
        Assert.That(s.Good.Output, Does.Match(@"demo-open\.js: \d+ bytes loaded \(FLASK_LOAD 0\)"), s.ToString());
        Assert.That(s.Bad.Status, Is.EqualTo(1), s.ToString());
        Assert.That(s.Bad.Output, Does.Contain("the hypervisor refused it: FLASK_LOAD -22 (EINVAL); the previous policy stays in force"), s.ToString());
        Assert.That(s.Console, Does.Contain("policy-agent: FLASK_LOAD of").And.Contain("bytes returned -22"), s.ToString());
    }

    Session Boot()
    {
        foreach (var f in new[] { Image, Cli })
            if (!File.Exists(Repo.PathOf(f))) Assert.Fail($"{f} is missing: build it with ./build.sh image (./build.sh test does)");
        string dir = Directory.CreateTempSubdirectory("xl-flask-").FullName;
        string socket = Path.Combine(dir, "com2");
        string bad = Path.Combine(dir, "bad.bin");
        var psi = new ProcessStartInfo(Qemu)
        {
            WorkingDirectory = Repo.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in QemuArguments(socket)) psi.ArgumentList.Add(a);

        var output = new StringBuilder();
        var clock = Stopwatch.StartNew();
        Process p;
        try { p = Process.Start(psi)!; }
        catch (System.ComponentModel.Win32Exception) { Assert.Ignore($"{Qemu} is not installed (./build.sh deps)"); throw; }
        try
        {
            p.OutputDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
            p.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();

            WaitFor(p, output, "policy-agent: ready for policy 1", clock);
            Load good = Xenlite(clock, "policy", "load", "policies/demo-open.js", "--to", socket, "--timeout", "20");
            Load compiled = Xenlite(clock, "policy", "compile", "policies/demo-open.js", "-o", bad);
            if (compiled.Status != 0) Assert.Fail($"policy compile: {compiled}");
            byte[] blob = File.ReadAllBytes(bad);
            blob[blob.Length / 2] ^= 0x5A;   // inside the table: the blob's checksum no longer matches
            File.WriteAllBytes(bad, blob);
            WaitFor(p, output, "policy-agent: ready for policy 2", clock);
            Load refused = Xenlite(clock, "policy", "load", bad, "--to", socket, "--timeout", "20");

            if (!p.WaitForExit(Remaining(clock)))
            {
                p.Kill(entireProcessTree: true);
                p.WaitForExit();
                lock (output) Assert.Fail($"{Image} did not power off within {TimeoutMs / 1000} s; console so far:\n{output}");
            }
            p.WaitForExit();
            lock (output) return new Session(output.ToString(), p.ExitCode, clock.Elapsed, good, refused);
        }
        finally
        {
            if (!p.HasExited) p.Kill(entireProcessTree: true);
            p.Dispose();
            Directory.Delete(dir, recursive: true);
        }
    }

    static int Remaining(Stopwatch clock) => Math.Max(1, TimeoutMs - (int)clock.ElapsedMilliseconds);

    static void WaitFor(Process p, StringBuilder output, string line, Stopwatch clock)
    {
        while (clock.ElapsedMilliseconds < TimeoutMs)
        {
            lock (output) if (output.ToString().Contains(line, StringComparison.Ordinal)) return;
            if (p.HasExited) break;
            Thread.Sleep(50);
        }
        p.Kill(entireProcessTree: true);
        p.WaitForExit();
        lock (output) Assert.Fail($"no '{line}' from the policy agent; console:\n{output}");
    }

    static Load Xenlite(Stopwatch clock, params string[] args)
    {
        var psi = new ProcessStartInfo(Repo.PathOf(Cli))
        {
            WorkingDirectory = Repo.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var cli = Process.Start(psi)!;
        var stdout = cli.StandardOutput.ReadToEndAsync();
        var stderr = cli.StandardError.ReadToEndAsync();
        if (!cli.WaitForExit(Remaining(clock))) { cli.Kill(); Assert.Fail($"xenlite {string.Join(' ', args)} did not finish"); }
        cli.WaitForExit();
        return new Load(cli.ExitCode, stdout.Result + stderr.Result);
    }
}

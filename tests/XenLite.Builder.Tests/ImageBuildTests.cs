using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using NUnit.Framework;
using XenLite.Cli;
using XenLite.ImageBuilder;
using XenLite.ImageBuilder.Embed;
using XenLite.ImageBuilder.Inspect;

namespace XenLite.Builder.Tests;

/// <summary>
/// `xenlite image build` for images/minimal.json and images/demo.json (built once, ~5–15 s each),
/// compared, inspected, and booted in QEMU with `-kernel` alone: the embedded conformance guest
/// runs as dom0 in both, the plugin rows exist only in demo, and a damaged module is refused.
/// </summary>
[Category("image_x86_64")]
[NonParallelizable]
public class ImageBuildTests
{
    static readonly string[] PluginRows = { "argo_op", "hypfs_op", "kexec_op", "xenoprof_op" };
    static readonly string[] PluginNamespaces = { "XenLite_Plugin_Argo", "XenLite_Plugin_Hypfs", "XenLite_Plugin_Kexec", "XenLite_Plugin_Xenoprof" };

    string _dir, _minimal, _demo, _progress;

    [OneTimeSetUp]
    public void Build()
    {
        if (!File.Exists(RepoDir.Of("images/out/testguest-x86_64.elf")))
            Assert.Fail("images/out/testguest-x86_64.elf is missing: ./build.sh image builds it (./build.sh test does)");
        _dir = Directory.CreateTempSubdirectory("xenlite-images-").FullName;
        var log = new StringWriter();
        var build = new ImageBuild(log) { Root = RepoDir.Root };
        _minimal = build.Run(RepoDir.Of("images/minimal.json"), null, Path.Combine(_dir, "minimal.elf"));
        _demo = new ImageBuild(log) { Root = RepoDir.Root }.Run(RepoDir.Of("images/demo.json"), null, Path.Combine(_dir, "demo.elf"));
        _progress = log.ToString();
    }

    [OneTimeTearDown]
    public void Clean()
    {
        if (_dir != null) Directory.Delete(_dir, true);
    }

    [Test]
    public void TheBuildReportsEachStep()
    {
        for (int i = 1; i <= 6; i++) Assert.That(_progress, Does.Contain($"[{i}/6] "));
        Assert.That(_progress, Does.Contain("      argo: XenLite.Plugin.Argo.ArgoPlugin (the rows of Feature.Argo, Init)"));
        Assert.That(_progress, Does.Contain("[5/5] ld.lld"));
        Assert.That(Directory.GetFiles(_dir, "*.partial.*"), Is.Empty, "the partial image is renamed at the end");
    }

    [Test]
    public void TheImagesDifferExactlyByThePluginsCode()
    {
        string minimalMap = File.ReadAllText(Path.ChangeExtension(_minimal, ".map"));
        string demoMap = File.ReadAllText(Path.ChangeExtension(_demo, ".map"));
        foreach (string ns in PluginNamespaces)
        {
            Assert.That(demoMap, Does.Contain(ns), $"{ns} is compiled into the demo image");
            Assert.That(minimalMap, Does.Not.Contain(ns), $"{ns} is not in the minimal image");
        }
    }

    [Test]
    public void HypercallsForTheTwoConfigsDifferExactlyByThePluginRows()
    {
        string[] minimal = Table("images/minimal.json"), demo = Table("images/demo.json");
        Assert.That(demo.Except(minimal).Select(l => l.Split(' ')[0]), Is.EquivalentTo(PluginRows));
        Assert.That(minimal.Except(demo), Is.Empty);
    }

    static string[] Table(string config)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Assert.That(Xenlite.Run(new[] { "hypercalls", "--config", RepoDir.Of(config) }, stdout, stderr), Is.Zero, stderr.ToString());
        return stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    [Test]
    public void InspectListsArchPluginsGuestsAndSections()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Assert.That(Xenlite.Run(new[] { "image", "inspect", _demo }, stdout, stderr), Is.Zero, stderr.ToString());
        string text = stdout.ToString();
        Assert.That(text, Does.Contain("\narch: x86_64\n"));
        Assert.That(text, Does.Contain("\nconfig: demo\n"));
        Assert.That(text, Does.Contain("\nplugins: argo, hypfs, kexec, xenoprof\n"));
        long guestSize = new FileInfo(RepoDir.Of("images/out/testguest-x86_64.elf")).Length;
        Assert.That(text, Does.Contain($"\n  dom0: pvh, privileged, default memory, 1 vCPU(s), {guestSize} bytes, crc32 "));
        Assert.That(text, Does.Match(@"\n  \.text +\d+ bytes\n"));
        Assert.That(text, Does.Match(@"\n  \(embedded\) +\d+ bytes in 2 module\(s\)\n"));
        Assert.That(text, Does.Contain("\nboot policy: none\n"));
        Assert.That(ImageInspector.Read(_minimal).Plugins, Is.Empty);
    }

    [Test]
    public void BothImagesBootTheEmbeddedGuestWithoutInitrd()
    {
        var minimal = Qemu.Boot(_minimal, "console=com1");
        Assert.That(minimal.Console, Does.Contain("(XEN) Plugin hypercalls: none"), minimal.ToString());
        Assert.That(minimal.Console, Does.Contain("(XEN) d0: PVH kernel 'dom0'"), minimal.ToString());
        Assert.That(minimal.Console, Does.Contain("Test result: SUCCESS"), minimal.ToString());
        Assert.That(minimal.Status, Is.Zero, minimal.ToString());

        var demo = Qemu.Boot(_demo, "console=com1");
        Assert.That(demo.Console, Does.Contain("(XEN) Plugin hypercalls: xenoprof_op kexec_op argo_op hypfs_op"), demo.ToString());
        Assert.That(demo.Console, Does.Contain("Test result: SUCCESS"), demo.ToString());
        Assert.That(demo.Status, Is.Zero, demo.ToString());
    }

    [Test]
    public void ACorruptedEmbeddedGuestIsRefusedAtBoot()
    {
        var report = ImageInspector.Read(_minimal);
        EmbeddedModule dom0 = report.Modules.Single(m => m.Kind == ModuleKind.Guest);
        byte[] image = File.ReadAllBytes(_minimal);
        int at = IndexOf(image, dom0.Data) + 100;
        image[at] ^= 0xFF;
        string damaged = Path.Combine(_dir, "damaged.elf");
        File.WriteAllBytes(damaged, image);

        var stdout = new StringWriter();
        Xenlite.Run(new[] { "image", "inspect", damaged }, stdout, new StringWriter());
        Assert.That(stdout.ToString(), Does.Contain($"crc32 {dom0.StoredCrc:x8} MISMATCH"));

        var run = Qemu.Boot(damaged, "console=com1");
        Assert.That(run.Console, Does.Match(@"\(XEN\) embedded module 1 'dom0': checksum mismatch \(stored 0x" + dom0.StoredCrc.ToString("x8") + @", computed 0x[0-9a-f]{8}\): refused"), run.ToString());
        Assert.That(run.Console, Does.Contain("(XEN) no dom0 kernel"), run.ToString());
        Assert.That(run.Console, Does.Not.Contain("(d0)"), "the damaged guest never runs\n" + run);
        Assert.That(run.Status, Is.EqualTo(3), run.ToString());
    }

    [Test]
    public void ABadConfigWritesNothing()
    {
        string config = Path.Combine(_dir, "bad.json");
        File.WriteAllText(config, "{\n  \"arch\": \"x86_64\",\n  \"guests\": [ { \"label\": \"dom0\", \"image\": \"none.elf\" } ]\n}");
        string output = Path.Combine(_dir, "bad.elf");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int status = Xenlite.Run(new[] { "image", "build", config, "-o", output }, stdout, stderr);
        Assert.That(status, Is.EqualTo(1));
        Assert.That(stderr.ToString(), Does.StartWith($"{config}:3:43: 'guests:0:image': no such file: "));
        Assert.That(stderr.ToString(), Does.EndWith("xenlite: image build: nothing written\n"));
        Assert.That(Directory.GetFiles(_dir, "bad*"), Is.EqualTo(new[] { config }));
    }

    [Test]
    public void AGuestLabelTheBootPolicyLacksWritesNothing()
    {
        string config = Path.Combine(_dir, "badlabel.json");
        File.WriteAllText(config, "{\n  \"arch\": \"x86_64\",\n  \"plugins\": { \"flask\": true },\n"
            + $"  \"guests\": [ {{ \"label\": \"dom1\", \"image\": \"{RepoDir.Of("images/out/testguest-x86_64.elf")}\" }} ],\n"
            + $"  \"bootPolicy\": {{ \"file\": \"{RepoDir.Of("policies/demo-locked.js")}\" }}\n}}");
        string output = Path.Combine(_dir, "badlabel.elf");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int status = Xenlite.Run(new[] { "image", "build", config, "-o", output }, stdout, stderr);
        Assert.That(status, Is.EqualTo(1));
        Assert.That(stderr.ToString(), Does.StartWith($"{config}:4:26: 'guests:0:label' is 'dom1': the boot policy has no such label (it has: dom0)"));
        Assert.That(stderr.ToString(), Does.EndWith("xenlite: image build: nothing written\n"));
        Assert.That(Directory.GetFiles(_dir, "badlabel*"), Is.EqualTo(new[] { config }));
    }

    static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle)) return i;
        throw new AssertionException("module data not found in the image");
    }

    /// <summary>QEMU as tests/XenLite.Tests/Images/QemuBoot.cs runs it, for an image given by path and no modules.</summary>
    static class Qemu
    {
        public sealed record Run(int Status, string Console)
        {
            public override string ToString() => $"QEMU status {Status}; console:\n{Console}";
        }

        public static Run Boot(string image, string append)
        {
            var psi = new ProcessStartInfo("qemu-system-x86_64") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
            foreach (string a in new[] { "-accel", "tcg", "-cpu", "qemu64,+svm,+npt", "-m", "256", "-display", "none", "-serial", "stdio", "-monitor", "none",
                         "-no-reboot", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-kernel", image, "-append", append })
                psi.ArgumentList.Add(a);
            Process p;
            try { p = Process.Start(psi)!; }
            catch (System.ComponentModel.Win32Exception) { Assert.Ignore("qemu-system-x86_64 is not installed (./build.sh deps)"); throw; }
            using (p)
            {
                var output = new StringBuilder();
                p.OutputDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
                p.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
                p.BeginOutputReadLine();
                p.BeginErrorReadLine();
                if (!p.WaitForExit(60_000))
                {
                    p.Kill(entireProcessTree: true);
                    lock (output) Assert.Fail("boot did not end within 60 s; console so far:\n" + output);
                }
                p.WaitForExit();
                lock (output) return new Run(p.ExitCode, output.ToString());
            }
        }
    }
}

using System.Diagnostics;
using System.IO;
using System.Text;
using NUnit.Framework;
using XenLite.ImageBuilder;
using XenLite.ImageBuilder.Inspect;

namespace XenLite.Builder.Tests;

/// <summary>images/edge.json built for arm64 and booted with `-kernel` alone: three embedded dom0less guests labelled by
/// their config labels under the enforcing edge policy, and Argo.</summary>
[Category("image_arm64")]
[NonParallelizable]
public class Arm64ImageBuildTests
{
    string _dir;

    [SetUp]
    public void Dir() => _dir = Directory.CreateTempSubdirectory("xenlite-arm64-").FullName;

    [TearDown]
    public void Clean() => Directory.Delete(_dir, true);

    [Test]
    public void TheEdgeImageBootsItsThreeEmbeddedGuests()
    {
        if (!File.Exists(RepoDir.Of("images/out/testguest-arm64.bin"))) Assert.Fail("images/out/testguest-arm64.bin is missing: ./build.sh image --arch arm64");
        string elf = new ImageBuild(new StringWriter()) { Root = RepoDir.Root }.Run(RepoDir.Of("images/edge.json"), null, Path.Combine(_dir, "edge.elf"));
        var report = ImageInspector.Read(elf);
        Assert.That(report.Arch, Is.EqualTo("arm64"));
        Assert.That(report.Plugins, Is.EqualTo(new[] { "argo", "flask" }));

        var psi = new ProcessStartInfo("qemu-system-aarch64") { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (string a in new[] { "-M", "virt,virtualization=on,gic-version=3", "-cpu", "max", "-m", "1024", "-display", "none", "-serial", "stdio",
                     "-monitor", "none", "-no-reboot", "-semihosting", "-kernel", Path.ChangeExtension(elf, ".bin"), "-append", "" })
            psi.ArgumentList.Add(a);
        Process p;
        try { p = Process.Start(psi)!; }
        catch (System.ComponentModel.Win32Exception) { Assert.Ignore("qemu-system-aarch64 is not installed (./build.sh deps)"); throw; }
        string console;
        int status;
        using (p)
        {
            var read = p.StandardOutput.ReadToEndAsync();
            if (!p.WaitForExit(120_000)) { p.Kill(true); Assert.Fail("boot did not end within 120 s:\n" + read.Result); }
            console = read.Result;
            status = p.ExitCode;
        }
        Assert.That(console, Does.Contain("(XEN) Plugin hypercalls: argo_op"), console);
        Assert.That(console, Does.Contain("(XEN) Flask:  Starting in enforcing mode."), "the embedded policy reached Flask\n" + console);
        Assert.That(console, Does.Contain("(XEN) d1: arm64 Image 'sensor'"), console);
        Assert.That(console, Does.Contain("(XEN) d2: arm64 Image 'analytics' entry 0x40080000, device tree at 0x43e00000, 64 MiB, 2 vCPUs"), console);
        Assert.That(console, Does.Contain("(XEN) d3: arm64 Image 'uplink'").And.Contain("32 MiB, 1 vCPU"), console);
        // Each guest runs under the type its label names, and the policy keeps it off the hypervisor console.
        string[] types = { "sensor_t", "analytics_t", "uplink_t" };
        for (int d = 1; d <= 3; d++)
            Assert.That(console, Does.Contain($"avc: denied {{ writeconsole }} for domid={d} scontext=system_u:system_r:{types[d - 1]} tcontext=system_u:system_r:xen_t tclass=xen"), console);
        Assert.That(console, Does.Contain("(XEN) DOM3: running as an unprivileged domain"), "its own vpl011 line, console_io being denied\n" + console);
        Assert.That(status, Is.Zero, console);
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using NUnit.Framework;
using XenLite.Tests.Harness;

namespace XenLite.Tests.Images;

/// <summary>
/// Argo between two guests of the arm64 image (images/bare.json under GICv3): the dom0 agent
/// (QEMU -initrd) is told "argo=1" the way Xen's boot loaders tell dom0, with xen,dom0-bootargs
/// in the host /chosen (QEMU's own tree plus that property, given with -dtb), and the hypervisor
/// with argo=1 on its command line (-append). The agent builds the ping-pong domU with
/// "port=N argo=1" in its /chosen bootargs; both register a one-page ring, dom0 asks notify about
/// the domU's ring and sendv's a greeting, the domU quotes it back into dom0's ring, which raises
/// VIRQ_ARGO in dom0. One boot per case (about 2 s of QEMU each).
/// </summary>
[Category("image_arm64")]
[Category("argo_op")]
[NonParallelizable]
public class Arm64PluginArgoImageTests
{
    const string Hypervisor = "images/out/xenlite-arm64-bare.bin";
    const string Agent = "images/out/agent-arm64.bin";
    static readonly Dictionary<string, (int Status, string Console)> s_runs = new();

    static (int Status, string Console) Boot(string append)
    {
        if (s_runs.TryGetValue(append, out var run)) return run;
        foreach (var f in new[] { Hypervisor, Agent })
            if (!File.Exists(Repo.PathOf(f))) Assert.Fail($"{f} is missing: build it with ./build.sh image --arch arm64 (./build.sh test does)");
        if (!File.Exists("/usr/bin/qemu-system-aarch64")) Assert.Ignore("qemu-system-aarch64 is not installed (./build.sh deps)");
        string dtb = TreeWithDom0Bootargs("argo=1");
        string args = $"-M {Machine} -cpu max -m 1024 -display none -serial stdio -monitor none -no-reboot -semihosting "
            + $"-kernel {Hypervisor} -initrd {Agent} -dtb {dtb} -append \"{append}\"";
        var (code, output) = Repo.Run("qemu-system-aarch64", args, timeoutMs: 30_000);
        Assert.That(code, Is.Not.EqualTo(-1), "QEMU did not finish in 30 s:\n" + output);
        run = (code, output.Replace("\r", ""));
        s_runs[append] = run;
        return run;
    }

    const string Machine = "virt,virtualization=on,gic-version=3";

    /// <summary>QEMU's own device tree for the machine with xen,dom0-bootargs in /chosen (QEMU still adds bootargs and the initrd to it).</summary>
    static string TreeWithDom0Bootargs(string dom0Bootargs)
    {
        string dir = Path.Combine(Path.GetTempPath(), "xenlite-arm64argo-" + Environment.ProcessId);
        Directory.CreateDirectory(dir);
        string qemu = Path.Combine(dir, "virt.dtb"), dts = Path.Combine(dir, "dom0-bootargs.dts"), dtb = Path.Combine(dir, "dom0-bootargs.dtb");
        if (File.Exists(dtb)) return dtb;
        var (qc, qo) = Repo.Run("qemu-system-aarch64", $"-M {Machine},dumpdtb={qemu} -cpu max -m 1024 -nographic");
        Assert.That(qc, Is.EqualTo(0), qo);
        var (dc, source) = Repo.Run("dtc", $"-q -I dtb -O dts {qemu}");
        Assert.That(dc, Is.EqualTo(0), source);
        int chosen = source.IndexOf("\tchosen {\n", StringComparison.Ordinal);
        Assert.That(chosen, Is.GreaterThan(0), "QEMU's tree has a /chosen node");
        source = source.Insert(chosen + "\tchosen {\n".Length, $"\t\txen,dom0-bootargs = \"{dom0Bootargs}\";\n");
        File.WriteAllText(dts, source);
        var (cc, co) = Repo.Run("dtc", $"-q -I dts -O dtb -o {dtb} {dts}");
        Assert.That(cc, Is.EqualTo(0), co);
        return dtb;
    }

    const string WithArgo = "console=dtuart loglvl=all argo=1";

    [TestCase("argo.bind_virq")]
    [TestCase("argo.register_ring")]
    [TestCase("argo.domu_ring_ready")]
    [TestCase("argo.notify_sees_domu_ring")]
    [TestCase("argo.sendv_to_domu")]
    [TestCase("argo.reply_from_domu")]
    [TestCase("argo.ring_empty_after_read")]
    [TestCase("argo.virq_on_delivery")]
    public void TheArgoCheckPasses(string name)
    {
        var (_, console) = Boot(WithArgo);
        Assert.That(console.Split('\n'), Does.Contain("PASS " + name), console);
    }

    [Test]
    public void BothGuestsFinishTheExchangeAndTheMachinePowersOff()
    {
        var (status, console) = Boot(WithArgo);
        Assert.That(console.Split('\n').Count(l => l.StartsWith("FAIL ", StringComparison.Ordinal)), Is.Zero, console);
        Assert.That(console, Does.Contain("(XEN) DOM1: pingpong: argo message answered"), "the domU's own vpl011 line\n" + console);
        Assert.That(console, Does.Contain("Test result: SUCCESS"), console);
        Assert.That(console, Does.Contain("(XEN) machine stops with status 0"), console);
        Assert.That(status, Is.Zero, console);
    }

    [Test]
    public void WithoutArgoOnTheHypervisorCommandLineRegisterRingIsRefused()
    {
        // dom0 is still told argo=1, but argo is off by default (Xen's opt_argo): argo_op answers -EOPNOTSUPP.
        var (_, console) = Boot("console=dtuart loglvl=all");
        Assert.That(console, Does.Contain("FAIL argo.register_ring: XEN_ARGO_OP_register_ring (dom0, partner the domU) (got -95, expected 0)"), console);
        Assert.That(console, Does.Contain("(XEN) DOM1: pingpong: argo register_ring failed"), console);
    }
}

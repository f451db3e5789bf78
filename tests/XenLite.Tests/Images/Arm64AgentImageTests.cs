using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using NUnit.Framework;
using XenLite.Tests.Harness;

namespace XenLite.Tests.Images;

/// <summary>
/// The arm64 hypervisor (images/bare.json) with the dom0 agent as the initial domain (QEMU
/// -initrd), under GICv3 and GICv2. The agent carries the ping-pong Image and builds a second
/// domain with domctl createdomain/max_mem, populate_physmap, add_to_physmap_batch gmfn_foreign,
/// a toolstack-written device tree and setvcpucontext (arm vcpu_guest_context), unpauses it,
/// ping-pongs 1,000 events, shares pages through v1 and v2 grants, pauses/unpauses and destroys
/// it; the virtual timer must not interrupt early. One boot per GIC version, every PASS asserted.
/// </summary>
[Category("image_arm64")]
[Category("event_channel_op")]
[Category("grant_table_op")]
[Category("domctl")]
[NonParallelizable]
public class Arm64AgentImageTests
{
    const string Hypervisor = "images/out/xenlite-arm64-bare.bin";
    const string Agent = "images/out/agent-arm64.bin";
    static readonly Dictionary<int, (int Status, string Console)> s_runs = new();

    static (int Status, string Console) Boot(int gic)
    {
        if (s_runs.TryGetValue(gic, out var run)) return run;
        foreach (var f in new[] { Hypervisor, Agent })
            if (!File.Exists(Repo.PathOf(f))) Assert.Fail($"{f} is missing: build it with ./build.sh image --arch arm64 (./build.sh test does)");
        if (!File.Exists("/usr/bin/qemu-system-aarch64")) Assert.Ignore("qemu-system-aarch64 is not installed (./build.sh deps)");
        string args = $"-M virt,virtualization=on,gic-version={gic} -cpu max -m 1024 -display none -serial stdio -monitor none "
            + $"-no-reboot -semihosting -kernel {Hypervisor} -initrd {Agent} -append \"console=dtuart loglvl=all\"";
        var (code, output) = Repo.Run("qemu-system-aarch64", args, timeoutMs: 30_000);
        Assert.That(code, Is.Not.EqualTo(-1), "QEMU did not finish in 30 s:\n" + output);
        run = (code, output.Replace("\r", ""));
        s_runs[gic] = run;
        return run;
    }

    static IEnumerable<TestCaseData> Checks()
    {
        string[] names =
        {
            "agent.map_shared_info", "timer.vtimer_not_early", "agent.build_and_start_domu", "sysctl.getdomaininfolist_lists_both",
            "evtchn.interdomain_hello", "evtchn.pingpong_1000", "grant.v1_share_and_notify", "grant.v2_share_and_notify",
            "domctl.pause_unpause", "domctl.destroydomain",
        };
        foreach (int gic in new[] { 3, 2 })
            foreach (string n in names)
                yield return new TestCaseData(gic, n).SetName($"TheAgentCheckPasses(gic{gic}, {n})");
    }

    [TestCaseSource(nameof(Checks))]
    public void TheAgentCheckPasses(int gic, string name)
    {
        var (_, console) = Boot(gic);
        Assert.That(console.Split('\n'), Does.Contain("PASS " + name), console);
    }

    [TestCase(3)]
    [TestCase(2)]
    public void TheAgentSucceedsAndTheMachineStopsCleanly(int gic)
    {
        var (status, console) = Boot(gic);
        Assert.That(console.Split('\n').Count(l => l.StartsWith("FAIL ", StringComparison.Ordinal)), Is.Zero, console);
        Assert.That(console, Does.Contain("Test result: SUCCESS"), console);
        Assert.That(console, Does.Contain("(XEN) DOM1: pingpong: 1000 events answered"), "the domU's own vpl011 line\n" + console);
        Assert.That(console, Does.Contain("(XEN) machine stops with status 0"), console);
        Assert.That(status, Is.Zero, console);
    }

    [Test]
    public void TheRoundTripAndTimerAreReported()
    {
        var (_, console) = Boot(3);
        Assert.That(Regex.IsMatch(console, @"evtchn: 1000 round trips in [1-9]\d* us, [1-9]\d* ns per round trip"), console);
        Assert.That(Regex.IsMatch(console, @"timer: asked for \+5 ms, interrupt seen at \+\d+ us"), console);
        Assert.That(Regex.IsMatch(console, @"agent: d1: Image of \d+ bytes at 0x40080000, device tree of \d+ bytes at 0x40300000"), console);
    }
}

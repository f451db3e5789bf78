using NUnit.Framework;

namespace XenLite.Tests.Images;

/// <summary>
/// Argo between two guests of the x86_64 image: the dom0 agent in its "argo=1" mode (hypervisor
/// booted with argo=1) builds the ping-pong domU as usual, then both register a one-page ring,
/// dom0 asks notify about the domU's ring and sendv's a greeting, the domU reads it from its ring
/// and quotes it back into dom0's ring, which raises VIRQ_ARGO in dom0. One boot.
/// </summary>
[Category("image_x86_64")]
[Category("argo_op")]
[NonParallelizable]
public class X86PluginArgoImageTests
{
    const string Agent = "images/out/agent-x86_64.elf argo=1";
    const string PingPong = "images/out/pingpong-x86_64.elf";
    static QemuBoot.Run s_run;

    static QemuBoot.Run Boot() => s_run ??= QemuBoot.BootWithTimeout(30_000, "console=com1 argo=1", Agent, PingPong);

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
        var run = Boot();
        Assert.That(run.Lines, Does.Contain("PASS " + name), run.ToString());
    }

    [Test]
    public void BothGuestsFinishTheExchangeAndTheMachinePowersOff()
    {
        var run = Boot();
        Assert.That(run.Count("FAIL "), Is.Zero, run.ToString());
        Assert.That(run.Console, Does.Contain("(d1) pingpong: argo message answered"), "the domU's own line\n" + run);
        Assert.That(run.Console, Does.Contain("Test result: SUCCESS"), run.ToString());
        Assert.That(run.Status, Is.Zero, run.ToString());
    }

    [Test]
    public void WithoutArgoOnTheHypervisorCommandLineRegisterRingIsRefused()
    {
        // argo is off by default (Xen's opt_argo): argo_op answers -EOPNOTSUPP, and the agent reports it.
        var run = QemuBoot.BootWithTimeout(30_000, "console=com1", Agent, PingPong);
        Assert.That(run.Console, Does.Contain("FAIL argo.register_ring: XEN_ARGO_OP_register_ring (dom0, partner the domU) (got -95, expected 0)"), run.ToString());
    }
}

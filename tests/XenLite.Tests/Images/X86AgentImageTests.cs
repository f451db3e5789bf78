using System.Text.RegularExpressions;
using NUnit.Framework;

namespace XenLite.Tests.Images;

/// <summary>
/// The x86_64 image with the dom0 agent as domain 0 and the ping-pong guest as its first module
/// (Multiboot module 1, which dom0 finds in its hvm_start_info modlist): the agent builds a
/// second domain with domctl/memory_op, the two ping-pong 1,000 events over an inter-domain
/// channel, share pages through v1 (read-write and read-only) and v2 grants, and the agent
/// pauses, unpauses and destroys it; a singleshot timer must not fire early. One boot, every
/// PASS line asserted.
/// </summary>
[Category("image_x86_64")]
[Category("event_channel_op")]
[Category("grant_table_op")]
[Category("domctl")]
[NonParallelizable]
public class X86AgentImageTests
{
    const string Agent = "images/out/agent-x86_64.elf";
    const string PingPong = "images/out/pingpong-x86_64.elf";
    static QemuBoot.Run s_run;

    static QemuBoot.Run Boot() => s_run ??= QemuBoot.BootWithTimeout(30_000, "console=com1 loglvl=all", Agent, PingPong);

    [TestCase("agent.map_shared_info")]
    [TestCase("timer.singleshot_not_early")]
    [TestCase("agent.build_and_start_domu")]
    [TestCase("sysctl.getdomaininfolist_lists_both")]
    [TestCase("evtchn.interdomain_hello")]
    [TestCase("evtchn.pingpong_1000")]
    [TestCase("grant.v1_share_and_notify")]
    [TestCase("grant.v2_share_and_notify")]
    [TestCase("domctl.pause_unpause")]
    [TestCase("domctl.destroydomain")]
    public void TheAgentCheckPasses(string name)
    {
        var run = Boot();
        Assert.That(run.Lines, Does.Contain("PASS " + name), run.ToString());
    }

    [Test]
    public void TheAgentSucceedsAndTheMachinePowersOffCleanly()
    {
        var run = Boot();
        Assert.That(run.Count("FAIL "), Is.Zero, run.ToString());
        Assert.That(run.Console, Does.Contain("Test result: SUCCESS"), run.ToString());
        Assert.That(run.Console, Does.Contain("(d1) pingpong: 1000 events answered"), "the domU's own debug-port line\n" + run);
        Assert.That(run.Status, Is.Zero, run.ToString());
    }

    [Test]
    public void TheRoundTripTimeIsReported()
    {
        var run = Boot();
        Assert.That(Regex.IsMatch(run.Console, @"evtchn: 1000 round trips in [1-9]\d* us, [1-9]\d* ns per round trip"), run.ToString());
        Assert.That(Regex.IsMatch(run.Console, @"timer: asked for \+5 ms, fired at \+\d+ us"), run.ToString());
    }

    [Test]
    public void ThePreemptionTimerMakesTheGuestExit()
    {
        // VMEXIT_INTR (0x060) exits come from the LAPIC timer ending a slice or waking a timer.
        var run = Boot();
        Assert.That(run.Console, Does.Contain("(XEN)   0x060 "), run.ToString());
    }
}

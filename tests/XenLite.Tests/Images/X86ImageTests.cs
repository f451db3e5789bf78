using System;
using System.IO;
using NUnit.Framework;
using XenLite.Tests.Harness;

namespace XenLite.Tests.Images;

/// <summary>
/// The x86_64 hypervisor image booted in QEMU (TCG, SVM + NPT) like Xen: the conformance guest
/// as dom0, guests that misbehave, modules that are not guests, and the command line. QEMU
/// status: 0 = clean power-off, 3 = the hypervisor stopped with a non-zero status, 5/7 = the
/// hypervisor itself panicked or faulted (never acceptable).
/// </summary>
[Category("image_x86_64")]
[NonParallelizable]
public class X86ImageTests
{
    const string Append = "console=com1 loglvl=all";
    const int Stopped = 3;

    [Test]
    public void TestGuestPassesAsDom0InHvm64AndHvm32()
    {
        var run = QemuBoot.Boot(Append, QemuBoot.TestGuest + " guest-arg");
        Assert.That(run.Console, Does.Contain("(XEN) Xen version 4.22"), run.ToString());
        Assert.That(run.Console, Does.Contain("(XEN) Command line: console=com1 loglvl=all"), run.ToString());
        Assert.That(run.Console, Does.Contain("command line 'guest-arg'"), "dom0's command line is the module string less the file name\n" + run);
        Assert.That(run.Console, Does.Contain("running as the hardware domain"), run.ToString());
        Assert.That(run.Count("PASS "), Is.GreaterThanOrEqualTo(20), run.ToString());
        Assert.That(run.Count("PASS hvm32."), Is.GreaterThanOrEqualTo(5), run.ToString());
        Assert.That(run.Count("FAIL "), Is.Zero, run.ToString());
        Assert.That(run.Console, Does.Contain("Test result: SUCCESS"), run.ToString());
        Assert.That(run.Status, Is.Zero, run.ToString());
    }

    [Test]
    public void CountersArePrintedAtShutdownWithLoglvlAll()
    {
        var run = QemuBoot.Boot(Append, "images/out/tiny-bench.elf");
        Assert.That(run.Console, Does.Match(@"bench: vmmcall round trip [1-9]\d* cycles"), run.ToString());
        Assert.That(run.Console, Does.Match(@"\(XEN\) TSC at hypervisor entry \d+, at the guest's first instruction [1-9]\d*"), run.ToString());
        Assert.That(run.Console, Does.Match(@"\(XEN\) VMMCALL exits 2001, exit to next VMRUN avg [1-9]\d* cycles"), run.ToString());
        Assert.That(run.Console, Does.Contain("(XEN)   0x081 2001"), "exit counters by code\n" + run);
        Assert.That(run.Status, Is.Zero, run.ToString());
    }

    [Test]
    public void CountersAreQuietAtTheDefaultLogLevel()
    {
        var run = QemuBoot.Boot("console=com1", "images/out/tiny-ud.elf");
        Assert.That(run.Console, Does.Not.Contain("VMMCALL exits"), run.ToString());
        Assert.That(run.Status, Is.Zero, run.ToString());
    }

    [Test]
    public void UnknownOptionsAreReportedOnceAndIgnored()
    {
        var run = QemuBoot.Boot("console=com1 frobnicate=7 loglvl=all nosuchflag loglvl=loud", "images/out/tiny-ud.elf");
        Assert.That(run.Count("(XEN) parameter \"frobnicate\" unknown!"), Is.EqualTo(1), run.ToString());
        Assert.That(run.Count("(XEN) parameter \"nosuchflag\" unknown!"), Is.EqualTo(1), run.ToString());
        Assert.That(run.Console, Does.Contain("(XEN) parameter \"loglvl\" has invalid value \"loud\", rc=-22!"), run.ToString());
        Assert.That(run.Console, Does.Contain("ud: caught #UD"), "the boot goes on\n" + run);
        Assert.That(run.Status, Is.Zero, run.ToString());
    }

    [Test]
    public void AnInstructionWeDoNotEmulateRaisesUdInTheGuest()
    {
        var run = QemuBoot.Boot(Append, "images/out/tiny-ud.elf");
        Assert.That(run.Console, Does.Contain("(d0) ud: caught #UD at the vmload"), run.ToString());
        Assert.That(run.Console, Does.Contain("(XEN)   0x082 1"), "one VMLOAD exit\n" + run);
        Assert.That(run.Status, Is.Zero, run.ToString());
    }

    [Test]
    public void ATripleFaultDestroysTheDomainWithAReportAndTheHypervisorStopsCleanly()
    {
        var run = QemuBoot.Boot(Append, "images/out/tiny-triple.elf");
        Assert.That(run.Console, Does.Contain("(d0) triple: loading an empty IDT and faulting"), run.ToString());
        Assert.That(run.Console, Does.Contain("Domain 0 (vcpu#0) crashed: triple fault (VMEXIT_SHUTDOWN)"), run.ToString());
        Assert.That(run.Console, Does.Contain("exitcode 0x000000000000007f"), run.ToString());
        Assert.That(run.Console, Does.Contain("Hardware Dom0 crashed: stopping machine"), run.ToString());
        Assert.That(run.Console, Does.Contain("(XEN) machine stops with status 1"), "the hypervisor itself carried on to the end\n" + run);
        Assert.That(run.Status, Is.EqualTo(Stopped), run.ToString());
    }

    [TestCase("not-elf", "not an ELF image (bad magic)")]
    [TestCase("truncated", "truncated")]
    [TestCase("no-entry-note", "no XEN_ELFNOTE_PHYS32_ENTRY note")]
    public void AModuleThatIsNotAGuestIsRefusedByName(string kind, string reason)
    {
        string file = Path.Combine("images", "out", $"invalid-{kind}.elf");
        File.WriteAllBytes(Repo.PathOf(file), InvalidModule(kind));
        var run = QemuBoot.Boot(Append, file);
        Assert.That(run.Console, Does.Contain($"(XEN) d0: refusing module 0 '{file}': "), run.ToString());
        Assert.That(run.Console, Does.Contain(reason), run.ToString());
        Assert.That(run.Console, Does.Contain("(XEN) machine stops with status 1"), run.ToString());
        Assert.That(run.Status, Is.EqualTo(Stopped), run.ToString());
    }

    [Test]
    public void WithoutAModuleTheHypervisorSaysSoAndStops()
    {
        var run = QemuBoot.Boot(Append);
        Assert.That(run.Console, Does.Contain("(XEN) no dom0 kernel"), run.ToString());
        Assert.That(run.Status, Is.EqualTo(Stopped), run.ToString());
    }

    [Test]
    public void AHungBootFailsWithTheConsoleLogInTheMessage()
    {
        // A guest that spins for ever never ends the run: the harness must give up and show what it saw.
        var ex = Assert.Throws<AssertionException>(() => QemuBoot.BootWithTimeout(3000, Append, "images/out/tiny-spin.elf"));
        Assert.That(ex!.Message, Does.Contain("boot did not end within"));
        Assert.That(ex.Message, Does.Contain("console so far").And.Contain("spin: running for ever"));
    }

    static byte[] InvalidModule(string kind)
    {
        byte[] guest = File.ReadAllBytes(Repo.PathOf("images/out/tiny-ud.elf"));
        switch (kind)
        {
            case "not-elf":
                return System.Text.Encoding.ASCII.GetBytes("this is a text file, not a kernel\n");
            case "truncated":
                return guest.AsSpan(0, 40).ToArray();
            default:
                var w = Loader.ElfWriter.Pvh();
                w.Notes.Clear();
                return w.Build();
        }
    }
}

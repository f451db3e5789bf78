using NUnit.Framework;

namespace XenLite.Tests.Images;

/// <summary>
/// A 32-bit PV (compat) dom0 under QEMU: images/guests/pv32/hello.S (ELF32 i386, Xen notes,
/// PAE) is built as pv32, entered in ring 1 on its PAE tables inside the SVM container, prints
/// through console_io via its hypercall page (`int $0x82`, the INTn intercept) and powers off
/// with SCHEDOP_shutdown.
/// </summary>
[Category("image_x86_64")]
[Category("pv32")]
[NonParallelizable]
public class X86Pv32ImageTests
{
    const string Dom0 = "images/out/pv32-hello.elf";

    [Test]
    public void APv32Dom0PrintsThroughInt82AndPowersOff()
    {
        var run = QemuBoot.BootWithTimeout(30_000, "console=com1", Dom0 + " console=hvc0");
        Assert.That(run.Console, Does.Contain("(XEN) d0: PV32 kernel 'images/out/pv32-hello.elf' at 0x00000000c0100000"), run.ToString());
        Assert.That(run.Lines, Does.Contain("XenLite pv32 dom0"), run.ToString());
        Assert.That(run.Lines, Does.Contain("PASS pv32.start_info"), run.ToString());
        Assert.That(run.Lines, Does.Contain("PASS pv32.ring1"), run.ToString());
        Assert.That(run.Console, Does.Not.Contain("FAIL"), run.ToString());
        Assert.That(run.Status, Is.Zero, run.ToString());
    }

    [Test]
    public void AnUnknownSoftwareInterruptCrashesTheDomain()
    {
        var run = QemuBoot.BootWithTimeout(30_000, "console=com1", Dom0 + " int80");
        Assert.That(run.Lines, Does.Contain("pv32: int $0x80 (expecting the domain to crash)"), run.ToString());
        Assert.That(run.Console, Does.Contain("Domain 0 (vcpu#0) crashed: unhandled software interrupt, vector 0x80"), run.ToString());
        Assert.That(run.Console, Does.Not.Contain("FAIL pv32.int80"), run.ToString());
        Assert.That(run.Status, Is.Not.Zero, "the hardware domain crashed");
    }
}

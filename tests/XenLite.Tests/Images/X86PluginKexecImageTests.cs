using NUnit.Framework;

namespace XenLite.Tests.Images;

/// <summary>
/// kexec on the x86_64 image. kexec_op is PV-only in Xen's hypercall table: the PVH kexec dom0
/// (images/guests/KexecDom0) gets -ENOSYS; the PV64 dom0 (images/guests/pv64/kexec.S, run in
/// an SVM container) kexec_loads images/out/tiny-kexec.elf (its start_info module) and
/// kexec_execs it; the handoff (boot/x86_64/hypervisor/Handoff.cs) copies it to 1 MiB over the
/// hypervisor and enters it in 32-bit protected mode; it prints a line on COM1 and powers off.
/// </summary>
[Category("image_x86_64")]
[Category("kexec_op")]
[NonParallelizable]
public class X86PluginKexecImageTests
{
    const string KexecDom0 = "images/out/kexecdom0-x86_64.elf";
    const string PvDom0 = "images/out/pv64-kexec.elf";
    const string Second = "images/out/tiny-kexec.elf";

    [Test]
    public void APvhDom0GetsEnosysFromKexecOpAsInXen()
    {
        // hypercall-defs.c routes kexec_op for PV guests only; our dom0 is PVH.
        var run = QemuBoot.BootWithTimeout(30_000, "console=com1", KexecDom0, Second);
        Assert.That(run.Console, Does.Contain("FAIL kexec.load_module_image: KEXEC_CMD_kexec_load (got -38, expected 0)"), run.ToString());
        Assert.That(run.Console, Does.Not.Contain("kexec: second image running"), run.ToString());
    }

    [Test]
    public void TheLoadedImageReplacesTheHypervisor()
    {
        var run = QemuBoot.BootWithTimeout(30_000, "console=com1", PvDom0 + " console=hvc0", Second);
        Assert.That(run.Console, Does.Contain("(XEN) d0: PV64 kernel 'images/out/pv64-kexec.elf' at 0xffffffff80100000"), run.ToString());
        Assert.That(run.Lines, Does.Contain("XenLite pv64 kexec dom0"), run.ToString());
        Assert.That(run.Lines, Does.Contain("PASS pv64.start_info"), run.ToString());
        Assert.That(run.Lines, Does.Contain("PASS kexec.load_module_image"), run.ToString());
        Assert.That(run.Console, Does.Contain("(XEN) kexec: handing the machine to the image at 0x00100000"), run.ToString());
        Assert.That(run.Console, Does.Contain("kexec: second image running, 32-bit protected mode, powering off"), run.ToString());
        Assert.That(run.Console, Does.Not.Contain("FAIL"), run.ToString());
        Assert.That(run.Status, Is.Zero, run.ToString());
    }

    [Test]
    public void APv64Dom0WithoutAModuleIsTold()
    {
        var run = QemuBoot.BootWithTimeout(30_000, "console=com1", PvDom0);
        Assert.That(run.Lines, Does.Contain("PASS pv64.start_info"), run.ToString());
        Assert.That(run.Lines, Does.Contain("FAIL kexec.load_module_image: no module (start_info mod_len 0)"), run.ToString());
        Assert.That(run.Status, Is.Not.Zero, "dom0 shut down with reason crash");
    }
}

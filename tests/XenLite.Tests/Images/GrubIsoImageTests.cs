using System;
using System.Diagnostics;
using System.IO;
using NUnit.Framework;
using XenLite.Tests.Harness;

namespace XenLite.Tests.Images;

/// <summary>
/// The hypervisor loaded by GRUB 2 (multiboot + module from an ISO, QEMU -cdrom) rather than by
/// QEMU's own Multiboot loader: GRUB places the image, the module and the Multiboot data itself
/// and passes "/boot/xenlite.elf &lt;options&gt;" as the command line.
/// </summary>
[Category("image_x86_64")]
[Category("grub")]
[NonParallelizable]
public class GrubIsoImageTests
{
    string? iso;

    [OneTimeSetUp]
    public void BuildIso() => iso = GrubIso.Build();

    [OneTimeTearDown]
    public void DeleteIso() => GrubIso.Delete(iso);

    [Test]
    public void GrubBootsTheHypervisorWithTheTestGuestAsDom0()
    {
        var run = BootCdrom(iso!, 30_000);
        Assert.That(run.Console, Does.Contain("Booting `XenLite'"), "GRUB ran the menu entry\n" + run);
        Assert.That(run.Console, Does.Contain("(XEN) Command line: console=com1 loglvl=all"), "the image path GRUB puts first is not an option\n" + run);
        Assert.That(run.Console, Does.Contain("(XEN) d0: PVH kernel 'testguest.elf'"), "module 0 is dom0, named by its string\n" + run);
        Assert.That(run.Console, Does.Contain("command line ''"), "dom0 gets the module string less its name\n" + run);
        Assert.That(run.Count("PASS "), Is.GreaterThanOrEqualTo(20), run.ToString());
        Assert.That(run.Count("FAIL "), Is.Zero, run.ToString());
        Assert.That(run.Console, Does.Contain("Test result: SUCCESS"), run.ToString());
        Assert.That(run.Status, Is.Zero, "clean power-off\n" + run);
    }

    /// <summary>QEMU (TCG, SVM + NPT) booting the ISO; COM1 goes to a file so QEMU never touches our stdin.</summary>
    static QemuBoot.Run BootCdrom(string isoPath, int timeoutMs)
    {
        string serial = Path.Combine(Path.GetDirectoryName(isoPath)!, "com1.txt");
        var clock = Stopwatch.StartNew();
        var (code, output) = Repo.Run("qemu-system-x86_64",
            "-accel tcg -cpu qemu64,+svm,+npt -m 256 -display none -monitor none -no-reboot " +
            $"-device isa-debug-exit,iobase=0xf4,iosize=0x04 -serial file:{serial} -cdrom {isoPath}", timeoutMs);
        string console = File.Exists(serial) ? File.ReadAllText(serial) : "";
        if (code == -1) Assert.Fail($"boot did not end within {timeoutMs / 1000} s; console so far:\n{console}");
        return new QemuBoot.Run(code, console + output, clock.Elapsed);
    }
}

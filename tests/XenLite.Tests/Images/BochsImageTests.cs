using NUnit.Framework;
using XenLite.Tests.Harness;

namespace XenLite.Tests.Images;

/// <summary>
/// The GRUB ISO under Bochs 2.7 (images/bochs/run.sh, cpu model "ryzen": SVM + NPT with next-RIP,
/// which QEMU TCG lacks): a second, independent x86 model of the same boot. About 15 s of CPU
/// (1.4 G emulated instructions), so it stays in the default run.
/// </summary>
[Category("image_x86_64")]
[Category("bochs")]
[NonParallelizable]
public class BochsImageTests
{
    string? iso;

    [OneTimeSetUp]
    public void BuildIso() => iso = GrubIso.Build();

    [OneTimeTearDown]
    public void DeleteIso() => GrubIso.Delete(iso);

    [Test]
    public void BochsBootsTheIsoToTheTestGuestsResultAndPowersOff()
    {
        var (code, output) = Repo.Run(Repo.PathOf("images/bochs/run.sh"), iso!, 200_000);
        if (code == 2 && output.Contains("bochs is missing")) Assert.Ignore("bochs is not installed (./build.sh deps)");
        Assert.That(output, Does.Contain("Booting `XenLite'"), output);
        Assert.That(output, Does.Contain("(XEN) d0: PVH kernel 'testguest.elf'"), output);
        Assert.That(output, Does.Not.Contain("FAIL "), output);
        Assert.That(output, Does.Contain("Test result: SUCCESS"), output);
        Assert.That(output, Does.Contain("(XEN) machine stops with status 0"), output);
        Assert.That(output, Does.Contain("bochs/run.sh: SUCCESS"), "the script also saw Bochs power off\n" + output);
        Assert.That(code, Is.Zero, output);
    }
}

/// <summary>
/// The same GRUB ISO under Bochs with an Intel model (corei7_sandy_bridge_2600k: VMX with EPT and
/// unrestricted guest): the hypervisor picks VMX by CPU vendor, enters the PVH test guest in 32-bit
/// protected mode with paging off, and the whole conformance suite runs through VMCALL. About 11 s.
/// </summary>
[Category("image_x86_64")]
[Category("bochs_vmx")]
[Category("vmx")]
[NonParallelizable]
public class BochsVmxImageTests
{
    string? iso;

    [OneTimeSetUp]
    public void BuildIso() => iso = GrubIso.Build();

    [OneTimeTearDown]
    public void DeleteIso() => GrubIso.Delete(iso);

    [Test]
    public void BochsWithVmxBootsTheIsoToTheTestGuestsResultAndPowersOff()
    {
        var (code, output) = Repo.Run(Repo.PathOf("images/bochs/run.sh"), iso! + " corei7_sandy_bridge_2600k", 200_000);
        if (code == 2 && output.Contains("bochs is missing")) Assert.Ignore("bochs is not installed (./build.sh deps)");
        Assert.That(output, Does.Contain("(XEN) HVM: VMX enabled (Intel)"), output);
        Assert.That(output, Does.Not.Contain("HVM: SVM"), output);
        Assert.That(output, Does.Contain("(XEN) d0: PVH kernel 'testguest.elf'"), output);
        Assert.That(output, Does.Not.Contain("FAIL "), output);
        Assert.That(output, Does.Contain("PASS xen_version."), "64-bit hypercalls (the guest reached long mode)\n" + output);
        Assert.That(output, Does.Contain("PASS hvm32."), "32-bit hypercalls from compatibility mode\n" + output);
        Assert.That(output, Does.Contain("Test result: SUCCESS"), output);
        Assert.That(output, Does.Contain("(XEN) machine stops with status 0"), output);
        Assert.That(output, Does.Contain("bochs/run.sh: SUCCESS"), "the script also saw Bochs power off\n" + output);
        Assert.That(code, Is.Zero, output);
    }

    /// <summary>
    /// The tiny benchpage guest: its hypercall page, written by the hypervisor on a real (emulated)
    /// Intel CPU, holds vmcall stubs; 2000 calls through slot 17 and the power-off through slot 29
    /// work. About 7 s; the round-trip figure is in docs/performance.md.
    /// </summary>
    [Test]
    public void TheHypercallPageUnderVmxHoldsVmcallStubsThatWork()
    {
        string benchIso = GrubIso.Build("images/out/tiny-benchpage.elf");
        try
        {
            var (code, output) = Repo.Run(Repo.PathOf("images/bochs/run.sh"), benchIso + " corei7_sandy_bridge_2600k", 120_000);
            if (code == 2 && output.Contains("bochs is missing")) Assert.Ignore("bochs is not installed (./build.sh deps)");
            Assert.That(output, Does.Contain("(d0) bench: hypercall page stubs use vmcall"), output);
            Assert.That(output, Does.Match(@"\(d0\) bench: hypercall-page round trip \d+ cycles"), output);
            Assert.That(output, Does.Contain("(XEN) VMMCALL exits 2001"), "2000 timed calls and the power-off, all VMCALL exits\n" + output);
            Assert.That(output, Does.Contain("(XEN) machine stops with status 0"), output);
        }
        finally
        {
            GrubIso.Delete(benchIso);
        }
    }
}

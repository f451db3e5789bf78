using System;
using System.IO;
using System.Linq;
using NUnit.Framework;
using XenLite.Tests.Harness;

namespace XenLite.Tests.Images;

/// <summary>
/// The arm64 hypervisor image (hv/ + boot/arm64/hypervisor) booted in qemu-system-aarch64 at EL2
/// under GICv2 and GICv3, with the C# conformance guest as the initial domain (QEMU -initrd) or
/// as dom0less domains. QEMU status: 0 = PSCI SYSTEM_OFF after a clean end, 3 = the hypervisor
/// stopped with a non-zero status (semihosting), 5/7 = the hypervisor itself panicked or faulted.
/// </summary>
[Category("image_arm64")]
[NonParallelizable]
public class Arm64HvImageTests
{
    // No embedded guest (images/bare.json): dom0 comes from -initrd and domUs from the device tree, as with Xen.
    const string Hypervisor = "images/out/xenlite-arm64-bare.bin";
    const string TestGuest = "images/out/testguest-arm64.bin";
    const string Append = "console=dtuart loglvl=all";
    const int Stopped = 3;

    static (int Status, string Console) Boot(int gic, string extra, string append = Append)
    {
        foreach (var f in new[] { Hypervisor, TestGuest })
            if (!File.Exists(Repo.PathOf(f))) Assert.Fail($"{f} is missing: build it with ./build.sh image --arch arm64 (./build.sh test does)");
        if (!File.Exists("/usr/bin/qemu-system-aarch64")) Assert.Ignore("qemu-system-aarch64 is not installed (./build.sh deps)");
        string args = $"-M virt,virtualization=on,gic-version={gic} -cpu max -m 1024 -display none -serial stdio -monitor none "
            + $"-no-reboot -semihosting -kernel {Hypervisor} {extra} -append \"{append}\"";
        var (code, output) = Repo.Run("qemu-system-aarch64", args, timeoutMs: 120_000);
        Assert.That(code, Is.Not.EqualTo(-1), "QEMU did not finish in 120 s:\n" + output);
        return (code, output.Replace("\r", ""));
    }

    static int Count(string console, string prefix) => console.Split('\n').Count(l => l.StartsWith(prefix, StringComparison.Ordinal));

    [TestCase(2)]
    [TestCase(3)]
    public void TestGuestPassesAsTheInitialDomain(int gic)
    {
        var (status, console) = Boot(gic, $"-initrd {TestGuest}");
        Assert.That(console, Does.Contain("(XEN) Xen version 4.22"), console);
        Assert.That(console, Does.Contain($"(XEN) GICv{gic} with "), console);
        Assert.That(console, Does.Contain("(XEN) d0: arm64 Image 'initrd' entry 0x40080000"), console);
        Assert.That(console, Does.Contain("running as the hardware domain"), console);
        Assert.That(Count(console, "PASS "), Is.GreaterThanOrEqualTo(20), console);
        Assert.That(Count(console, "PASS arm."), Is.GreaterThanOrEqualTo(10), console);
        Assert.That(Count(console, "FAIL "), Is.Zero, console);
        Assert.That(console, Does.Contain("Test result: SUCCESS"), console);
        Assert.That(console, Does.Contain("(XEN) DOM0: vpl011: hello from the guest"), "vpl011 output, prefixed by the domain\n" + console);
        Assert.That(console, Does.Contain("(XEN) machine stops with status 0"), console);
        Assert.That(status, Is.Zero, console);
    }

    [TestCase(2)]
    [TestCase(3)]
    public void AWrongHvcImmediateAndAnUnmappedIpaAreInjectedAndTheHypervisorStaysUp(int gic)
    {
        var (status, console) = Boot(gic, $"-initrd {TestGuest}");
        Assert.That(console, Does.Contain("PASS arm.hvc_wrong_immediate_undefined"), console);
        Assert.That(console, Does.Contain("PASS arm.unmapped_ipa_data_abort"), console);
        Assert.That(console, Does.Contain("PASS arm.vtimer_interrupt_ppi27"), "the guest's timer arrives through the vGIC\n" + console);
        Assert.That(console, Does.Match(@"\(XEN\)   0x16 [1-9]\d*"), "HVC exits counted\n" + console);
        Assert.That(console, Does.Match(@"\(XEN\)   0x24 [1-9]\d*"), "stage-2 data aborts counted\n" + console);
        Assert.That(console, Does.Not.Contain("*** XenLite"), "no hypervisor crash report\n" + console);
        Assert.That(status, Is.Zero, console);
    }

    [Test]
    public void CountersArePrintedAtShutdownWithLoglvlAll()
    {
        var (status, console) = Boot(3, $"-initrd {TestGuest}");
        Assert.That(console, Does.Match(@"\(XEN\) counter at hypervisor entry \d+, at the guest's first instruction [1-9]\d* \(\+\d+ ticks, \d+ us\)"), console);
        Assert.That(console, Does.Match(@"\(XEN\) HVC exits [1-9]\d*, exit to next entry avg [1-9]\d* ticks"), console);
        Assert.That(status, Is.Zero, console);
    }

    [Test]
    public void AnInvalidImageIsRefusedByNameAndTheHypervisorStopsCleanly()
    {
        string file = Path.Combine("images", "out", "invalid-arm64-image.bin");
        File.WriteAllText(Repo.PathOf(file), "this is a text file, not a kernel; long enough for a 64-byte header.\n");
        var (status, console) = Boot(3, $"-initrd {file}");
        Assert.That(console, Does.Contain("(XEN) d0: refusing 'initrd': not an arm64 Image (no \"ARM\\x64\" magic) and not an ELF image"), console);
        Assert.That(console, Does.Contain("(XEN) no domain to run"), console);
        Assert.That(console, Does.Not.Contain("*** XenLite"), console);
        Assert.That(status, Is.EqualTo(Stopped), console);
    }

    [Test]
    public void UnknownOptionsAreReportedAndIgnored()
    {
        var (status, console) = Boot(3, $"-initrd {TestGuest}", "console=dtuart frobnicate=7 loglvl=loud");
        Assert.That(console, Does.Contain("(XEN) parameter \"frobnicate\" unknown!"), console);
        Assert.That(console, Does.Contain("(XEN) parameter \"loglvl\" has invalid value \"loud\", rc=-22!"), console);
        Assert.That(console, Does.Contain("Test result: SUCCESS"), console);
        Assert.That(status, Is.Zero, console);
    }

    [TestCase(2)]
    [TestCase(3)]
    public void Dom0lessDomainsRunSideBySideAndABadOneIsRefused(int gic)
    {
        string dtb = Dom0lessTree(gic, 0x5000_0000, new FileInfo(Repo.PathOf(TestGuest)).Length);
        var (status, console) = Boot(gic, $"-dtb {dtb} -device loader,file={TestGuest},addr=0x50000000,force-raw=on");
        Assert.That(console, Does.Contain("(XEN) d1: arm64 Image 'domU1'"), console);
        Assert.That(console, Does.Contain("(XEN) d2: arm64 Image 'domU2'"), console);
        Assert.That(console, Does.Contain("(XEN) d3: refusing 'domU3': "), console);
        Assert.That(console, Does.Contain("(XEN) DOM1: running as an unprivileged domain"), console);
        Assert.That(console, Does.Contain("(XEN) DOM1: Test result: SUCCESS"), console);
        Assert.That(console, Does.Contain("(XEN) DOM2: Test result: SUCCESS"), console);
        Assert.That(Count(console, "(XEN) DOM1: PASS "), Is.GreaterThanOrEqualTo(20), console);
        Assert.That(console, Does.Not.Contain(": FAIL "), console);
        Assert.That(console, Does.Contain("(XEN) machine stops with status 0"), "the last domain's shutdown powers off\n" + console);
        Assert.That(status, Is.Zero, console);
    }

    /// <summary>QEMU's own tree plus /chosen/domU1 and domU2 (the test guest at <paramref name="kernel"/>) and domU3 without a kernel.</summary>
    static string Dom0lessTree(int gic, ulong kernel, long size)
    {
        string dir = Path.Combine(Path.GetTempPath(), "xenlite-arm64hv-" + Environment.ProcessId);
        Directory.CreateDirectory(dir);
        string qemu = Path.Combine(dir, $"virt-gic{gic}.dtb"), dts = Path.Combine(dir, $"dom0less{gic}.dts"), dtb = Path.Combine(dir, $"dom0less{gic}.dtb");
        var (qc, qo) = Repo.Run("qemu-system-aarch64", $"-M virt,virtualization=on,gic-version={gic},dumpdtb={qemu} -cpu max -m 1024 -nographic");
        Assert.That(qc, Is.EqualTo(0), qo);
        var (dc, source) = Repo.Run("dtc", $"-q -I dtb -O dts {qemu}");
        Assert.That(dc, Is.EqualTo(0), source);
        string Domain(string name, bool withKernel) =>
            $"{name} {{\n compatible = \"xen,domain\";\n #address-cells = <2>;\n #size-cells = <2>;\n memory = <0 0x8000>;\n cpus = <1>;\n vpl011;\n"
            + (withKernel
                ? $" module@{kernel:x} {{\n compatible = \"multiboot,kernel\", \"multiboot,module\";\n reg = <0 0x{kernel:x} 0 0x{size:x}>;\n bootargs = \"{name}\";\n }};\n"
                : "")
            + "};\n";
        string nodes = "#address-cells = <1>;\n#size-cells = <1>;\n" + Domain("domU1", true) + Domain("domU2", true) + Domain("domU3", false);
        int chosen = source.IndexOf("\tchosen {", StringComparison.Ordinal);
        Assert.That(chosen, Is.GreaterThan(0));
        source = source.Insert(source.IndexOf("\n\t};", chosen, StringComparison.Ordinal) + 1, nodes);
        File.WriteAllText(dts, source);
        var (cc, co) = Repo.Run("dtc", $"-q -I dts -O dtb -o {dtb} {dts}");
        Assert.That(cc, Is.EqualTo(0), co);
        return dtb;
    }
}

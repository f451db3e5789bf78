using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using NUnit.Framework;
using XenLite.Tests.Harness;

namespace XenLite.Tests.Images.Arm64;

/// <summary>
/// The arm64 boot image (boot/arm64 + demo) built once with build-image.sh and booted in
/// qemu-system-aarch64 at EL2: console output and exit statuses (PSCI SYSTEM_OFF = 0,
/// semihosting exit = 3/5/7/9) are the contract boot/README.md documents.
/// </summary>
[Category("arm64-image")]
[NonParallelizable]
public class Arm64ImageTests
{
    static string s_dir = "", s_elf = "", s_bin = "";

    [OneTimeSetUp]
    public void BuildImage()
    {
        foreach (var tool in new[] { "qemu-system-aarch64", "clang", "ld.lld", "dtc" })
            if (!OnPath(tool)) Assert.Ignore($"{tool} is not installed (./build.sh deps)");
        s_dir = Path.Combine(Path.GetTempPath(), "xenlite-arm64-image-" + Environment.ProcessId);
        s_elf = Path.Combine(s_dir, "xenlite-arm64.elf");
        s_bin = Path.Combine(s_dir, "xenlite-arm64.bin");
        var (code, output) = Repo.Run("bash", $"boot/build-image.sh image arm64 {s_elf}");
        Assert.That(code, Is.EqualTo(0), "build-image.sh image arm64 failed:\n" + output);
        Assert.That(File.Exists(s_bin), "no flat Image next to the ELF:\n" + output);
    }

    static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, tool)));

    static (int Code, string Output) Boot(string extra, string kernel = "", string machine = "virt,virtualization=on", string cpu = "cortex-a57", bool semihosting = true)
    {
        string args = $"-M {machine} -cpu {cpu} -m 512 -nographic -no-reboot -kernel {(kernel == "" ? s_bin : kernel)} "
            + (semihosting ? "-semihosting " : "") + extra;
        return Repo.Run("qemu-system-aarch64", args, timeoutMs: 60_000);
    }

    [Test]
    public void FlatImageStartsWithTheArm64ImageHeader()
    {
        byte[] h = File.ReadAllBytes(s_bin).Take(64).ToArray();
        Assert.That(BitConverter.ToUInt32(h, 56), Is.EqualTo(0x644d5241), "magic \"ARM\\x64\" at offset 56");
        Assert.That(BitConverter.ToUInt64(h, 8), Is.EqualTo(0x200000UL), "text_offset (link.ld: RAM base + 2 MiB)");
        Assert.That(BitConverter.ToUInt64(h, 16), Is.GreaterThan((ulong)new FileInfo(s_bin).Length), "image_size includes .bss");
        Assert.That(h[3], Is.EqualTo(0x14), "code0 is a branch");
    }

    [TestCase(2, "cortex-a57")]
    [TestCase(2, "max")]
    [TestCase(3, "cortex-a57")]
    [TestCase(3, "max")]
    public void BootsAtEl2AndDescribesThePlatform(int gic, string cpu)
    {
        var (code, output) = Boot("-append \"console=dtuart loglvl=all\"", machine: $"virt,virtualization=on,gic-version={gic}", cpu: cpu);
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Does.StartWith("XenLite arm64"), output);
        Assert.That(output, Does.Contain("; EL2, MIDR"));
        Assert.That(output, Does.Contain("cmdline: console=dtuart loglvl=all"));
        Assert.That(output, Does.Contain("uart 0x09000000, psci smc"));
        Assert.That(output, Does.Contain("ram      0x40000000-0x60000000"));
        Assert.That(output, Does.Contain("timer: 62500000 Hz, PPI INTIDs phys 30 virt 27 hyp 26 secure 29"));
        Assert.That(output, gic == 2
            ? Does.Contain("gic: v2 dist 0x08000000-0x08010000 cpu 0x08010000-0x08020000 gich 0x08030000-0x08040000 gicv 0x08040000-0x08050000 maint 25")
            : Does.Contain("gic: v3 dist 0x08000000-0x08010000 redist 0x080a0000-0x09000000 maint 25"));
        Assert.That(output, Does.Contain("XenLite demo done: powering off"));
    }

    [Test]
    public void ElfBootsWithTheDeviceTreeQemuPutsAtTheRamBase()
    {
        var (code, output) = Boot("-append \"from elf\"", kernel: s_elf);
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("cmdline: from elf"));
        Assert.That(output, Does.Contain("dtb: 0x40000000-"));
    }

    [Test]
    public void InitrdRangeComesFromChosenAndIsKeptOutOfTheHeap()
    {
        string initrd = Path.Combine(s_dir, "initrd.bin");
        File.WriteAllBytes(initrd, new byte[12345]);
        var (code, output) = Boot($"-initrd {initrd}");
        Assert.That(code, Is.EqualTo(0), output);
        var m = Regex.Match(output, @"initrd: 0x([0-9a-f]+)-0x([0-9a-f]+) \(12345 bytes\)");
        Assert.That(m.Success, output);
        Assert.That(output, Does.Contain($"reserved 0x{m.Groups[1].Value}-0x{m.Groups[2].Value}"));
        var heap = Regex.Match(output, @"heap 0x([0-9a-f]+)-0x([0-9a-f]+)");
        ulong hs = Convert.ToUInt64(heap.Groups[1].Value, 16), he = Convert.ToUInt64(heap.Groups[2].Value, 16);
        ulong rs = Convert.ToUInt64(m.Groups[1].Value, 16), re = Convert.ToUInt64(m.Groups[2].Value, 16);
        Assert.That(he <= rs || hs >= re, "heap overlaps the initrd:\n" + output);
    }

    [Test]
    public void RuntimeSelfTestPasses()
    {
        var (code, output) = Boot("-append \"xenlite.selftest=runtime\"");
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("selftest: 0 failures: SUCCESS"));
        Assert.That(Regex.Matches(output, "^PASS ", RegexOptions.Multiline).Count, Is.GreaterThanOrEqualTo(30));
        Assert.That(output, Does.Not.Contain("FAIL "));
    }

    [Test]
    public void DeviceTreeReaderRefusesEveryDamagedTree()
    {
        var (code, output) = Boot("-append \"xenlite.selftest=fdt\"");
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(Regex.Matches(output, "^PASS fdt\\.", RegexOptions.Multiline).Count, Is.EqualTo(20), output);
        Assert.That(output, Does.Not.Contain("FAIL "));
    }

    [Test]
    public void HandledExceptionsResumeWithEditedRegisters()
    {
        var (code, output) = Boot("-append \"xenlite.selftest=traps\"");
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("PASS trap.hvc-handled-and-resumed"));
        Assert.That(output, Does.Contain("PASS trap.hvc-1000-round-trips"));
        Assert.That(output, Does.Contain("PASS trap.brk-stepped-over"));
        Assert.That(output, Does.Not.Contain("FAIL "));
    }

    [Test]
    public void NullWriteGivesACrashReportAndStatus7()
    {
        var (code, output) = Boot("-append \"xenlite.selftest=fault\"");
        Assert.That(code, Is.EqualTo(7), output);
        Assert.That(output, Does.Contain("*** XenLite EL2 exception: synchronous from EL2 on SP_EL0"));
        Assert.That(output, Does.Contain("class 0x25: data abort at EL2, translation fault (unmapped)"));
        Assert.That(output, Does.Contain("(a null pointer dereference)"));
        Assert.That(output, Does.Match(@"esr\s+0x[0-9a-f]{16}\s+far\s+0x0{16}\s+elr\s+0x[0-9a-f]{16}\s+spsr"));
        Assert.That(output, Does.Contain("x30"));
        Assert.That(output, Does.Contain("trail (innermost first):"));
        Assert.That(output, Does.Contain("*** stopping: exit status 7 ***"));
    }

    [TestCase("udf", "class 0x00: unknown reason")]
    [TestCase("brk", "class 0x3c: BRK instruction")]
    [TestCase("overflow", "(a fault on the stack guard page")]
    public void OtherExceptionsAreReported(string mode, string expected)
    {
        var (code, output) = Boot($"-append \"xenlite.selftest={mode}\"");
        Assert.That(code, Is.EqualTo(7), output);
        Assert.That(output, Does.Contain(expected));
    }

    [Test]
    public void RuntimePanicStopsWithStatus5()
    {
        var (code, output) = Boot("-append \"xenlite.selftest=panic\"");
        Assert.That(code, Is.EqualTo(5), output);
        Assert.That(output, Does.Contain("*** XenLite panic: index out of range ***"));
    }

    [Test]
    public void WithoutSemihostingAFailureIsPrintedAndQemuStillExits()
    {
        var (code, output) = Boot("-append \"xenlite.selftest=fault\"", semihosting: false);
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("no semihosting (run QEMU with -semihosting for exit status 7)"));
    }

    [Test]
    public void NotAtEl2IsRefusedWithAMessage()
    {
        var (code, output) = Boot("", machine: "virt");
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("XenLite: entered at EL1, needs EL2"));
    }

    // QEMU's own tree plus dom0less nodes, compiled with dtc.
    static string DeviceTreeWith(string name, string chosenExtra, string rootExtra = "")
    {
        string dtb = Path.Combine(s_dir, name + ".dtb"), dts = Path.Combine(s_dir, name + ".dts");
        string qemuDtb = Path.Combine(s_dir, "qemu-virt.dtb");
        if (!File.Exists(qemuDtb))
        {
            var (qc, qo) = Repo.Run("qemu-system-aarch64", $"-M virt,virtualization=on,dumpdtb={qemuDtb} -cpu cortex-a57 -m 512 -nographic");
            Assert.That(qc, Is.EqualTo(0), qo);
        }
        var (dc, source) = Repo.Run("dtc", $"-q -I dtb -O dts {qemuDtb}");
        Assert.That(dc, Is.EqualTo(0), source);
        int chosen = source.IndexOf("\tchosen {", StringComparison.Ordinal);
        Assert.That(chosen, Is.GreaterThan(0));
        source = source.Insert(source.IndexOf("\n\t};", chosen, StringComparison.Ordinal) + 1, chosenExtra);   // after its properties
        int last = source.LastIndexOf("};", StringComparison.Ordinal);
        source = source.Insert(last, rootExtra);
        File.WriteAllText(dts, source);
        var (cc, co) = Repo.Run("dtc", $"-q -I dts -O dtb -o {dtb} {dts}");
        Assert.That(cc, Is.EqualTo(0), co);
        return dtb;
    }

    [Test]
    public void Dom0lessDomainsAreParsedAndIncompleteOnesFlagged()
    {
        string dtb = DeviceTreeWith("dom0less", """
            #address-cells = <1>;
            #size-cells = <1>;
            domU1 {
                compatible = "xen,domain";
                #address-cells = <2>;
                #size-cells = <2>;
                memory = <0 0x20000>;
                cpus = <2>;
                vpl011;
                module@4a000000 {
                    compatible = "multiboot,kernel", "multiboot,module";
                    reg = <0 0x4a000000 0 0x800000>;
                    bootargs = "console=ttyAMA0";
                };
                module@4b000000 {
                    compatible = "multiboot,ramdisk", "multiboot,module";
                    reg = <0 0x4b000000 0 0x100000>;
                };
            };
            domU2 {
                compatible = "xen,domain";
                #address-cells = <1>;
                #size-cells = <1>;
                memory = <0x10000>;
            };
            other {
                compatible = "vendor,thing";
            };
""");
        var (code, output) = Boot($"-dtb {dtb}");
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("dom0less domains: 2"));
        Assert.That(output, Does.Contain("domU1: memory 131072 KiB, cpus 2, vpl011"));
        Assert.That(output, Does.Not.Contain("vpl011, REFUSED"), "domU1 is complete");
        Assert.That(output, Does.Contain("module@4a000000 kernel 0x4a000000-0x4a800000 bootargs 'console=ttyAMA0'"));
        Assert.That(output, Does.Contain("module@4b000000 ramdisk 0x4b000000-0x4b100000"));
        Assert.That(output, Does.Contain("domU2: memory 65536 KiB, cpus 1, REFUSED: no multiboot,kernel module"));
        Assert.That(output, Does.Contain("reserved 0x4a000000-0x4a800000"), "modules are kept out of the heap");
    }

    [Test]
    public void MalformedDeviceTreeGivesAConsoleMessageAndStatus9()
    {
        // Nested deeper than the reader accepts, after the nodes QEMU itself edits.
        string deep = string.Concat(Enumerable.Range(0, 20).Select(i => $"n{i} {{\n")) + string.Concat(Enumerable.Repeat("};\n", 20));
        string dtb = DeviceTreeWith("too-deep", "", deep);
        var (code, output) = Boot($"-dtb {dtb}");
        Assert.That(code, Is.EqualTo(9), output);
        Assert.That(output, Does.Match(@"XenLite: unusable device tree at 0x[0-9a-f]+: nodes nested too deeply"));
    }
}

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using NUnit.Framework;
using XenLite.Hv.Arch.Arm64;

namespace XenLite.Tests.Arch.Arm64;

/// <summary>The FDT writer and the device tree a guest boots with (as Xen's domain builder shapes it).</summary>
[Category("fdt")]
public unsafe class GuestDeviceTreeTests
{
    /// <summary>A parsed blob: "/path/prop" → value bytes.</summary>
    internal static Dictionary<string, byte[]> Parse(byte[] blob)
    {
        uint Be(int o) => (uint)(blob[o] << 24 | blob[o + 1] << 16 | blob[o + 2] << 8 | blob[o + 3]);
        Assert.That(Be(0), Is.EqualTo(0xD00DFEEDu), "magic");
        Assert.That(Be(4), Is.EqualTo((uint)blob.Length), "totalsize");
        Assert.That(Be(20), Is.EqualTo(17u), "version");
        Assert.That(Be(24), Is.EqualTo(16u), "last compatible version");
        int str = (int)Be(12), p = (int)Be(8);
        var props = new Dictionary<string, byte[]>();
        var path = new Stack<string>();
        while (true)
        {
            uint token = Be(p);
            p += 4;
            if (token == 1)
            {
                int end = Array.IndexOf(blob, (byte)0, p);
                path.Push(Encoding.ASCII.GetString(blob, p, end - p));
                props[Path(path)] = Array.Empty<byte>();
                p = (end + 4) & ~3;
            }
            else if (token == 2) path.Pop();
            else if (token == 3)
            {
                int len = (int)Be(p), nameOff = (int)Be(p + 4);
                int nameEnd = Array.IndexOf(blob, (byte)0, str + nameOff);
                string name = Encoding.ASCII.GetString(blob, str + nameOff, nameEnd - str - nameOff);
                props[Path(path) + "/" + name] = blob.AsSpan(p + 8, len).ToArray();
                p = (p + 8 + len + 3) & ~3;
            }
            else if (token == 9) break;
            else Assert.Fail($"bad token {token}");
        }
        Assert.That(path, Is.Empty, "nodes balanced");
        return props;
    }

    static string Path(Stack<string> s)
    {
        var parts = s.ToArray();
        Array.Reverse(parts);
        return string.Join("/", parts);
    }

    static byte[] Build(int gic, bool vpl011, string bootargs = "root=/dev/ram", ulong initrd = 0, int vcpus = 1, HostPci pci = default)
    {
        byte[] args = Encoding.ASCII.GetBytes(bootargs);
        var blob = new byte[65536];
        int n;
        fixed (byte* a = args)
        fixed (byte* b = blob)
        {
            var cfg = new GuestTreeConfig
            {
                GicVersion = gic, Vcpus = vcpus, RamSize = 64UL << 20, Vpl011 = vpl011, Bootargs = a, BootargsLength = args.Length,
                InitrdStart = initrd, InitrdEnd = initrd == 0 ? 0 : initrd + 0x1000, Pci = pci,
            };
            n = GuestDeviceTree.Build(cfg, b, blob.Length);
        }
        Assert.That(n, Is.GreaterThan(0));
        return blob.AsSpan(0, n).ToArray();
    }

    static string Str(byte[] v) => Encoding.ASCII.GetString(v).Replace('\0', '|');

    static ulong[] Cells64(byte[] v)
    {
        var r = new ulong[v.Length / 8];
        for (int i = 0; i < r.Length; i++)
            r[i] = (ulong)(v[8 * i] << 24 | v[8 * i + 1] << 16 | v[8 * i + 2] << 8 | v[8 * i + 3]) << 32
                 | (uint)(v[8 * i + 4] << 24 | v[8 * i + 5] << 16 | v[8 * i + 6] << 8 | v[8 * i + 7]);
        return r;
    }

    static uint[] Cells32(byte[] v)
    {
        var r = new uint[v.Length / 4];
        for (int i = 0; i < r.Length; i++) r[i] = (uint)(v[4 * i] << 24 | v[4 * i + 1] << 16 | v[4 * i + 2] << 8 | v[4 * i + 3]);
        return r;
    }

    [Test]
    public void TheHypervisorNodeNamesXenWithTheGrantTableAndTheEventPpi()
    {
        var p = Parse(Build(3, true));
        Assert.That(Str(p["/hypervisor/compatible"]), Is.EqualTo("xen,xen-4.22|xen,xen|"));
        Assert.That(Cells64(p["/hypervisor/reg"]), Is.EqualTo(new[] { 0x3800_0000UL, 0x0100_0000UL }));
        Assert.That(Cells32(p["/hypervisor/interrupts"]), Is.EqualTo(new uint[] { 1, 15, 0xF08 }), "PPI 15 = INTID 31");
    }

    [Test]
    public void MemoryCpusTimerPsciAndChosen()
    {
        var p = Parse(Build(3, true, "console=hvc0", initrd: 0x4400_0000, vcpus: 2));
        Assert.That(Cells64(p["/memory@40000000/reg"]), Is.EqualTo(new[] { 0x4000_0000UL, 64UL << 20 }));
        Assert.That(Str(p["/memory@40000000/device_type"]), Is.EqualTo("memory|"));
        Assert.That(p.ContainsKey("/cpus/cpu@1/reg"), Is.True);
        Assert.That(Str(p["/cpus/cpu@0/enable-method"]), Is.EqualTo("psci|"));
        Assert.That(Str(p["/psci/method"]), Is.EqualTo("hvc|"));
        Assert.That(Cells32(p["/timer/interrupts"]), Is.EqualTo(new uint[] { 1, 13, 0xF08, 1, 14, 0xF08, 1, 11, 0xF08, 1, 10, 0xF08 }));
        Assert.That(Str(p["/chosen/bootargs"]), Is.EqualTo("console=hvc0|"));
        Assert.That(Cells64(p["/chosen/linux,initrd-start"]), Is.EqualTo(new[] { 0x4400_0000UL }));
        Assert.That(Cells64(p["/chosen/linux,initrd-end"]), Is.EqualTo(new[] { 0x4400_1000UL }));
    }

    [Test]
    public void TheGicFollowsTheHostVersionAtXensGuestBases()
    {
        var v3 = Parse(Build(3, false, vcpus: 2));
        Assert.That(Str(v3["/interrupt-controller@3001000/compatible"]), Is.EqualTo("arm,gic-v3|"));
        Assert.That(Cells64(v3["/interrupt-controller@3001000/reg"]), Is.EqualTo(new[] { 0x0300_1000UL, 0x1_0000UL, 0x0302_0000UL, 0x4_0000UL }));
        Assert.That(Cells32(v3["/interrupt-parent"]), Is.EqualTo(new uint[] { 65000 }));
        Assert.That(Cells32(v3["/interrupt-controller@3001000/phandle"]), Is.EqualTo(new uint[] { 65000 }));
        var v2 = Parse(Build(2, false));
        Assert.That(Str(v2["/interrupt-controller@3001000/compatible"]), Is.EqualTo("arm,gic-400|"));
        Assert.That(Cells64(v2["/interrupt-controller@3001000/reg"]), Is.EqualTo(new[] { 0x0300_1000UL, 0x1000UL, 0x0300_2000UL, 0x2000UL }));
    }

    [Test]
    public void TheHardwareDomainsPciBridgeIsBusZeroAtXensVpciEcamBaseWithTheIoWindowOneToOne()
    {
        var p = Parse(Build(3, true, pci: new HostPci { EcamBase = 0x40_1000_0000, IoBase = 0x3eff_0000, IoSize = 0x1_0000 }));
        Assert.That(Str(p["/pcie@10000000/compatible"]), Is.EqualTo("pci-host-ecam-generic|"));
        Assert.That(Str(p["/pcie@10000000/device_type"]), Is.EqualTo("pci|"));
        Assert.That(Cells32(p["/pcie@10000000/#address-cells"]), Is.EqualTo(new uint[] { 3 }));
        Assert.That(Cells32(p["/pcie@10000000/#size-cells"]), Is.EqualTo(new uint[] { 2 }));
        Assert.That(Cells64(p["/pcie@10000000/reg"]), Is.EqualTo(new[] { 0x1000_0000UL, 0x10_0000UL }), "bus 0's 1 MiB of configuration space");
        Assert.That(Cells32(p["/pcie@10000000/bus-range"]), Is.EqualTo(new uint[] { 0, 0 }));
        Assert.That(Cells32(p["/pcie@10000000/ranges"]), Is.EqualTo(new uint[] { 0x0100_0000, 0, 0, 0, 0x3eff_0000, 0, 0x1_0000 }),
            "PCI I/O space from 0 at the host's window");
        Assert.That(Parse(Build(3, true)).Keys, Has.None.StartsWith("/pcie"), "no bridge without one");
    }

    [Test]
    public void TheUartIsThereOnlyWithVpl011()
    {
        var with = Parse(Build(3, true));
        Assert.That(Str(with["/sbsa-uart@22000000/compatible"]), Is.EqualTo("arm,sbsa-uart|"));
        Assert.That(Cells32(with["/sbsa-uart@22000000/interrupts"]), Is.EqualTo(new uint[] { 0, 0, 4 }), "SPI 0 = INTID 32");
        Assert.That(Str(with["/chosen/stdout-path"]), Is.EqualTo("/sbsa-uart@22000000|"));
        var without = Parse(Build(3, false));
        Assert.That(without.ContainsKey("/sbsa-uart@22000000"), Is.False);
        Assert.That(without.ContainsKey("/chosen/linux,initrd-start"), Is.False);
    }

    [Test]
    public void DtcReadsIt()
    {
        if (!File.Exists("/usr/bin/dtc")) Assert.Ignore("dtc is not installed");
        string file = System.IO.Path.GetTempFileName();
        File.WriteAllBytes(file, Build(3, true));
        var psi = new ProcessStartInfo("dtc", $"-I dtb -O dts {file}") { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        string dts = p.StandardOutput.ReadToEnd();
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        File.Delete(file);
        Assert.That(p.ExitCode, Is.Zero, err);
        Assert.That(dts, Does.Contain("compatible = \"xen,xen-4.22\\0xen,xen\";").Or.Contain("compatible = \"xen,xen-4.22\", \"xen,xen\";"), dts);
    }

    [Test]
    public void PropertyNamesAreStoredOnce()
    {
        byte[] blob = Build(3, true, vcpus: 4);
        uint size = (uint)(blob[32] << 24 | blob[33] << 16 | blob[34] << 8 | blob[35]);
        string strings = Encoding.ASCII.GetString(blob, blob.Length - (int)size, (int)size);
        Assert.That(strings.Split('\0'), Is.Unique);
    }

    [Test]
    public void OverflowAndUnbalancedNodesFailTheFinish()
    {
        var small = new FdtWriter(64, 64);
        small.Begin(""u8);
        for (int i = 0; i < 20; i++) small.U32("x"u8, 1);
        small.End();
        var out1 = new byte[4096];
        fixed (byte* o = out1) Assert.That(small.Finish(o, out1.Length), Is.EqualTo(-1));
        Assert.That(small.Overflowed, Is.True);
        var open = new FdtWriter();
        open.Begin(""u8);
        fixed (byte* o = out1) Assert.That(open.Finish(o, out1.Length), Is.EqualTo(-1));
        var ok = new FdtWriter();
        ok.Begin(""u8);
        ok.End();
        fixed (byte* o = out1) Assert.That(ok.Finish(o, 10), Is.EqualTo(-1), "output too small");
    }
}

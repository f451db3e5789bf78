using System;
using XenLite.Hv.Common;

namespace XenLite.Hv.Arch.Arm64;

/// <summary>What a guest's device tree describes.</summary>
public unsafe struct GuestTreeConfig
{
    public int GicVersion;
    public int Vcpus;
    public ulong RamSize;
    public bool Vpl011;
    public byte* Bootargs;
    public int BootargsLength;
    /// <summary>Guest-physical [start, end) of the ramdisk; 0/0 when there is none.</summary>
    public ulong InitrdStart, InitrdEnd;
    /// <summary>The host PCI bridge, for the hardware domain only (see <see cref="HardwareDomainPci"/>).</summary>
    public HostPci Pci;
}

/// <summary>
/// The device tree a guest boots with, shaped as Xen's domain builder makes it for a domU
/// (xen/arch/arm/domain_build.c, dom0less-build.c): memory at GUEST_RAM0_BASE, PSCI cpus, the
/// GIC at Xen's guest bases, the architected timer's PPIs, the /hypervisor node ("xen,xen-4.22",
/// "xen,xen") with the grant-table region and the event-channel PPI, the SBSA UART when the
/// domain has a vpl011, /chosen with bootargs and the ramdisk range, and for the hardware domain
/// the host's PCI bridge.
/// </summary>
public static unsafe class GuestDeviceTree
{
    const uint Ppi = 1, Spi = 0, LevelHigh = 4, LevelLowAllCpus = 0xF08;

    public static int Build(in GuestTreeConfig cfg, byte* output, int capacity)
    {
        var w = new FdtWriter();
        w.Begin(""u8);
        w.U32("#address-cells"u8, 2);
        w.U32("#size-cells"u8, 2);
        w.Property("compatible"u8, "xen,xenvm-4.22\0xen,xenvm\0"u8);
        w.String("model"u8, "XENVM-4.22"u8);
        w.U32("interrupt-parent"u8, GuestLayout.GicPhandle);

        Chosen(w, cfg);
        Cpus(w, cfg.Vcpus);
        w.Begin("psci"u8);
        w.Property("compatible"u8, "arm,psci-1.0\0arm,psci-0.2\0arm,psci\0"u8);
        w.String("method"u8, "hvc"u8);
        w.End();

        w.Begin("memory"u8, GuestLayout.RamBase);
        w.String("device_type"u8, "memory"u8);
        w.Reg("reg"u8, GuestLayout.RamBase, cfg.RamSize);
        w.End();

        Gic(w, cfg);
        Timer(w);
        Hypervisor(w);
        if (cfg.Vpl011) Uart(w);
        if (cfg.Pci.Present) Pcie(w, cfg.Pci);
        w.End();
        return w.Finish(output, capacity);
    }

    static void Chosen(FdtWriter w, in GuestTreeConfig cfg)
    {
        w.Begin("chosen"u8);
        w.Property("bootargs"u8, cfg.Bootargs, cfg.BootargsLength, true);
        if (cfg.InitrdEnd > cfg.InitrdStart)
        {
            w.Reg64("linux,initrd-start"u8, cfg.InitrdStart);
            w.Reg64("linux,initrd-end"u8, cfg.InitrdEnd);
        }
        if (cfg.Vpl011) w.String("stdout-path"u8, "/sbsa-uart@22000000"u8);
        w.End();
    }

    static void Cpus(FdtWriter w, int count)
    {
        w.Begin("cpus"u8);
        w.U32("#address-cells"u8, 1);
        w.U32("#size-cells"u8, 0);
        for (int i = 0; i < count; i++)
        {
            uint mpidr = (uint)((i / 16) << 8 | (i % 16));
            w.Begin("cpu"u8, mpidr);
            w.String("device_type"u8, "cpu"u8);
            w.String("compatible"u8, "arm,armv8"u8);
            w.String("enable-method"u8, "psci"u8);
            w.U32("reg"u8, mpidr);
            w.End();
        }
        w.End();
    }

    static void Gic(FdtWriter w, in GuestTreeConfig cfg)
    {
        w.Begin("interrupt-controller"u8, GuestLayout.GicdBase);
        if (cfg.GicVersion == 3)
        {
            w.String("compatible"u8, "arm,gic-v3"u8);
            w.U32("#redistributor-regions"u8, 1);
            w.Reg("reg"u8, GuestLayout.GicdBase, GuestLayout.Gicv3GicdSize,
                GuestLayout.Gicv3GicrBase, GuestLayout.GicrStride * (ulong)cfg.Vcpus);
        }
        else
        {
            w.String("compatible"u8, "arm,gic-400"u8);
            w.Reg("reg"u8, GuestLayout.GicdBase, GuestLayout.GicdSize, GuestLayout.GiccBase, GuestLayout.GiccSize);
        }
        w.U32("#interrupt-cells"u8, 3);
        w.U32("#address-cells"u8, 0);
        w.Empty("interrupt-controller"u8);
        w.U32("phandle"u8, GuestLayout.GicPhandle);
        w.End();
    }

    // Secure physical, non-secure physical, virtual, hypervisor: PPIs 13, 14, 11, 10 (INTIDs 29, 30, 27, 26).
    static void Timer(FdtWriter w)
    {
        uint* type = stackalloc uint[4];
        uint* number = stackalloc uint[4];
        uint* flags = stackalloc uint[4];
        uint* intids = stackalloc uint[4];
        intids[0] = GuestLayout.TimerPhysSecurePpi;
        intids[1] = GuestLayout.TimerPhysPpi;
        intids[2] = GuestLayout.TimerVirtPpi;
        intids[3] = GuestLayout.TimerHypPpi;
        for (int i = 0; i < 4; i++)
        {
            type[i] = Ppi;
            number[i] = intids[i] - 16;
            flags[i] = LevelLowAllCpus;
        }
        w.Begin("timer"u8);
        w.String("compatible"u8, "arm,armv8-timer"u8);
        w.Interrupts("interrupts"u8, type, number, flags, 4);
        w.End();
    }

    static void Hypervisor(FdtWriter w)
    {
        w.Begin("hypervisor"u8);
        byte* compat = stackalloc byte[32];
        int n = VersionCompatible(compat);
        w.Property("compatible"u8, compat, n, false);
        w.Reg("reg"u8, GuestLayout.GnttabBase, GuestLayout.GnttabSize);
        uint type = Ppi, number = GuestLayout.EvtchnPpi - 16, flags = LevelLowAllCpus;
        w.Interrupts("interrupts"u8, &type, &number, &flags, 1);
        w.End();
    }

    static void Uart(FdtWriter w)
    {
        w.Begin("sbsa-uart"u8, GuestLayout.Pl011Base);
        w.String("compatible"u8, "arm,sbsa-uart"u8);
        w.Reg("reg"u8, GuestLayout.Pl011Base, GuestLayout.Pl011Size);
        uint type = Spi, number = GuestLayout.Vpl011Spi - 32, flags = LevelHigh;
        w.Interrupts("interrupts"u8, &type, &number, &flags, 1);
        w.End();
    }

    // Bus 0 at GUEST_VPCI_ECAM_BASE; ranges: PCI I/O space from 0 (phys.hi space code 01) at the window's address.
    static void Pcie(FdtWriter w, in HostPci pci)
    {
        w.Begin("pcie"u8, GuestLayout.PciEcamBase);
        w.String("compatible"u8, "pci-host-ecam-generic"u8);
        w.String("device_type"u8, "pci"u8);
        w.U32("#address-cells"u8, 3);
        w.U32("#size-cells"u8, 2);
        w.Reg("reg"u8, GuestLayout.PciEcamBase, HardwareDomainPci.BusConfigSize);
        uint* cells = stackalloc uint[7];
        cells[0] = 0; cells[1] = 0;
        w.Cells("bus-range"u8, cells, 2);
        cells[0] = 0x0100_0000; cells[1] = 0; cells[2] = 0;
        cells[3] = (uint)(pci.IoBase >> 32); cells[4] = (uint)pci.IoBase;
        cells[5] = (uint)(pci.IoSize >> 32); cells[6] = (uint)pci.IoSize;
        w.Cells("ranges"u8, cells, 7);
        w.End();
    }

    /// <summary>"xen,xen-&lt;major&gt;.&lt;minor&gt;\0xen,xen\0" for this build.</summary>
    static int VersionCompatible(byte* p)
    {
        int n = 0;
        n = Append(p, n, "xen,xen-"u8);
        n = AppendDec(p, n, BuildInfo.Major);
        p[n++] = (byte)'.';
        n = AppendDec(p, n, BuildInfo.Minor);
        p[n++] = 0;
        n = Append(p, n, "xen,xen"u8);
        p[n++] = 0;
        return n;
    }

    static int Append(byte* p, int n, ReadOnlySpan<byte> s)
    {
        for (int i = 0; i < s.Length; i++) p[n++] = s[i];
        return n;
    }

    static int AppendDec(byte* p, int n, int value)
    {
        if (value >= 10) n = AppendDec(p, n, value / 10);
        p[n++] = (byte)('0' + value % 10);
        return n;
    }
}

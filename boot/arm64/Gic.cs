// What the device tree says about the interrupt controller and the generic
// timer (bindings: arm,gic.yaml, arm,gic-v3.yaml, arm,arch_timer.yaml).
namespace XenLite.Boot
{
    public struct Region
    {
        public ulong Base, Size;
        public bool Present => Size != 0;
    }

    public struct GicInfo
    {
        public int Version;               // 2 or 3; 0 = no GIC found
        public Region Distributor;        // GICD
        public Region CpuInterface;       // GICC (v2; optional legacy interface on v3)
        public Region HypInterface;       // GICH: virtual interface control (v2)
        public Region VirtualCpu;         // GICV: what a guest sees as its GICC (v2)
        public Region Redistributor;      // GICR, first region (v3)
        public int RedistributorRegions;  // v3: #redistributor-regions (default 1)
        public uint MaintenanceIntId;     // PPI for list-register maintenance, 0 if not given
    }

    // INTIDs (PPI number + 16) of the four timers, 0 if not given.
    public struct TimerInfo
    {
        public uint SecurePhysical, Physical, Virtual, Hypervisor;
        public bool Present => Physical != 0 || Virtual != 0 || Hypervisor != 0;
    }

    public static unsafe class Gic
    {
        public static int VersionOf(Fdt* fdt, DtNode* n)
        {
            if (fdt->IsCompatible(n, "arm,gic-v3"u8)) return 3;
            if (fdt->IsCompatible(n, "arm,cortex-a15-gic"u8) || fdt->IsCompatible(n, "arm,gic-400"u8)
                || fdt->IsCompatible(n, "arm,cortex-a9-gic"u8) || fdt->IsCompatible(n, "arm,cortex-a7-gic"u8))
                return 2;
            return 0;
        }

        public static bool IsGicNode(Fdt* fdt, DtNode* n) => VersionOf(fdt, n) != 0;

        public static GicInfo Read(Fdt* fdt, DtNode* n)
        {
            var g = new GicInfo { Version = VersionOf(fdt, n) };
            int i = 0;
            g.Distributor = RegAt(fdt, n, i++);
            if (g.Version == 3)
            {
                g.RedistributorRegions = fdt->Integer(n, "#redistributor-regions"u8, out ulong count) && count > 0 && count < 64 ? (int)count : 1;
                g.Redistributor = RegAt(fdt, n, i);
                i += g.RedistributorRegions;
            }
            g.CpuInterface = RegAt(fdt, n, i++);
            g.HypInterface = RegAt(fdt, n, i++);
            g.VirtualCpu = RegAt(fdt, n, i++);
            if (fdt->Property(n, "interrupts"u8, out byte* v, out int len) && len >= 12 && Fdt.Be32(v) == 1)
                g.MaintenanceIntId = Fdt.Be32(v + 4) + 16;
            return g;
        }

        static Region RegAt(Fdt* fdt, DtNode* n, int index)
        {
            fdt->Reg(n, index, out ulong b, out ulong s);
            return new Region { Base = b, Size = s };
        }

        public static bool IsTimerNode(Fdt* fdt, DtNode* n)
            => fdt->IsCompatible(n, "arm,armv8-timer"u8) || fdt->IsCompatible(n, "arm,armv7-timer"u8);

        // interrupts = 4 x <type number flags> (GIC three-cell form, type 1 = PPI):
        // secure physical, non-secure physical, virtual, hypervisor.
        public static TimerInfo ReadTimer(Fdt* fdt, DtNode* n)
        {
            var t = new TimerInfo();
            if (!fdt->Property(n, "interrupts"u8, out byte* v, out int len)) return t;
            uint* ids = stackalloc uint[4];
            for (int i = 0; i < 4; i++)
                ids[i] = (i + 1) * 12 <= len && Fdt.Be32(v + i * 12) == 1 ? Fdt.Be32(v + i * 12 + 4) + 16 : 0;
            t.SecurePhysical = ids[0];
            t.Physical = ids[1];
            t.Virtual = ids[2];
            t.Hypervisor = ids[3];
            return t;
        }
    }
}

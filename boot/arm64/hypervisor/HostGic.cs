// The host's interrupt controller as the hypervisor drives it: the
// distributor and this CPU's interface switched on, the timer PPIs the
// hypervisor takes enabled (group 1 on GICv3, group 0 on GICv2: both arrive as
// IRQs), acknowledge/EOI, and the virtual CPU interface (GICv3 ICH_* system
// registers, GICv2 GICH frame) the vGIC fills with list registers.
using XenLite.Boot;

namespace XenLite.Image
{
    public sealed class HostGic
    {
        public readonly int Version;
        readonly ulong _dist, _cpu, _hyp, _redist;
        public readonly int ListRegisters;

        public HostGic(GicInfo g)
        {
            Version = g.Version;
            _dist = g.Distributor.Base;
            _cpu = g.CpuInterface.Base;
            _hyp = g.HypInterface.Base;
            _redist = g.Redistributor.Base;
            if (Version == 3)
            {
                Hw.Gic3InitCpu();
                WakeRedistributor();
                Cpu.Write32(_dist, (1u << 4) | 3);   // ARE, Grp0/Grp1 (single security state)
                ListRegisters = (int)(Hw.Gic3Vtr() & 0x1F) + 1;
            }
            else if (Version == 2 && _hyp != 0)
            {
                Cpu.Write32(_dist, 3);
                Cpu.Write32(_cpu + 0x004, 0xF0);     // GICC_PMR
                Cpu.Write32(_cpu, 1);                // GICC_CTLR: enable
                Cpu.Write32(_hyp, 1);                // GICH_HCR.En
                ListRegisters = (int)(Cpu.Read32(_hyp + 0x004) & 0x3F) + 1;
            }
        }

        void WakeRedistributor()
        {
            ulong waker = _redist + 0x14;
            Cpu.Write32(waker, Cpu.Read32(waker) & ~2u);
            for (int i = 0; i < 1_000_000 && (Cpu.Read32(waker) & 4) != 0; i++) { }
        }

        public void EnablePpi(uint intid)
        {
            uint bit = 1u << (int)intid;
            ulong prio = (intid & ~3u);
            int shift = 8 * (int)(intid & 3);
            if (Version == 3)
            {
                ulong sgi = _redist + 0x10000;
                Cpu.Write32(sgi + 0x080, Cpu.Read32(sgi + 0x080) | bit);
                Cpu.Write32(sgi + 0x400 + prio, (Cpu.Read32(sgi + 0x400 + prio) & ~(0xFFu << shift)) | (0x80u << shift));
                Cpu.Write32(sgi + 0x100, bit);
            }
            else
            {
                Cpu.Write32(_dist + 0x400 + prio, (Cpu.Read32(_dist + 0x400 + prio) & ~(0xFFu << shift)) | (0x80u << shift));
                Cpu.Write32(_dist + 0x100, bit);
            }
        }

        public uint Acknowledge() => Version == 3 ? (uint)Hw.Gic3Ack() & 0xFF_FFFF : Cpu.Read32(_cpu + 0x00C) & 0x3FF;

        public void End(uint intid)
        {
            if (Version == 3) Hw.Gic3Eoi(intid);
            else Cpu.Write32(_cpu + 0x010, intid);
        }

        public ulong ReadLr(int i) => Version == 3 ? Hw.Gic3ReadLr((ulong)i) : Cpu.Read32(_hyp + 0x100 + 4 * (ulong)i);

        public void WriteLr(int i, ulong value)
        {
            if (Version == 3) Hw.Gic3WriteLr((ulong)i, value);
            else Cpu.Write32(_hyp + 0x100 + 4 * (ulong)i, (uint)value);
        }

        public void Save(out ulong vmcr, out ulong apr)
        {
            vmcr = Version == 3 ? Hw.Gic3ReadVmcr() : Cpu.Read32(_hyp + 0x008);
            apr = Version == 3 ? Hw.Gic3ReadApr() : Cpu.Read32(_hyp + 0x0F0);
        }

        public void Load(ulong vmcr, ulong apr)
        {
            if (Version == 3)
            {
                Hw.Gic3WriteVmcr(vmcr);
                Hw.Gic3WriteApr(apr);
            }
            else
            {
                Cpu.Write32(_hyp + 0x008, (uint)vmcr);
                Cpu.Write32(_hyp + 0x0F0, (uint)apr);
            }
        }
    }
}

// TSC frequency from the PIT (1.193182 MHz): channel 2 counts down a known
// interval with its gate on and the speaker off (port 0x61), and the TSC is
// read at both ends, as Xen's and Linux's PIT calibration do. Under QEMU the
// PIT runs on the host's clock, so this is right under TCG too.
using XenLite.Boot;

namespace XenLite.Image
{
    public static class TscCalibration
    {
        const ulong PitHz = 1_193_182;
        const ushort Latch = (ushort)(PitHz / 50);   // 20 ms

        public static uint Khz()
        {
            byte gate = Cpu.InB(0x61);
            Cpu.OutB(0x61, (byte)((gate & ~0x02) | 0x01));   // gate on, speaker off
            Cpu.OutB(0x43, 0xB0);                            // channel 2, lo/hi byte, mode 0
            Cpu.OutB(0x42, unchecked((byte)Latch));
            Cpu.OutB(0x42, (byte)(Latch >> 8));
            ulong start = Cpu.ReadTsc();
            ulong spins = 0;
            while ((Cpu.InB(0x61) & 0x20) == 0 && ++spins < 100_000_000UL) { }
            ulong cycles = Cpu.ReadTsc() - start;
            Cpu.OutB(0x61, gate);
            ulong khz = cycles * PitHz / Latch / 1000;
            return khz == 0 || khz > uint.MaxValue ? 1_000_000u : (uint)khz;   // no PIT: assume 1 GHz
        }
    }
}

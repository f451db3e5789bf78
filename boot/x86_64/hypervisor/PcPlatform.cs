// The PC under the hypervisor: COM1 for the console (boot's Serial, 115200 8N1;
// "\n" becomes "\r\n"), the TSC for time, no preemption source yet. Power-off
// requests are latched by BootPlatform; ImageMain acts on the status.
using XenLite.Boot;
using XenLite.Hv.Arch.X86;

namespace XenLite.Image
{
    public sealed class PcPlatform : BootPlatform
    {
        readonly ulong _tscAtBoot;
        readonly uint _tscKhz;
        public bool Console = true;

        public PcPlatform(ulong tscAtBoot, uint tscKhz)
        {
            _tscAtBoot = tscAtBoot;
            _tscKhz = tscKhz;
        }

        // ticks / kHz = ms; split so ticks * 10^6 never overflows.
        public override ulong NowNs()
        {
            ulong t = Cpu.ReadTsc() - _tscAtBoot;
            return t / _tscKhz * 1_000_000UL + t % _tscKhz * 1_000_000UL / _tscKhz;
        }

        public override void ConsoleWrite(byte b)
        {
            if (!Console) return;
            if (b == (byte)'\n') Serial.Write((byte)'\r');
            Serial.Write(b);
        }

        public override bool PreemptPending() => false;
    }
}

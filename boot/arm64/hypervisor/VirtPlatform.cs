// QEMU virt under the hypervisor: the device-tree PL011 for the console ("\n"
// becomes "\r\n"), the generic timer's counter for time, no preemption
// source for long hypercalls yet. Power-off requests are latched by
// Arm64Platform; ImageMain's return value acts on the status.
using XenLite.Boot;
using XenLite.Hv.Arch.Arm64;

namespace XenLite.Image
{
    public sealed class VirtPlatform : Arm64Platform
    {
        readonly ulong _frequency;
        public bool Console = true;

        public VirtPlatform(ulong frequency) => _frequency = frequency == 0 ? 62_500_000 : frequency;

        // ticks * 10^9 / f, split so it never overflows.
        public override ulong NowNs()
        {
            ulong t = Hw.Counter();
            return t / _frequency * 1_000_000_000UL + t % _frequency * 1_000_000_000UL / _frequency;
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

// `xenlite.selftest=traps`: the EL2 vector path the hypervisor will use for
// guest exits: an exception handled by Crash.Handler resumes at the frame's
// ELR with the frame's (possibly edited) registers.
using XenLite.Boot;

namespace XenLite
{
    public static unsafe class TrapSelfTest
    {
        static int s_hvcs, s_brks;

        // HVC from EL2 to EL2 (EC 0x16): the return address is already the next
        // instruction. BRK (EC 0x3C) reports the BRK itself: step over it.
        static bool Handle(ExceptionFrame* f)
        {
            ulong ec = (f->Esr >> 26) & 0x3F;
            if (ec == 0x16) { s_hvcs++; f->X[0] = f->X[1] + f->X[2] + f->X[3] + (f->Esr & 0xFFFF); return true; }
            if (ec == 0x3C) { s_brks++; f->Elr += 4; return true; }
            return false;
        }

        public static int Run(delegate*<string, bool, void> report)
        {
            int failures = 0;
            Crash.Handler = &Handle;
            ulong r = Cpu.Hvc(0xC0DE, 1, 20, 300);
            bool ok = r == 321 && s_hvcs == 1;
            report("trap.hvc-handled-and-resumed", ok);
            if (!ok) failures++;

            ulong sum = 0;
            for (ulong i = 0; i < 1000; i++) sum += Cpu.Hvc(0, i, 0, 0);
            ok = sum == 999UL * 1000 / 2 && s_hvcs == 1001;
            report("trap.hvc-1000-round-trips", ok);
            if (!ok) failures++;

            Cpu.Breakpoint();
            ok = s_brks == 1;
            report("trap.brk-stepped-over", ok);
            if (!ok) failures++;

            Crash.Handler = null;
            return failures;
        }
    }
}

// Ending the run so CI sees a status. Success: PSCI SYSTEM_OFF through the
// device tree's conduit (smc or hvc): QEMU exits 0. Failure: the semihosting
// exit call with the same statuses as x86_64 ((code << 1) | 1: 3, 5, 7, 9);
// that needs QEMU `-semihosting`. Without it, the status is printed and the
// machine powers off anyway (QEMU status 0) rather than hanging a CI run.
namespace XenLite.Boot
{
    public enum ExitCode : byte
    {
        TestFailure = 1,   // status 3
        Panic = 2,         // status 5: runtime check failed (bounds, null, OOM, ...)
        CpuException = 3,  // status 7: unexpected exception (crash report printed)
        BadBoot = 4,       // status 9: not at EL2, or no usable device tree / memory
    }

    public static unsafe class Power
    {
        const ulong PsciSystemOff = 0x84000008;
        const ulong SemihostExit = 0x18;                   // SYS_EXIT
        const ulong ApplicationExit = 0x20026;             // ADP_Stopped_ApplicationExit

        // Plain statics: set from the device tree, usable on the crash path.
        static bool s_hvc;
        static bool s_probing;

        public static void UseHvc(bool hvc) => s_hvc = hvc;

        // True while Exit tries semihosting: Crash.cs then turns the undefined-
        // instruction trap of a QEMU without -semihosting into a plain return.
        public static bool ProbingSemihosting => s_probing;

        public static int StatusOf(ExitCode code) => ((int)code << 1) | 1;

        public static void Off()
        {
            if (s_hvc) Cpu.Hvc(PsciSystemOff, 0, 0, 0);
            else Cpu.Smc(PsciSystemOff, 0, 0, 0);
            Serial.WriteLine("XenLite: PSCI SYSTEM_OFF returned; halting");
            Cpu.HaltForever();
        }

        // Exits QEMU with StatusOf(code) via semihosting; without it, says so and powers off.
        public static void Exit(ExitCode code)
        {
            ulong* block = stackalloc ulong[2];
            block[0] = ApplicationExit;
            block[1] = (ulong)StatusOf(code);
            s_probing = true;
            Cpu.Semihost(SemihostExit, block);
            s_probing = false;
            Serial.Write("XenLite: no semihosting (run QEMU with -semihosting for exit status ");
            Serial.WriteDec((ulong)StatusOf(code));
            Serial.WriteLine("); powering off, QEMU exits 0");
            Off();
        }
    }
}

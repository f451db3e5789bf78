// Ending the run so CI sees a status. Success powers the machine off (QEMU then
// exits 0); failures write a code to QEMU's isa-debug-exit device
// (-device isa-debug-exit,iobase=0xf4,iosize=0x04): value v => exit (v << 1) | 1.
namespace XenLite.Boot
{
    public enum ExitCode : byte
    {
        TestFailure = 1,   // QEMU status 3
        Panic = 2,         // QEMU status 5: runtime check failed (bounds, null, OOM, ...)
        CpuException = 3,  // QEMU status 7: unexpected CPU exception (crash report printed)
        BadBoot = 4,       // QEMU status 9: not started by a Multiboot loader
    }

    public static class Power
    {
        const ushort DebugExitPort = 0xF4;

        // Writes the code to isa-debug-exit; halts if the device is absent.
        public static void Exit(ExitCode code)
        {
            Cpu.OutL(DebugExitPort, (uint)code);
            Cpu.HaltForever();
        }

        // Clean power-off: ACPI S5 on QEMU's PIIX4 (PM base 0x600 set by SeaBIOS),
        // older QEMU/Bochs (0xB004), ICH9/q35 (0x604 too), the Bochs shutdown port;
        // if none works, debug-exit 0 (QEMU status 1), then halt. The device acts
        // asynchronously in QEMU, so give each attempt time before the next.
        public static void Off()
        {
            AcpiSoftOff(0x604);
            AcpiSoftOff(0xB004);
            string bochs = "Shutdown";
            for (int i = 0; i < bochs.Length; i++) Cpu.OutB(0x8900, (byte)bochs[i]);
            Settle();
            Cpu.OutL(DebugExitPort, 0);
            Cpu.HaltForever();
        }

        // SLP_TYP 0 + SLP_EN into a PM1a control register; a port nothing decodes reads as all
        // ones and is skipped: Bochs' TSC counts instructions, so a needless Settle there costs ~20 s.
        static void AcpiSoftOff(ushort pm1aControl)
        {
            if (Cpu.InW(pm1aControl) == 0xFFFF) return;
            Cpu.OutW(pm1aControl, 0x2000);
            Settle();
        }

        // About 0.2 s at a few GHz of TSC.
        static void Settle()
        {
            ulong start = Cpu.ReadTsc();
            while (Cpu.ReadTsc() - start < 500_000_000UL) Cpu.Pause();
        }
    }
}

// kmain: the first C# to run (head.S: .bss zeroed, SIMD on, EL2 MMU on with
// the boot map, vectors installed, on the boot stack). Order: validate the
// device tree and scan it without allocating, console, the device-tree EL2
// map, a heap, runtime start-up (statics, cctors), the full device-tree
// description, then the image's main (XenLite.ImageMain.Run). Its return
// value decides the exit.
using System.Runtime;

namespace XenLite.Boot
{
    public static unsafe class Boot
    {
        // QEMU puts the DTB of an ELF (non-Linux) kernel at the start of RAM and leaves x0 = 0.
        const ulong QemuVirtRamBase = 0x40000000;
        const ulong Giga = 1UL << 30;

        // CNTPCT at the first console line: QEMU starts the counter at 0 on reset.
        public static ulong FirstLineTicks;

        [RuntimeExport("kmain")]
        static void KMain(ulong dtbAddress, ulong exceptionLevel)
        {
            if (dtbAddress == 0) dtbAddress = QemuVirtRamBase;
            // The boot map covers the DTB's gigabyte (not the device gigabyte at 0).
            ulong available = dtbAddress >= Giga && dtbAddress < 512 * Giga ? Giga - (dtbAddress & (Giga - 1)) : 0;
            Fdt fdt;
            EarlyInfo early = default;
            string error = Fdt.Open((byte*)dtbAddress, available, out fdt);
            if ((object)error == null) error = EarlyScan.Run(&fdt, &early);
            Serial.Init(early.UartBase != 0 ? early.UartBase : Serial.QemuVirtBase);
            Power.UseHvc(early.PsciHvc);
            FirstLineTicks = Cpu.ReadCntPct();

            if (exceptionLevel != 2)
            {
                // MMU off, no EL1 vectors: no semihosting probe, just PSCI (if the tree said how).
                Serial.Write("XenLite: entered at EL");
                Serial.WriteDec(exceptionLevel);
                Serial.WriteLine(", needs EL2 (QEMU: -M virt,virtualization=on); stopping");
                if ((object)error == null) Power.Off();
                Cpu.HaltForever();
            }
            if ((object)error != null) BadTree(dtbAddress, error);

            Serial.WriteLine("XenLite arm64");
            if (early.UartBase == 0) Serial.WriteLine("XenLite: no arm,pl011 in the device tree; using QEMU virt's UART");
            if (early.Truncated) Serial.WriteLine("XenLite: more than 32 memory/reserved/device ranges: extra ones ignored");

            error = Mmu.BuildAndSwitch(&early, dtbAddress, fdt.TotalSize);
            if ((object)error != null) BadTree(dtbAddress, error);

            if (!EarlyScan.LargestFree(&early, dtbAddress, fdt.TotalSize, out ulong heapStart, out ulong heapEnd))
            {
                Serial.WriteLine("XenLite: no free memory for the heap");
                Power.Exit(ExitCode.BadBoot);
            }

            // Nothing before this line may allocate or use GC statics.
            XenLite.Runtime.ModuleStartup.Run((byte*)heapStart, (nuint)(heapEnd - heapStart));

            BootInfo boot = DeviceTree.Describe(&fdt, &early, heapStart, heapEnd);
            boot.EntryExceptionLevel = (int)exceptionLevel;
            int status = XenLite.ImageMain.Run(boot);
            if (status == 0) Power.Off();
            Power.Exit(ExitCode.TestFailure);
        }

        static void BadTree(ulong address, string why)
        {
            Serial.Write("XenLite: unusable device tree at ");
            Serial.WriteHex(address);
            Serial.Write(": ");
            Serial.WriteLine(why);
            Power.Exit(ExitCode.BadBoot);
        }
    }
}

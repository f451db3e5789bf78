// arm64 demo image main: prints the banner details (command line, memory,
// GIC, timer, initrd, dom0less domains), then runs what `xenlite.selftest=`
// asks for:
//   runtime  run the runtime self-test (PASS/FAIL lines, exit status from them)
//   fdt      the device-tree reader against intact and damaged trees (same output)
//   traps    exceptions handled through Crash.Handler resume correctly (same output)
//   fault    write through a null pointer: the crash report path (data abort)
//   udf      execute a permanently undefined instruction
//   brk      BRK instruction
//   panic    index out of range: the runtime panic path
//   overflow unbounded recursion: the stack guard page
using XenLite.Boot;

namespace XenLite
{
    public static unsafe class ImageMain
    {
        public static int Run(BootInfo boot)
        {
            Serial.Write("boot: first console line ");
            Serial.WriteDec(XenLite.Boot.Boot.FirstLineTicks * 1000000 / boot.TimerFrequency);
            Serial.Write(" us after reset, main ");
            Serial.WriteDec(Cpu.ReadCntPct() * 1000000 / boot.TimerFrequency);
            Serial.Write(" us; EL");
            Serial.WriteDec((ulong)boot.EntryExceptionLevel);
            Serial.Write(", MIDR ");
            Serial.WriteHex(Cpu.ReadMidr(), 8);
            Serial.WriteLine();

            Serial.Write("cmdline: ");
            Serial.Write(boot.Arguments);
            Serial.WriteLine();
            Serial.Write("dtb: ");
            Range(boot.DeviceTree, boot.DeviceTree + boot.DeviceTreeSize);
            Serial.Write(", uart ");
            Serial.WriteHex(boot.UartBase, 8);
            Serial.Write(", psci ");
            Serial.WriteLine(boot.PsciHvc ? "hvc" : "smc");

            ulong ram = 0;
            for (int i = 0; i < boot.Memory.Length; i++)
            {
                if (boot.Memory[i].Type == 1) ram += boot.Memory[i].Length;
                Serial.Write(boot.Memory[i].Type == 1 ? "  ram      " : "  reserved ");
                Range(boot.Memory[i].Base, boot.Memory[i].Base + boot.Memory[i].Length);
                Serial.WriteLine();
            }
            Serial.Write("memory: ");
            Serial.WriteDec(ram >> 20);
            Serial.Write(" MiB, heap ");
            Range(boot.HeapStart, boot.HeapEnd);
            Serial.WriteLine();

            PrintGic(boot);
            Serial.Write("timer: ");
            Serial.WriteDec(boot.TimerFrequency);
            Serial.Write(" Hz, PPI INTIDs phys ");
            Serial.WriteDec((ulong)boot.Timer.Physical);
            Serial.Write(" virt ");
            Serial.WriteDec((ulong)boot.Timer.Virtual);
            Serial.Write(" hyp ");
            Serial.WriteDec((ulong)boot.Timer.Hypervisor);
            Serial.Write(" secure ");
            Serial.WriteDec((ulong)boot.Timer.SecurePhysical);
            Serial.WriteLine();

            if (boot.Modules.Length > 0)
            {
                Serial.Write("initrd: ");
                Range(boot.Modules[0].Start, boot.Modules[0].End);
                Serial.Write(" (");
                Serial.WriteDec(boot.Modules[0].Size);
                Serial.WriteLine(" bytes)");
            }
            else Serial.WriteLine("initrd: none");
            PrintDomains(boot);

            if (boot.HasOption("xenlite.selftest", "fault"))
            {
                Serial.WriteLine("selftest: writing through a null pointer");
                *(int*)0 = 1;
            }
            if (boot.HasOption("xenlite.selftest", "udf")) Cpu.Undefined();
            if (boot.HasOption("xenlite.selftest", "brk")) Cpu.Breakpoint();
            if (boot.HasOption("xenlite.selftest", "panic"))
            {
                int[] small = new int[2];
                int index = boot.CommandLineLength;   // > 1: out of range
                small[index] = 1;
            }
            if (boot.HasOption("xenlite.selftest", "overflow")) Recurse(1);
            if (boot.HasOption("xenlite.selftest", "fdt") || boot.HasOption("xenlite.selftest", "traps"))
            {
                int failures = boot.HasOption("xenlite.selftest", "fdt") ? FdtSelfTest.Run(&Report) : TrapSelfTest.Run(&Report);
                Serial.Write("selftest: ");
                Serial.WriteDec((ulong)failures);
                Serial.WriteLine(failures == 0 ? " failures: SUCCESS" : " failures: FAILURE");
                return failures == 0 ? 0 : 1;
            }
            if (boot.HasOption("xenlite.selftest", "runtime"))
            {
                int failures = XenLite.SelfTest.RuntimeSelfTest.Run(&Report);
                Serial.Write("selftest: ");
                Serial.WriteDec((ulong)failures);
                Serial.WriteLine(failures == 0 ? " failures: SUCCESS" : " failures: FAILURE");
                Serial.Write("heap in use: ");
                Serial.WriteDec((ulong)XenLite.Runtime.Allocator.BytesInUse);
                Serial.WriteLine(" bytes");
                return failures == 0 ? 0 : 1;
            }
            Serial.WriteLine("XenLite demo done: powering off");
            return 0;
        }

        static void PrintGic(BootInfo boot)
        {
            GicInfo g = boot.Gic;
            Serial.Write("gic: v");
            Serial.WriteDec((ulong)g.Version);
            Region("dist", g.Distributor);
            if (g.Version == 3) Region("redist", g.Redistributor);
            Region("cpu", g.CpuInterface);
            Region("gich", g.HypInterface);
            Region("gicv", g.VirtualCpu);
            if (g.MaintenanceIntId != 0) { Serial.Write(" maint "); Serial.WriteDec((ulong)g.MaintenanceIntId); }
            Serial.WriteLine();
        }

        static void Region(string name, Boot.Region r)
        {
            if (!r.Present) return;
            Serial.Write(" ");
            Serial.Write(name);
            Serial.Write(" ");
            Range(r.Base, r.Base + r.Size);
        }

        static void PrintDomains(BootInfo boot)
        {
            Serial.Write("dom0less domains: ");
            Serial.WriteDec((ulong)boot.Domains.Length);
            Serial.WriteLine();
            for (int i = 0; i < boot.Domains.Length; i++)
            {
                DomainSpec d = boot.Domains[i];
                Serial.Write("  ");
                Serial.Write(d.Name, d.NameLength);
                Serial.Write(": memory ");
                Serial.WriteDec(d.MemoryKiB);
                Serial.Write(" KiB, cpus ");
                Serial.WriteDec((ulong)d.Cpus);
                Serial.Write(d.Vpl011 ? ", vpl011" : "");
                if ((object)d.Problem != null) { Serial.Write(", REFUSED: "); Serial.Write(d.Problem); }
                Serial.WriteLine();
                for (int m = 0; m < d.Modules.Length; m++)
                {
                    Serial.Write("    ");
                    Serial.Write(d.Modules[m].Name, d.Modules[m].NameLength);
                    Serial.Write(" ");
                    Serial.Write(KindName(d.Modules[m].Kind));
                    Serial.Write(" ");
                    Range(d.Modules[m].Start, d.Modules[m].End);
                    if (d.Modules[m].CommandLine != null)
                    {
                        Serial.Write(" bootargs '");
                        Serial.Write(d.Modules[m].CommandLine, d.Modules[m].CommandLineLength);
                        Serial.Write("'");
                    }
                    Serial.WriteLine();
                }
            }
        }

        static string KindName(ModuleKind k)
        {
            switch (k)
            {
                case ModuleKind.Kernel: return "kernel";
                case ModuleKind.Ramdisk: return "ramdisk";
                case ModuleKind.DeviceTree: return "device-tree";
                case ModuleKind.Initrd: return "initrd";
                default: return "module";
            }
        }

        static void Range(ulong start, ulong end)
        {
            Serial.WriteHex(start, (start | end) >> 32 != 0 ? 12 : 8);
            Serial.Write("-");
            Serial.WriteHex(end, (start | end) >> 32 != 0 ? 12 : 8);
        }

        static int Recurse(int depth)
        {
            byte* pad = stackalloc byte[256];
            pad[0] = (byte)depth;
            return Recurse(depth + 1) + pad[0];
        }

        static void Report(string name, bool ok)
        {
            Serial.Write(ok ? "PASS " : "FAIL ");
            Serial.WriteLine(name);
        }
    }
}

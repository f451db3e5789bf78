// Demo image main: prints the banner, command line, modules and memory, then
// runs what `xenlite.selftest=` asks for:
//   runtime  run the runtime self-test (PASS/FAIL lines, exit status from them)
//   fault    write through a null pointer: the crash report path (#PF)
//   ud2      execute an invalid opcode (#UD)
//   panic    index out of range: the runtime panic path
//   overflow unbounded recursion: the stack guard page (#DF on its own stack)
using XenLite.Boot;

namespace XenLite
{
    public static unsafe class ImageMain
    {
        public static int Run(BootInfo boot)
        {
            Serial.WriteLine("XenLite x86_64");
            Serial.Write("cmdline: ");
            Serial.Write(boot.Arguments);
            Serial.WriteLine();

            Serial.Write("modules: ");
            Serial.WriteDec((ulong)boot.Modules.Length);
            Serial.WriteLine();
            for (int i = 0; i < boot.Modules.Length; i++)
            {
                Serial.Write("  module ");
                Serial.WriteDec((ulong)i);
                Serial.Write(": ");
                Serial.WriteHex(boot.Modules[i].Start, 8);
                Serial.Write("-");
                Serial.WriteHex(boot.Modules[i].End, 8);
                Serial.Write(" ");
                Serial.WriteDec(boot.Modules[i].Size);
                Serial.Write(" bytes '");
                Serial.WriteCString(boot.Modules[i].Name);
                Serial.WriteLine("'");
            }

            ulong ram = 0;
            for (int i = 0; i < boot.Memory.Length; i++)
                if (boot.Memory[i].Type == 1) ram += boot.Memory[i].Length;
            Serial.Write("memory: ");
            Serial.WriteDec(ram >> 20);
            Serial.Write(" MiB available, heap ");
            Serial.WriteHex(boot.HeapStart, 8);
            Serial.Write("-");
            Serial.WriteHex(boot.HeapEnd, 8);
            Serial.WriteLine();

            if (boot.HasOption("xenlite.selftest", "fault"))
            {
                Serial.WriteLine("selftest: writing through a null pointer");
                *(int*)0 = 1;
            }
            if (boot.HasOption("xenlite.selftest", "ud2"))
                Cpu.InvalidOpcode();
            if (boot.HasOption("xenlite.selftest", "panic"))
            {
                int[] small = new int[2];
                int index = boot.CommandLineLength;   // > 1: out of range
                small[index] = 1;
            }
            if (boot.HasOption("xenlite.selftest", "overflow"))
                Recurse(1);
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

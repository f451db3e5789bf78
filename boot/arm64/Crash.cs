// The crash path: EL2 exceptions (vectors.S) and runtime panics end here,
// print a report a person can act on, and stop the machine (Power.Exit).
// It must not allocate or touch GC statics: the heap may be what broke.
using System.Runtime;
using System.Runtime.InteropServices;

namespace XenLite.Boot
{
    // Saved by vectors.S (lowest address first).
    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct ExceptionFrame
    {
        public fixed ulong X[31];
        public ulong Sp, Elr, Spsr, Esr, Far, Kind;
    }

    public static unsafe class Crash
    {
        const ulong EcUnknown = 0x00;
        static int s_nesting;   // > 0 while a report is being printed

        // Installed by the hypervisor for guest exits and interrupts: called
        // first for every exception; true = handled, resume at the frame's ELR
        // (with its registers); false = report it as a crash.
        public static delegate*<ExceptionFrame*, bool> Handler;

        static string KindName(ulong kind)
        {
            switch (kind & 3)
            {
                case 0: return "synchronous";
                case 1: return "IRQ";
                case 2: return "FIQ";
                default: return "SError";
            }
        }

        static string Origin(ulong kind)
        {
            switch (kind >> 2)
            {
                case 0: return "EL2 on SP_EL0 (hypervisor code)";
                case 1: return "EL2 on SP_EL2 (exception handler)";
                case 2: return "a lower EL, AArch64";
                default: return "a lower EL, AArch32";
            }
        }

        // ESR_EL2.EC names (Arm ARM D17.2.37).
        static string ClassName(ulong ec)
        {
            switch (ec)
            {
                case 0x00: return "unknown reason (undefined instruction)";
                case 0x01: return "WFI/WFE";
                case 0x07: return "SIMD/FP access trapped";
                case 0x0E: return "illegal execution state";
                case 0x15: return "SVC (AArch64)";
                case 0x16: return "HVC (AArch64)";
                case 0x17: return "SMC (AArch64)";
                case 0x18: return "MSR/MRS/system instruction trapped";
                case 0x20: return "instruction abort from a lower EL";
                case 0x21: return "instruction abort at EL2";
                case 0x22: return "PC alignment fault";
                case 0x24: return "data abort from a lower EL";
                case 0x25: return "data abort at EL2";
                case 0x26: return "SP alignment fault";
                case 0x2C: return "floating-point exception";
                case 0x2F: return "SError";
                case 0x30: case 0x31: return "breakpoint";
                case 0x32: case 0x33: return "software step";
                case 0x34: case 0x35: return "watchpoint";
                case 0x3C: return "BRK instruction";
                default: return "other exception class";
            }
        }

        // Data/instruction fault status code (ISS[5:0]) of an abort.
        static string FaultName(ulong fsc)
        {
            if (fsc <= 3) return "address size fault";
            if (fsc <= 7) return "translation fault (unmapped)";
            if (fsc >= 9 && fsc <= 11) return "access flag fault";
            if (fsc >= 13 && fsc <= 15) return "permission fault";
            if (fsc == 0x10) return "synchronous external abort";
            if (fsc == 0x21) return "alignment fault";
            if (fsc == 0x30) return "TLB conflict";
            return "other fault";
        }

        [RuntimeExport("xl_trap")]
        static void Trap(ExceptionFrame* f)
        {
            ulong ec = (f->Esr >> 26) & 0x3F;
            // Power.Exit probing for semihosting on a QEMU without it: skip the HLT.
            if (Power.ProbingSemihosting && (f->Kind & 3) == 0 && ec == EcUnknown && f->Elr == Image.SemihostInstruction())
            {
                f->X[0] = Cpu.SemihostingMissing;
                f->Elr += 4;
                return;
            }
            if (Handler != null && s_nesting == 0 && Handler(f)) return;
            // A fault while reporting one: say so briefly; a third one just stops.
            if (s_nesting++ > 0)
            {
                if (s_nesting > 2) Cpu.HaltForever();
                Serial.Write("\r\n*** XenLite: exception inside the crash handler, ELR ");
                Serial.WriteHex(f->Elr);
                Serial.Write(" ESR ");
                Serial.WriteHex(f->Esr);
                Serial.WriteLine(" ***");
                Power.Exit(ExitCode.CpuException);
            }

            Serial.WriteLine();
            Serial.Write("*** XenLite EL2 exception: ");
            Serial.Write(KindName(f->Kind));
            Serial.Write(" from ");
            Serial.Write(Origin(f->Kind));
            Serial.WriteLine(" ***");
            if ((f->Kind & 3) == 0)
            {
                Serial.Write("class ");
                Serial.WriteHex(ec, 2);
                Serial.Write(": ");
                Serial.Write(ClassName(ec));
                if (ec == 0x20 || ec == 0x21 || ec == 0x24 || ec == 0x25)
                {
                    Serial.Write(", ");
                    Serial.Write(FaultName(f->Esr & 0x3F));
                    Serial.Write(" level ");
                    Serial.WriteDec(f->Esr & 3);
                    if (ec >= 0x24) Serial.Write((f->Esr & (1 << 6)) != 0 ? ", write" : ", read");
                }
                Serial.WriteLine();
                ulong guard = (ulong)Image.StackGuard();
                if ((ec == 0x24 || ec == 0x25) && f->Far < 4096)
                    Serial.WriteLine("(a null pointer dereference)");
                if ((ec == 0x25 || ec == 0x26) && f->Far >= guard && f->Far < guard + 4096)
                    Serial.WriteLine("(a fault on the stack guard page: likely a stack overflow / runaway recursion)");
            }
            Reg("esr", f->Esr); Reg("far", f->Far); Reg("elr", f->Elr); Reg("spsr", f->Spsr); Serial.WriteLine();
            Reg("sp", f->Sp); Reg("sctlr", Cpu.ReadSctlrEl2()); Reg("hcr", Cpu.ReadHcrEl2()); Reg("ttbr0", Cpu.ReadTtbr0El2()); Serial.WriteLine();
            for (int i = 0; i < 31; i++)
            {
                Serial.Write("x");
                Serial.WriteDec((ulong)i);
                Serial.Write(i < 10 ? "     " : "    ");
                Serial.WriteHex(f->X[i]);
                Serial.Write("  ");
                if ((i & 3) == 3 || i == 30) Serial.WriteLine();
            }
            // A fault in a leaf (asm helper, small C#) that keeps no frame: its
            // caller is in the link register, not yet in the frame chain.
            if (f->X[30] >= (ulong)Image.Start() && f->X[30] < (ulong)Image.End())
            {
                Serial.Write("[lr]  ");
                Serial.WriteHex(f->X[30]);
                Serial.WriteLine("  (caller, if the faulting function keeps no frame)");
            }
            Trail(f->Elr, f->X[29]);
            Stop(ExitCode.CpuException);
        }

        // Runtime panic (XenLite.Runtime.Panic.Fail): bounds, null, OOM, bad cast...
        [RuntimeExport("xl_panic")]
        static void RuntimePanic(char* message, int length, char* detail, int detailLength)
        {
            CrashText.PanicBanner(&Serial.Write, message, length, detail, detailLength);
            Trail(0, Cpu.ReadFp());
            Stop(ExitCode.Panic);
        }

        static void Reg(string name, ulong value) => CrashText.Register(&Serial.Write, name, 6, value);

        // Return addresses found by following frame records (x29 -> {previous
        // x29, x30}). Only records inside the boot or exception stack are
        // trusted, so a corrupt chain ends the walk instead of faulting.
        // Resolve with: llvm-symbolizer --obj=<image>.elf <address>
        public static void Trail(ulong pc, ulong fp) => CrashText.Trail(&Serial.Write, pc, fp, &OnStack);

        static bool OnStack(ulong p)
            => (p >= (ulong)Image.StackBottom() && p + 16 <= (ulong)Image.StackTop())
            || (p >= (ulong)Image.ExceptionStackBottom() && p + 16 <= (ulong)Image.ExceptionStackTop());

        static void Stop(ExitCode code)
        {
            Serial.WriteLine("resolve addresses: llvm-symbolizer --obj=<image>.elf <address>...");
            Serial.Write("*** stopping: exit status ");
            Serial.WriteDec((ulong)Power.StatusOf(code));
            Serial.WriteLine(" ***");
            Power.Exit(code);
        }
    }
}

// The crash path: CPU exceptions (from idt.S) and runtime panics end here, print
// a report a person can act on, and stop the machine with a debug-exit status.
// It must not allocate or touch GC statics: the heap may be what broke.
using System.Runtime;
using System.Runtime.InteropServices;

namespace XenLite.Boot
{
    // Stack layout built by idt.S trap_common (lowest address first).
    [StructLayout(LayoutKind.Sequential)]
    public struct TrapFrame
    {
        public ulong R15, R14, R13, R12, R11, R10, R9, R8;
        public ulong Rbp, Rdi, Rsi, Rdx, Rcx, Rbx, Rax;
        public ulong Vector, ErrorCode;
        public ulong Rip, Cs, Rflags, Rsp, Ss;   // pushed by the CPU
    }

    public static unsafe class Crash
    {
        static string VectorName(ulong v)
        {
            switch (v)
            {
                case 0: return "#DE divide error";
                case 1: return "#DB debug";
                case 2: return "NMI";
                case 3: return "#BP breakpoint";
                case 4: return "#OF overflow";
                case 5: return "#BR bound range";
                case 6: return "#UD invalid opcode";
                case 7: return "#NM device not available";
                case 8: return "#DF double fault";
                case 10: return "#TS invalid TSS";
                case 11: return "#NP segment not present";
                case 12: return "#SS stack fault";
                case 13: return "#GP general protection";
                case 14: return "#PF page fault";
                case 16: return "#MF x87 error";
                case 17: return "#AC alignment check";
                case 18: return "#MC machine check";
                case 19: return "#XM SIMD error";
                case 20: return "#VE virtualization";
                case 21: return "#CP control protection";
                case 29: return "#VC VMM communication";
                case 30: return "#SX security";
                default: return "reserved vector";
            }
        }

        [RuntimeExport("xl_trap")]
        static void Trap(TrapFrame* f)
        {
            Serial.WriteLine();
            Serial.Write("*** XenLite CPU exception: ");
            Serial.Write(VectorName(f->Vector));
            Serial.Write(" (vector ");
            Serial.WriteDec(f->Vector);
            Serial.WriteLine(") ***");
            ulong cr2 = Cpu.ReadCr2(), guard = (ulong)Image.StackBottom() - 4096;
            if (f->Vector == 8 || (f->Vector == 14 && cr2 >= guard && cr2 < guard + 4096))
                Serial.WriteLine("(a fault on the stack guard page: likely a stack overflow / runaway recursion)");
            Reg("error", f->ErrorCode); Reg("cr2", Cpu.ReadCr2()); Serial.WriteLine();
            Reg("rip", f->Rip); Reg("cs", f->Cs); Reg("rflags", f->Rflags); Serial.WriteLine();
            Reg("rsp", f->Rsp); Reg("ss", f->Ss); Serial.WriteLine();
            Reg("rax", f->Rax); Reg("rbx", f->Rbx); Reg("rcx", f->Rcx); Reg("rdx", f->Rdx); Serial.WriteLine();
            Reg("rsi", f->Rsi); Reg("rdi", f->Rdi); Reg("rbp", f->Rbp); Reg("r8", f->R8); Serial.WriteLine();
            Reg("r9", f->R9); Reg("r10", f->R10); Reg("r11", f->R11); Reg("r12", f->R12); Serial.WriteLine();
            Reg("r13", f->R13); Reg("r14", f->R14); Reg("r15", f->R15); Serial.WriteLine();
            Reg("cr0", Cpu.ReadCr0()); Reg("cr3", Cpu.ReadCr3()); Reg("cr4", Cpu.ReadCr4()); Serial.WriteLine();
            // A fault in a frameless leaf (asm helper, small C#) leaves its caller's
            // return address on top of the stack rather than in the RBP chain.
            ulong top = f->Rsp >= (ulong)Image.StackBottom() && f->Rsp + 8 <= (ulong)Image.StackTop() + 32 * 1024 ? *(ulong*)f->Rsp : 0;
            if (top >= (ulong)Image.Start() && top < (ulong)Image.End())
            {
                Serial.Write("[rsp] ");
                Serial.WriteHex(top);
                Serial.WriteLine("  (caller, if the faulting function keeps no frame)");
            }
            Trail(f->Rip, f->Rbp);
            Stop(ExitCode.CpuException);
        }

        // Runtime panic (XenLite.Runtime.Panic.Fail): bounds, null, OOM, bad cast...
        [RuntimeExport("xl_panic")]
        static void RuntimePanic(char* message, int length, char* detail, int detailLength)
        {
            CrashText.PanicBanner(&Serial.Write, message, length, detail, detailLength);
            Trail(0, Cpu.ReadRbp());
            Stop(ExitCode.Panic);
        }

        static void Reg(string name, ulong value) => CrashText.Register(&Serial.Write, name, 7, value);

        // Return addresses found by following saved-RBP links. Only frames inside
        // the boot stack are trusted, so a corrupt chain ends the walk instead of
        // faulting. Resolve with: llvm-symbolizer --obj=<image>.elf <address>
        // (or grep the .map file build-image.sh writes next to the image).
        static void Trail(ulong rip, ulong rbp) => CrashText.Trail(&Serial.Write, rip, rbp, &OnBootStack);

        static bool OnBootStack(ulong p)
            => p >= (ulong)Image.StackBottom() && p + 16 <= (ulong)Image.StackTop() + 32 * 1024;

        static void Stop(ExitCode code)
        {
            Serial.WriteLine("resolve addresses: llvm-symbolizer --obj=<image>.elf <address>...");
            Serial.Write("*** stopping: debug-exit ");
            Serial.WriteDec((ulong)code);
            Serial.Write(" (QEMU status ");
            Serial.WriteDec((ulong)(((int)code << 1) | 1));
            Serial.WriteLine(") ***");
            Power.Exit(code);
        }
    }
}

// A CPU exception (boot/x86_64/idt.S calls xl_trap) ends the run as a failure
// a person can act on: one FAIL line with the vector and where it happened,
// then the verdict. Resolve rip with llvm-symbolizer --obj=<guest>.elf <rip>.
using System.Runtime;
using System.Runtime.InteropServices;

namespace XenLite.Guest
{
    // Stack layout built by idt.S trap_common (lowest address first).
    [StructLayout(LayoutKind.Sequential)]
    public struct TrapFrame
    {
        public ulong R15, R14, R13, R12, R11, R10, R9, R8;
        public ulong Rbp, Rdi, Rsi, Rdx, Rcx, Rbx, Rax;
        public ulong Vector, ErrorCode;
        public ulong Rip, Cs, Rflags, Rsp, Ss;
    }

    public static unsafe class Trap
    {
        [RuntimeExport("xl_trap")]
        static void Handle(TrapFrame* f)
        {
            Out.Add("FAIL guest: CPU exception ");
            Out.AddDec((long)f->Vector);
            Out.Add(" error ");
            Out.AddHex(f->ErrorCode);
            Out.Add(" at rip ");
            Out.AddHex(f->Rip);
            Out.Add(" cr2 ");
            Out.AddHex(XenLite.Boot.Cpu.ReadCr2());
            Out.End();
            Suite.Failed++;
            Guest.Finish(false);
        }
    }
}

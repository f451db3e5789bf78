// The x86_64 CPU surface C# may use: thin bindings to the helpers in cpu.S.
// Nothing here keeps state; each call is one privileged instruction.
using System.Runtime;
using System.Runtime.CompilerServices;

namespace XenLite.Boot
{
    public static unsafe class Cpu
    {
        const MethodImplOptions Asm = MethodImplOptions.InternalCall;

        [MethodImpl(Asm), RuntimeImport("*", "xl_inb")] public static extern byte InB(ushort port);
        [MethodImpl(Asm), RuntimeImport("*", "xl_inw")] public static extern ushort InW(ushort port);
        [MethodImpl(Asm), RuntimeImport("*", "xl_inl")] public static extern uint InL(ushort port);
        [MethodImpl(Asm), RuntimeImport("*", "xl_outb")] public static extern void OutB(ushort port, byte value);
        [MethodImpl(Asm), RuntimeImport("*", "xl_outw")] public static extern void OutW(ushort port, ushort value);
        [MethodImpl(Asm), RuntimeImport("*", "xl_outl")] public static extern void OutL(ushort port, uint value);

        [MethodImpl(Asm), RuntimeImport("*", "xl_rdmsr")] public static extern ulong ReadMsr(uint msr);
        [MethodImpl(Asm), RuntimeImport("*", "xl_wrmsr")] public static extern void WriteMsr(uint msr, ulong value);
        [MethodImpl(Asm), RuntimeImport("*", "xl_rdtsc")] public static extern ulong ReadTsc();
        // out4 receives eax, ebx, ecx, edx.
        [MethodImpl(Asm), RuntimeImport("*", "xl_cpuid")] public static extern void CpuId(uint leaf, uint subleaf, uint* out4);

        [MethodImpl(Asm), RuntimeImport("*", "xl_read_cr0")] public static extern ulong ReadCr0();
        [MethodImpl(Asm), RuntimeImport("*", "xl_read_cr2")] public static extern ulong ReadCr2();
        [MethodImpl(Asm), RuntimeImport("*", "xl_read_cr3")] public static extern ulong ReadCr3();
        [MethodImpl(Asm), RuntimeImport("*", "xl_read_cr4")] public static extern ulong ReadCr4();
        [MethodImpl(Asm), RuntimeImport("*", "xl_write_cr0")] public static extern void WriteCr0(ulong value);
        [MethodImpl(Asm), RuntimeImport("*", "xl_write_cr3")] public static extern void WriteCr3(ulong value);
        [MethodImpl(Asm), RuntimeImport("*", "xl_write_cr4")] public static extern void WriteCr4(ulong value);
        [MethodImpl(Asm), RuntimeImport("*", "xl_read_rflags")] public static extern ulong ReadRflags();
        // The frame pointer of the method calling this one.
        [MethodImpl(Asm), RuntimeImport("*", "xl_read_rbp")] public static extern ulong ReadRbp();

        [MethodImpl(Asm), RuntimeImport("*", "xl_hlt")] public static extern void Halt();
        [MethodImpl(Asm), RuntimeImport("*", "xl_cli")] public static extern void DisableInterrupts();
        [MethodImpl(Asm), RuntimeImport("*", "xl_sti")] public static extern void EnableInterrupts();
        [MethodImpl(Asm), RuntimeImport("*", "xl_pause")] public static extern void Pause();
        [MethodImpl(Asm), RuntimeImport("*", "xl_halt_forever")] public static extern void HaltForever();
        [MethodImpl(Asm), RuntimeImport("*", "xl_ud2")] public static extern void InvalidOpcode();
        [MethodImpl(Asm), RuntimeImport("*", "xl_invlpg")] public static extern void InvalidatePage(void* address);
        // Descriptor-table registers: `descriptor` points at 2-byte limit + 8-byte base.
        [MethodImpl(Asm), RuntimeImport("*", "xl_lidt")] public static extern void LoadIdt(void* descriptor);
        [MethodImpl(Asm), RuntimeImport("*", "xl_sidt")] public static extern void StoreIdt(void* descriptor);
        [MethodImpl(Asm), RuntimeImport("*", "xl_lgdt")] public static extern void LoadGdt(void* descriptor);
        [MethodImpl(Asm), RuntimeImport("*", "xl_sgdt")] public static extern void StoreGdt(void* descriptor);
    }

    // Addresses fixed by the linker script and entry code.
    public static unsafe class Image
    {
        const MethodImplOptions Asm = MethodImplOptions.InternalCall;

        [MethodImpl(Asm), RuntimeImport("*", "xl_image_start")] public static extern byte* Start();
        // First byte after .bss.
        [MethodImpl(Asm), RuntimeImport("*", "xl_image_end")] public static extern byte* End();
        [MethodImpl(Asm), RuntimeImport("*", "xl_stack_bottom")] public static extern byte* StackBottom();
        [MethodImpl(Asm), RuntimeImport("*", "xl_stack_top")] public static extern byte* StackTop();
        // Exception stub for vector v (0..31) is at TrapStubs() + 16 * v.
        [MethodImpl(Asm), RuntimeImport("*", "xl_trap_stubs")] public static extern byte* TrapStubs();
    }
}

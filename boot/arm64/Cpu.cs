// The arm64 CPU surface C# may use: thin bindings to the helpers in cpu.S.
// Nothing here keeps state; each call is one instruction or a short sequence.
using System.Runtime;
using System.Runtime.CompilerServices;

namespace XenLite.Boot
{
    public static unsafe class Cpu
    {
        const MethodImplOptions Asm = MethodImplOptions.InternalCall;

        // CurrentEL register value: the exception level is bits 3:2.
        [MethodImpl(Asm), RuntimeImport("*", "xl_read_current_el")] public static extern ulong ReadCurrentEl();
        [MethodImpl(Asm), RuntimeImport("*", "xl_read_midr")] public static extern ulong ReadMidr();
        [MethodImpl(Asm), RuntimeImport("*", "xl_read_mpidr")] public static extern ulong ReadMpidr();
        [MethodImpl(Asm), RuntimeImport("*", "xl_read_pfr0")] public static extern ulong ReadIdAa64Pfr0();
        [MethodImpl(Asm), RuntimeImport("*", "xl_read_mmfr0")] public static extern ulong ReadIdAa64Mmfr0();
        [MethodImpl(Asm), RuntimeImport("*", "xl_read_cntfrq")] public static extern ulong ReadCntFrq();
        [MethodImpl(Asm), RuntimeImport("*", "xl_read_cntpct")] public static extern ulong ReadCntPct();
        [MethodImpl(Asm), RuntimeImport("*", "xl_read_sctlr_el2")] public static extern ulong ReadSctlrEl2();
        [MethodImpl(Asm), RuntimeImport("*", "xl_read_tcr_el2")] public static extern ulong ReadTcrEl2();
        [MethodImpl(Asm), RuntimeImport("*", "xl_read_ttbr0_el2")] public static extern ulong ReadTtbr0El2();
        [MethodImpl(Asm), RuntimeImport("*", "xl_read_mair_el2")] public static extern ulong ReadMairEl2();
        [MethodImpl(Asm), RuntimeImport("*", "xl_read_hcr_el2")] public static extern ulong ReadHcrEl2();
        [MethodImpl(Asm), RuntimeImport("*", "xl_read_cptr_el2")] public static extern ulong ReadCptrEl2();
        [MethodImpl(Asm), RuntimeImport("*", "xl_read_vbar_el2")] public static extern ulong ReadVbarEl2();
        [MethodImpl(Asm), RuntimeImport("*", "xl_read_daif")] public static extern ulong ReadDaif();
        [MethodImpl(Asm), RuntimeImport("*", "xl_write_hcr_el2")] public static extern void WriteHcrEl2(ulong value);
        [MethodImpl(Asm), RuntimeImport("*", "xl_write_vbar_el2")] public static extern void WriteVbarEl2(ulong value);
        // The frame pointer (x29) of the method calling this one.
        [MethodImpl(Asm), RuntimeImport("*", "xl_read_fp")] public static extern ulong ReadFp();
        [MethodImpl(Asm), RuntimeImport("*", "xl_read_sp")] public static extern ulong ReadSp();

        // Install new EL2 stage-1 tables (must map the running code identically).
        [MethodImpl(Asm), RuntimeImport("*", "xl_switch_ttbr0_el2")] public static extern void SwitchTtbr0El2(ulong table);
        [MethodImpl(Asm), RuntimeImport("*", "xl_flush_tlb_el2")] public static extern void FlushTlbEl2();

        // SMC Calling Convention: function id and three arguments; result x0.
        [MethodImpl(Asm), RuntimeImport("*", "xl_smc")] public static extern ulong Smc(ulong function, ulong a1, ulong a2, ulong a3);
        [MethodImpl(Asm), RuntimeImport("*", "xl_hvc")] public static extern ulong Hvc(ulong function, ulong a1, ulong a2, ulong a3);
        // Semihosting call (HLT #0xF000); returns SemihostingMissing if QEMU has no -semihosting.
        [MethodImpl(Asm), RuntimeImport("*", "xl_semihost")] public static extern ulong Semihost(ulong operation, void* parameters);
        public const ulong SemihostingMissing = unchecked((ulong)-2L);

        [MethodImpl(Asm), RuntimeImport("*", "xl_wfi")] public static extern void WaitForInterrupt();
        [MethodImpl(Asm), RuntimeImport("*", "xl_wfe")] public static extern void WaitForEvent();
        [MethodImpl(Asm), RuntimeImport("*", "xl_mask_interrupts")] public static extern void MaskInterrupts();
        [MethodImpl(Asm), RuntimeImport("*", "xl_halt_forever")] public static extern void HaltForever();
        [MethodImpl(Asm), RuntimeImport("*", "xl_brk")] public static extern void Breakpoint();
        [MethodImpl(Asm), RuntimeImport("*", "xl_udf")] public static extern void Undefined();

        [MethodImpl(Asm), RuntimeImport("*", "xl_mmio_read32")] public static extern uint Read32(ulong address);
        [MethodImpl(Asm), RuntimeImport("*", "xl_mmio_write32")] public static extern void Write32(ulong address, uint value);
        [MethodImpl(Asm), RuntimeImport("*", "xl_mmio_read64")] public static extern ulong Read64(ulong address);
        [MethodImpl(Asm), RuntimeImport("*", "xl_mmio_write64")] public static extern void Write64(ulong address, ulong value);
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
        // The page under the boot stack; unmapped by Mmu so an overflow faults.
        [MethodImpl(Asm), RuntimeImport("*", "xl_boot_stack_guard")] public static extern byte* StackGuard();
        [MethodImpl(Asm), RuntimeImport("*", "xl_exception_stack_bottom")] public static extern byte* ExceptionStackBottom();
        [MethodImpl(Asm), RuntimeImport("*", "xl_exception_stack_top")] public static extern byte* ExceptionStackTop();
        [MethodImpl(Asm), RuntimeImport("*", "xl_boot_l1")] public static extern ulong* BootPageTable();
        [MethodImpl(Asm), RuntimeImport("*", "xl_mmu_pool")] public static extern byte* PageTablePool();
        [MethodImpl(Asm), RuntimeImport("*", "xl_mmu_pool_end")] public static extern byte* PageTablePoolEnd();
        // Address of the HLT in xl_semihost (Crash.cs recognises its trap).
        [MethodImpl(Asm), RuntimeImport("*", "xl_semihost_address")] public static extern ulong SemihostInstruction();
    }
}

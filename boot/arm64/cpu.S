// Helpers behind the C# `Cpu`, `Image` and `Psci` classes (AAPCS64: args
// x0-x7, result x0). Each is one instruction (or a short fixed sequence) and ret.
    .section .text.cpu, "ax"

    .macro fn name
    .globl \name
    .type \name, %function
    .p2align 2
\name:
    .endm

    .macro sysreg_read name, reg
fn xl_read_\name
    mrs     x0, \reg
    ret
    .endm
    .macro sysreg_write name, reg
fn xl_write_\name
    msr     \reg, x0
    isb
    ret
    .endm

    sysreg_read current_el, CurrentEL
    sysreg_read midr, midr_el1
    sysreg_read mpidr, mpidr_el1
    sysreg_read pfr0, id_aa64pfr0_el1
    sysreg_read mmfr0, id_aa64mmfr0_el1
    sysreg_read cntfrq, cntfrq_el0
    sysreg_read sctlr_el2, sctlr_el2
    sysreg_read tcr_el2, tcr_el2
    sysreg_read ttbr0_el2, ttbr0_el2
    sysreg_read mair_el2, mair_el2
    sysreg_read hcr_el2, hcr_el2
    sysreg_read cptr_el2, cptr_el2
    sysreg_read vbar_el2, vbar_el2
    sysreg_read daif, daif
    sysreg_write hcr_el2, hcr_el2
    sysreg_write vbar_el2, vbar_el2

fn xl_read_cntpct
    isb
    mrs     x0, cntpct_el0
    ret

// The frame pointer of the method calling this one (leaf: x29 is untouched).
fn xl_read_fp
    mov     x0, x29
    ret
fn xl_read_sp
    mov     x0, sp
    ret

// Switch EL2 stage-1 tables. The new map must map this code identically.
fn xl_switch_ttbr0_el2
    dsb     ishst
    msr     ttbr0_el2, x0
    isb
    tlbi    alle2
    dsb     ish
    isb
    ret
// After editing live page-table entries (invalid -> valid needs no TLB work,
// anything else does).
fn xl_flush_tlb_el2
    dsb     ishst
    tlbi    alle2
    dsb     ish
    isb
    ret

// Firmware calls (SMC Calling Convention): function id and args in x0-x3, result x0.
fn xl_smc
    smc     #0
    ret
fn xl_hvc
    hvc     #0
    ret

// Semihosting (Arm semihosting spec, A64: HLT #0xF000): op in w0, parameter
// block in x1, result x0. Without QEMU -semihosting the HLT is an undefined
// instruction; Crash.cs recognises that case and returns -2 here.
fn xl_semihost
    hlt     #0xf000
    ret

fn xl_wfi
    wfi
    ret
fn xl_wfe
    wfe
    ret
fn xl_mask_interrupts
    msr     daifset, #0xf
    ret
fn xl_halt_forever
    msr     daifset, #0xf
1:  wfi
    b       1b
fn xl_brk
    brk     #0x1
    ret
fn xl_udf
    .inst   0x00000000                  // permanently undefined (UDF #0)
    ret

// Linker-script addresses C# needs.
    .macro addr name, symbol
fn xl_\name
    adrp    x0, \symbol
    add     x0, x0, :lo12:\symbol
    ret
    .endm
    addr modules_start, __modules_start
    addr modules_end, __modules_end
    addr image_start, _start
    addr image_end, __image_end
    addr stack_bottom, boot_stack_bottom
    addr stack_top, boot_stack_top
    addr exception_stack_bottom, exception_stack_bottom
    addr exception_stack_top, exception_stack_top
    addr boot_l1, boot_l1

// Device registers: explicit single accesses the compiler cannot merge,
// reorder or hoist out of a polling loop.
fn xl_mmio_read32
    ldr     w0, [x0]
    ret
fn xl_mmio_write32
    str     w1, [x0]
    ret
fn xl_mmio_read64
    ldr     x0, [x0]
    ret
fn xl_mmio_write64
    str     x1, [x0]
    ret
    addr mmu_pool, mmu_pool
    addr mmu_pool_end, mmu_pool_end
    addr boot_stack_guard, boot_stack_guard
    addr semihost_address, xl_semihost

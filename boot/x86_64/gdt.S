// GDT: null, 64-bit code (0x08), data (0x10), TSS (0x18, 16 bytes, base filled
// at run time). The TSS gives the double-fault handler its own stack (IST1), so
// a stack overflow still produces a crash report.
    .section .data
    .align 16
    .globl gdt
gdt:
    .quad 0
    .quad 0x00AF9A000000FFFF        // 0x08: code, long mode, DPL 0
    .quad 0x00CF92000000FFFF        // 0x10: data
    .globl gdt_tss
gdt_tss:
    .quad 0                         // 0x18: TSS descriptor (filled by long_entry)
    .quad 0
gdt_end:

    .globl gdt_ptr
gdt_ptr:
    .word gdt_end - gdt - 1
    .quad gdt                       // lgdt in 32-bit mode reads the low 4 bytes

    .align 16
    .globl tss
tss:
    .long 0
    .quad boot_stack_top            // rsp0
    .quad 0, 0                      // rsp1, rsp2
    .quad 0
    .quad ist1_stack_top            // ist1: double fault
    .quad ist2_stack_top            // ist2: NMI, machine check
    .quad 0, 0, 0, 0, 0
    .quad 0
    .word 0
    .word 104                       // I/O bitmap offset: none
tss_end:

    .section .bss
    .align 4096
    .globl stack_guard, boot_stack_bottom, boot_stack_top
stack_guard:                        // left unmapped by entry32.S: overflow faults
    .skip 4096
boot_stack_bottom:
    .skip 256 * 1024
boot_stack_top:
    .skip 16 * 1024
ist1_stack_top:
    .skip 16 * 1024
ist2_stack_top:

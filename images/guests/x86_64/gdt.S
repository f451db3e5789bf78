// The guest's GDT, TSS, stacks, heap and hypercall page.
// Selectors: 0x08 64-bit code, 0x10 flat data, 0x18 TSS (16 bytes),
// 0x28 flat 32-bit code (PVH entry, and compatibility mode for hvm32 hypercalls).
    .section .data
    .align 16
guest_gdt:
    .quad 0
    .quad 0x00AF9A000000FFFF        // 0x08: code, long mode, DPL 0
    .quad 0x00CF92000000FFFF        // 0x10: data, 4 GiB flat
    .globl guest_gdt_tss
guest_gdt_tss:
    .quad 0                         // 0x18: TSS descriptor, filled at start-up
    .quad 0
    .quad 0x00CF9A000000FFFF        // 0x28: code, 32-bit, 4 GiB flat
guest_gdt_end:

    .globl guest_gdt_ptr
guest_gdt_ptr:
    .word guest_gdt_end - guest_gdt - 1
    .quad guest_gdt                 // lgdt in 32-bit mode reads the low 4 bytes

    .align 16
    .globl guest_tss
guest_tss:
    .long 0
    .quad boot_stack_top            // rsp0
    .quad 0, 0
    .quad 0
    .quad ist_stack_top             // ist1: double fault
    .quad ist_stack_top             // ist2: NMI, machine check
    .quad 0, 0, 0, 0, 0
    .quad 0
    .word 0
    .word 104                       // no I/O bitmap

    .globl __security_cookie
    .align 8
__security_cookie:
    .quad 0x2f5c3a9e1d7b4c68

    .section .bss
    .align 4096
    .globl hypercall_page           // Xen fills it when its GPA is written to the MSR
hypercall_page:
    .skip 4096
    .globl boot_stack_bottom, boot_stack_top
boot_stack_bottom:                  // names shared with boot/x86_64/cpu.S
    .skip 64 * 1024
boot_stack_top:
    .skip 8 * 1024
ist_stack_top:
    .globl heap_start, heap_end
    .align 4096
heap_start:                   // the runtime's allocator (statics, small objects)
    .skip 256 * 1024
heap_end:

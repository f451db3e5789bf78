// Executes VMLOAD, which the hypervisor intercepts and does not emulate: it
// must inject #UD, and our IDT's #UD handler catches it, checks the faulting
// address is the VMLOAD, says so and powers off.
#include "tiny.h"
    PVH_ENTRY(start)
    .code32
    .text
    .globl start
start:
    mov $stack_top, %esp
    lgdt gdt_ptr
    ljmp $0x08, $1f                 // our own flat code segment for the IDT gate
1:  mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    // IDT entry 6: 32-bit interrupt gate to ud_handler, selector 0x08.
    mov $ud_handler, %eax
    mov %ax, idt + 6 * 8
    movw $0x08, idt + 6 * 8 + 2
    movw $0x8E00, idt + 6 * 8 + 4
    shr $16, %eax
    mov %ax, idt + 6 * 8 + 6
    lidt idt_ptr
    lea hello, %esi
    call puts
    xor %eax, %eax                  // a page-aligned VMCB address: else VMLOAD is #GP before any intercept
faulting:
    vmload
    lea missed, %esi
    call puts
    jmp poweroff

ud_handler:
    cmpl $faulting, (%esp)          // saved EIP
    jne 1f
    lea caught, %esi
    call puts
    jmp poweroff
1:  lea wrong, %esi
    call puts
    jmp poweroff

    .data
hello:  .asciz "ud: executing vmload\n"
caught: .asciz "ud: caught #UD at the vmload\n"
wrong:  .asciz "ud: #UD at an unexpected address\n"
missed: .asciz "ud: vmload did not fault\n"
    .align 8
gdt:    .quad 0
        .quad 0x00CF9A000000FFFF    // 0x08 code, flat 32-bit
        .quad 0x00CF92000000FFFF    // 0x10 data, flat
gdt_ptr: .word 3 * 8 - 1
        .long gdt
    .align 8
idt_ptr: .word 32 * 8 - 1
        .long idt
    .bss
    .align 16
idt:    .skip 32 * 8
    .skip 4096
stack_top:

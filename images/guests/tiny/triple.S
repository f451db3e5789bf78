// Triple-faults on purpose: with an empty IDT the #UD from ud2 cannot be
// delivered (#GP), nor can that (#DF), so the CPU shuts down. The hypervisor
// must report the crash and survive.
#include "tiny.h"
    PVH_ENTRY(start)
    .code32
    .text
    .globl start
start:
    mov $stack_top, %esp
    lea hello, %esi
    call puts
    lidt empty_idt
    ud2
1:  jmp 1b

    .data
hello: .asciz "triple: loading an empty IDT and faulting\n"
    .align 8
empty_idt: .word 0
    .long 0
    .bss
    .align 16
    .skip 4096
stack_top:

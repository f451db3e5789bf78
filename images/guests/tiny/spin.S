// Says hello, then spins for ever with interrupts off: a guest that never ends,
// for the image harness's hung-boot timeout (the hypervisor keeps scheduling it).
#include "tiny.h"
    PVH_ENTRY(start)
    .code32
    .text
    .globl start
start:
    mov $stack_top, %esp
    lea hello, %esi
    call puts
1:  jmp 1b

    .data
hello:
    .asciz "spin: running for ever\n"

    .bss
    .align 16
    .space 4096
stack_top:

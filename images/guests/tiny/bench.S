// Times hypercall round trips from inside the guest: ROUNDS back-to-back
// xen_version(XENVER_version) vmmcalls between two rdtsc, then prints
// "bench: vmmcall round trip <n> cycles" and powers off.
#include "tiny.h"
#define HYPERVISOR_xen_version 17
#define ROUNDS 2000
    PVH_ENTRY(start)
    .code32
    .text
    .globl start
start:
    mov $stack_top, %esp
    mov $ROUNDS, %edi
    rdtsc
    mov %eax, %esi                  // start in ebp:esi
    mov %edx, %ebp
1:  mov $HYPERVISOR_xen_version, %eax
    xor %ebx, %ebx
    xor %ecx, %ecx
    vmmcall
    dec %edi
    jnz 1b
    rdtsc
    sub %esi, %eax
    sbb %ebp, %edx
    mov $ROUNDS, %ecx
    div %ecx                        // edx:eax / ROUNDS (quotient fits while the total < 2^32 * ROUNDS)
    push %eax
    lea label, %esi
    call puts
    pop %eax
    call putdec
    lea unit, %esi
    call puts
    jmp poweroff

    .data
label: .asciz "bench: vmmcall round trip "
unit:  .asciz " cycles\n"
    .bss
    .align 16
    .skip 4096
stack_top:

// Routines every tiny guest links: text to the debug console and the final
// SCHEDOP_shutdown(poweroff). Nothing here touches memory but the stack.
#include "tiny.h"
    .code32
    .text
    // puts(esi = NUL-terminated string): bytes to port 0xe9.
    .globl puts
puts:
    push %eax
    push %esi
1:  lodsb
    test %al, %al
    jz 2f
    outb %al, $0xe9
    jmp 1b
2:  pop %esi
    pop %eax
    ret

    // putdec(eax): unsigned decimal to port 0xe9.
    .globl putdec
putdec:
    push %eax
    push %ebx
    push %ecx
    push %edx
    mov $10, %ebx
    xor %ecx, %ecx
1:  xor %edx, %edx
    div %ebx
    push %edx
    inc %ecx
    test %eax, %eax
    jnz 1b
2:  pop %eax
    add $'0', %al
    outb %al, $0xe9
    loop 2b
    pop %edx
    pop %ecx
    pop %ebx
    pop %eax
    ret

    // poweroff(): SCHEDOP_shutdown with SHUTDOWN_poweroff; never returns.
    .globl poweroff
poweroff:
    movl $SHUTDOWN_poweroff, shutdown_reason
    mov $HYPERVISOR_sched_op, %eax
    mov $SCHEDOP_shutdown, %ebx
    mov $shutdown_reason, %ecx
    vmmcall
    lea still_running, %esi
    call puts
1:  cli
    hlt
    jmp 1b

    .data
shutdown_reason: .long 0
still_running: .asciz "SCHEDOP_shutdown returned\n"

// The host's timer interrupt for the scheduler (hv/Arch/X86/VcpuLoop.cs): the
// LAPIC timer's vector only acknowledges the interrupt (EOI) and returns; its
// work is done by making the guest exit (VMEXIT_INTR) or ending the idle HLT.
// The spurious vector needs no EOI. Both gates are installed by LapicTimer.cs.
    .text
    .globl xl_lapic_timer_isr
    .type xl_lapic_timer_isr, @function
xl_lapic_timer_isr:
    push %rax
    mov xl_lapic_eoi(%rip), %rax
    movl $0, (%rax)
    pop %rax
    iretq
    .size xl_lapic_timer_isr, . - xl_lapic_timer_isr

    .globl xl_lapic_spurious_isr
    .type xl_lapic_spurious_isr, @function
xl_lapic_spurious_isr:
    iretq
    .size xl_lapic_spurious_isr, . - xl_lapic_spurious_isr

// void* xl_lapic_isr(int spurious): the address of one of the two handlers.
    .globl xl_lapic_isr
xl_lapic_isr:
    lea xl_lapic_timer_isr(%rip), %rax
    test %edi, %edi
    jz 1f
    lea xl_lapic_spurious_isr(%rip), %rax
1:  ret

// void xl_lapic_set_eoi(void* eoi_register)
    .globl xl_lapic_set_eoi
xl_lapic_set_eoi:
    mov %rdi, xl_lapic_eoi(%rip)
    ret

// Idle: interrupts on for exactly the HLT (STI's shadow makes "sti; hlt" atomic),
// so the timer wakes the CPU, its handler runs, and they are off again.
    .globl xl_wait_for_interrupt
xl_wait_for_interrupt:
    sti
    hlt
    cli
    ret

    .data
    .balign 8
xl_lapic_eoi:
    .quad 0xFEE000B0

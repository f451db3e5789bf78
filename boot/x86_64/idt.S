// IDT with gates for the 32 CPU exceptions. Each stub pushes a dummy error
// code when the CPU does not, then its vector, and joins trap_common, which
// saves all GPRs and calls the C# handler xl_trap(TrapFrame*). If the handler
// returns, registers are restored and the faulting code resumes.
#define HAS_ERR(v) ((v) == 8 || (v) == 10 || (v) == 11 || (v) == 12 || (v) == 13 || (v) == 14 || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

    .section .text.idt, "ax"
    .code64

    .macro trap_stub v
    .align 16
trap_stub_\v:
    .if !HAS_ERR(\v)
    push $0
    .endif
    push $\v
    jmp trap_common
    .endm

    .globl xl_trap_stubs_start
xl_trap_stubs_start:
    .irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    trap_stub \v
    .endr

trap_common:
    push %rax
    push %rbx
    push %rcx
    push %rdx
    push %rsi
    push %rdi
    push %rbp
    push %r8
    push %r9
    push %r10
    push %r11
    push %r12
    push %r13
    push %r14
    push %r15
    mov %rsp, %rdi                  // TrapFrame*
    mov %rsp, %rbx
    and $-16, %rsp                  // SysV alignment for the C# call
    cld
    call xl_trap
    mov %rbx, %rsp
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %r11
    pop %r10
    pop %r9
    pop %r8
    pop %rbp
    pop %rdi
    pop %rsi
    pop %rdx
    pop %rcx
    pop %rbx
    pop %rax
    add $16, %rsp                   // vector, error code
    iretq

// Fill gates 0..31 (interrupt gates, DPL 0, selector 0x08) and load the IDT.
// #DF uses IST1; NMI and #MC use IST2.
    .globl idt_init
idt_init:
    lea idt(%rip), %rdi
    lea xl_trap_stubs_start(%rip), %rax
    xor %ecx, %ecx
1:  mov %rax, %rdx
    mov %dx, (%rdi)                 // offset 15:0
    movw $0x08, 2(%rdi)
    xor %r8d, %r8d
    cmp $8, %ecx
    jne 2f
    mov $1, %r8d
2:  cmp $2, %ecx
    je 3f
    cmp $18, %ecx
    jne 4f
3:  mov $2, %r8d
4:  mov %r8b, 4(%rdi)               // IST index
    movb $0x8E, 5(%rdi)             // present, interrupt gate
    shr $16, %rdx
    mov %dx, 6(%rdi)                // offset 31:16
    shr $16, %rdx
    mov %edx, 8(%rdi)               // offset 63:32
    movl $0, 12(%rdi)
    add $16, %rdi
    add $16, %rax                   // stubs are 16-byte aligned and < 16 bytes
    inc %ecx
    cmp $32, %ecx
    jne 1b
    lidt idt_ptr(%rip)
    ret

    .section .data
    .align 16
    .globl idt_ptr
idt_ptr:
    .word 256 * 16 - 1
    .quad idt

    .section .bss
    .align 4096
    .globl idt
idt:
    .skip 256 * 16

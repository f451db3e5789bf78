// Hypercalls through the page Xen filled in: slot n is at hypercall_page + 32*n.
// Nothing is assumed about the stubs' bytes; they are only called.
    .section .text.hypercall, "ax"
    .code64

    .macro fn name
    .globl \name
    .type \name, @function
\name:
    .endm

// long guest_hypercall(nr, a1, a2, a3, a4, a5), from 64-bit mode.
// SysV brings rdi, rsi, rdx, rcx, r8, r9; the hvm64 ABI wants the
// arguments in rdi, rsi, rdx, r10, r8 and returns rax.
fn guest_hypercall
    mov %rdi, %rax
    shl $5, %rax
    lea hypercall_page(%rip), %r11
    add %rax, %r11
    mov %rsi, %rdi
    mov %rdx, %rsi
    mov %rcx, %rdx
    mov %r8, %r10
    mov %r9, %r8
    call *%r11
    ret

// long guest_hypercall32(nr, a1, a2, a3, a4, a5): the same call made from a
// 32-bit compatibility-mode code segment (EFER.LMA=1, CS.L=0), which Xen treats
// as an hvm32 guest: arguments in ebx, ecx, edx, esi, edi, result in eax
// (sign-extended here). The switch back may leave the upper halves of
// registers undefined, so everything the caller relies on is restored from
// the stack and rsp from memory.
fn guest_hypercall32
    push %rbx
    push %rbp
    push %r12
    push %r13
    push %r14
    push %r15
    mov %rdi, %rax
    shl $5, %rax
    lea hypercall_page(%rip), %rbp
    add %rax, %rbp                  // below 4 GiB: callable as ebp
    mov %rsi, %rbx                  // a1
    mov %rcx, %r11                  // a3 (rcx is needed for a2)
    mov %rdx, %rcx                  // a2
    mov %r11, %rdx                  // a3
    mov %r8, %rsi                   // a4
    mov %r9, %rdi                   // a5
    mov %rsp, saved_rsp(%rip)
    lea 1f(%rip), %rax
    pushq $0x28
    push %rax
    lretq
    .code32
1:  call *%ebp
    pushl $0x08
    pushl $2f
    lretl
    .code64
2:  mov saved_rsp(%rip), %rsp
    movslq %eax, %rax
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %rbp
    pop %rbx
    ret

// Addresses from gdt.S and the linker script.
fn guest_hypercall_page
    lea hypercall_page(%rip), %rax
    ret
fn guest_heap_start
    lea heap_start(%rip), %rax
    ret
fn guest_heap_end
    lea heap_end(%rip), %rax
    ret

    .section .bss
    .align 8
saved_rsp:
    .skip 8

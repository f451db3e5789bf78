// 64-bit start: segments, TSS, SSE, IDT for the CPU exceptions, a stack
// cookie, then kmain(magic, info) in C#. RBP is zeroed so stack walks end here.
    .section .text.entry64, "ax"
    .code64
    .globl long_entry
long_entry:
    mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    xor %ax, %ax
    mov %ax, %fs
    mov %ax, %gs
    mov $boot_stack_top, %rsp

    // TSS descriptor: limit, base (split across the 16 bytes), type 0x89.
    lea tss(%rip), %rax
    lea gdt_tss(%rip), %rdi
    movw $103, (%rdi)                // limit: 104-byte TSS, no I/O bitmap
    mov %ax, 2(%rdi)
    mov %rax, %rdx
    shr $16, %rdx
    mov %dl, 4(%rdi)
    movb $0x89, 5(%rdi)
    movb $0, 6(%rdi)
    mov %dh, 7(%rdi)
    shr $32, %rax
    mov %eax, 8(%rdi)
    mov $0x18, %ax
    ltr %ax

    // SSE: ILC code copies and zeroes with XMM registers.
    mov %cr0, %rax
    and $~0x4, %rax                 // EM off
    or $0x22, %rax                  // MP | NE
    mov %rax, %cr0
    mov %cr4, %rax
    or $0x600, %rax                 // OSFXSR | OSXMMEXCPT
    mov %rax, %cr4

    call idt_init

    rdtsc                           // stack-protector cookie: anything non-constant
    shl $32, %rdx
    or %rdx, %rax
    or $0x5a5a, %rax
    mov %rax, __security_cookie(%rip)

    mov %esi, %edi                  // kmain(magic, info)
    mov %ebp, %esi
    xor %ebp, %ebp
    call kmain
1:  cli
    hlt
    jmp 1b

    .section .data
    .align 8
    .globl __security_cookie
__security_cookie:
    .quad 0x2f5c3a9e1d7b4c68

// kexec's last step on x86_64 (Handoff.cs): the relocation stub runs from the
// control page, the one page kexec_load promised is no destination, so it can
// overwrite everything else, this hypervisor included.
    .text
    .code64

// void xl_handoff(control, plan, count, entry): copies the stub to the control
// page and jumps there; never returns. plan (count {dest, source, pages}
// entries, source ~0 = zero-fill) must already be in the control page too.
    .globl xl_handoff
    .type xl_handoff, @function
xl_handoff:
    cli
    cld
    mov %rdi, %r8                   // control page
    mov %rsi, %r9                   // plan
    mov %rdx, %r10                  // count
    mov %rcx, %r11                  // entry
    lea xl_handoff_stub(%rip), %rsi
    mov %r8, %rdi
    mov $(xl_handoff_stub_end - xl_handoff_stub), %ecx
    rep movsb
    jmp *%r8
    .size xl_handoff, . - xl_handoff

// Position independent; r8 = its own address, r9 = plan, r10 = count, r11 = entry.
// Uses no stack: the old one may be a destination.
xl_handoff_stub:
    mov %r11d, %ebp                 // entry, kept where 32-bit code can read it
1:  test %r10, %r10
    jz 4f
    mov (%r9), %rdi                 // dest
    mov 8(%r9), %rsi                // source
    mov 16(%r9), %rcx               // pages
    shl $9, %rcx                    // quadwords
    cmp $-1, %rsi
    je 2f
    rep movsq
    jmp 3f
2:  xor %eax, %eax
    rep stosq
3:  add $24, %r9
    dec %r10
    jmp 1b

    // To 32-bit protected mode with paging off: our own GDT (the hypervisor's
    // may be gone), a far return into its 32-bit code segment (compatibility
    // mode), then paging and long mode off. Identity mapping keeps us running.
4:  lea (stub_gdt - xl_handoff_stub)(%r8), %rax
    mov %rax, (stub_gdtr + 2 - xl_handoff_stub)(%r8)
    lgdt (stub_gdtr - xl_handoff_stub)(%r8)
    lea (5f - xl_handoff_stub)(%r8), %rax
    pushq $0x08
    push %rax
    lretq
    .code32
5:  mov $0x10, %eax
    mov %eax, %ds
    mov %eax, %es
    mov %eax, %ss
    mov %eax, %fs
    mov %eax, %gs
    mov %cr0, %eax
    and $0x7FFFFFFF, %eax           // PG off (leaves long mode: LMA clears)
    mov %eax, %cr0
    mov $0xC0000080, %ecx           // EFER.LME off
    rdmsr
    and $~0x100, %eax
    wrmsr
    mov %cr4, %eax                  // PAE off: plain 32-bit protected mode
    and $~0x20, %eax
    mov %eax, %cr4
    xor %eax, %eax
    mov %eax, %cr3
    xor %ebx, %ebx
    xor %ecx, %ecx
    xor %edx, %edx
    xor %esi, %esi
    xor %edi, %edi
    xor %esp, %esp
    jmp *%ebp
    .code64

    .align 8
stub_gdt:
    .quad 0
    .quad 0x00CF9A000000FFFF        // 0x08: flat 32-bit code
    .quad 0x00CF92000000FFFF        // 0x10: flat data
stub_gdtr:
    .word 3 * 8 - 1
    .quad 0                         // filled with stub_gdt's address in the control page
xl_handoff_stub_end:


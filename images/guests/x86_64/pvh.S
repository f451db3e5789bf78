// PVH entry of our x86_64 test guests. Xen (and QEMU -kernel) find the entry
// through the XEN_ELFNOTE_PHYS32_ENTRY note and start it in 32-bit protected
// mode, paging off, EBX = hvm_start_info's address. The GDTR and stack are
// undefined there, so both are set before anything else. Then: zero .bss,
// identity-map the low 4 GiB (page 0 left out so null dereferences fault),
// enter long mode, and call guest_main(start_info) in C#.
    .section .note.Xen, "a", @note
    .align 4
    .long 4                         // namesz: "Xen\0"
    .long 8                         // descsz
    .long 18                        // XEN_ELFNOTE_PHYS32_ENTRY
    .asciz "Xen"
    .quad pvh_start                 // 8 bytes, as Linux does for 64-bit images
    .align 4
    .long 4
    .long 4
    .long 17                        // XEN_ELFNOTE_SUPPORTED_FEATURES
    .asciz "Xen"
    .long 1 << 11                   // XENFEAT_dom0: may be booted as the hardware domain
    .align 4

    .section .text.entry32, "ax"
    .code32
    .globl pvh_start
pvh_start:
    cli
    cld
    mov %ebx, %esi                  // start info (rep stosb spares esi)
    lgdt guest_gdt_ptr
    mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    ljmp $0x28, $1f                 // our own flat 32-bit code segment
1:
    mov $__bss_start, %edi
    mov $__bss_end, %ecx
    sub %edi, %ecx
    xor %eax, %eax
    rep stosb
    mov $boot_stack_top, %esp

    // PML4[0] -> PDPT; PDPT[0..3] -> four page directories of 2 MiB pages.
    mov $pdpt, %eax
    or $3, %eax
    mov %eax, pml4
    mov $page_dirs, %eax
    or $3, %eax
    xor %ecx, %ecx
2:  mov %eax, pdpt(,%ecx,8)
    add $4096, %eax
    inc %ecx
    cmp $4, %ecx
    jne 2b
    xor %ecx, %ecx
3:  mov %ecx, %eax
    shl $21, %eax
    or $0x83, %eax                  // present | writable | 2 MiB
    mov %eax, page_dirs(,%ecx,8)
    inc %ecx
    cmp $2048, %ecx
    jne 3b
    // The first 2 MiB through 4 KiB pages, entry 0 absent.
    mov $1, %ecx
4:  mov %ecx, %eax
    shl $12, %eax
    or $3, %eax
    mov %eax, low_pt(,%ecx,8)
    inc %ecx
    cmp $512, %ecx
    jne 4b
    mov $low_pt, %eax
    or $3, %eax
    mov %eax, page_dirs

    mov %cr4, %eax                  // PAE
    or $0x20, %eax
    mov %eax, %cr4
    mov $pml4, %eax
    mov %eax, %cr3
    mov $0xC0000080, %ecx           // EFER.LME
    rdmsr
    or $0x100, %eax
    wrmsr
    mov %cr0, %eax                  // PG | PE
    or $0x80000001, %eax
    mov %eax, %cr0
    ljmp $0x08, $guest_long_entry

    .section .text.entry64, "ax"
    .code64
guest_long_entry:
    mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    xor %ax, %ax
    mov %ax, %fs
    mov %ax, %gs
    mov $boot_stack_top, %rsp

    // TSS descriptor (16 bytes at 0x18): the exception gates of idt.S use IST stacks.
    lea guest_tss(%rip), %rax
    lea guest_gdt_tss(%rip), %rdi
    movw $103, (%rdi)
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

    // SSE: ILC code copies and zeroes frames with XMM registers.
    mov %cr0, %rax
    and $~0x4, %rax                 // EM off
    or $0x22, %rax                  // MP | NE
    mov %rax, %cr0
    mov %cr4, %rax
    or $0x600, %rax                 // OSFXSR | OSXMMEXCPT
    mov %rax, %cr4

    call idt_init                   // boot/x86_64/idt.S: vectors 0-31 -> xl_trap

    rdtsc                           // stack-protector cookie
    shl $32, %rdx
    or %rdx, %rax
    or $0x5a5a, %rax
    mov %rax, __security_cookie(%rip)

    mov %esi, %edi                  // guest_main(start_info)
    xor %ebp, %ebp
    call guest_main
1:  cli
    hlt
    jmp 1b

    .section .bss
    .align 4096
pml4:       .skip 4096
pdpt:       .skip 4096
page_dirs:  .skip 4 * 4096
low_pt:     .skip 4096

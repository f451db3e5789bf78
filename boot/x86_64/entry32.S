// 32-bit entry from a Multiboot loader: eax = magic, ebx = info (physical).
// Zero .bss, build identity page tables for the low 4 GiB (2 MiB pages, but
// the first 2 MiB in 4 KiB pages so page 0 is absent and null derefs fault,
// and so is the guard page under the boot stack),
// enable PAE + long mode + paging, and far-jump into 64-bit code.
    .section .text.entry32, "ax"
    .code32
    .globl _start
_start:
    cli
    cld
    mov %eax, %esi                  // keep magic (rep stosb spares esi)
    mov %ebx, %ebp                  // keep info pointer

    mov $__bss_start, %edi          // zero .bss: page tables and stack live there
    mov $__bss_end, %ecx
    sub %edi, %ecx
    xor %eax, %eax
    rep stosb

    mov $boot_stack_top, %esp

    // PML4[0] -> PDPT; PDPT[0..3] -> the four page directories.
    mov $pdpt, %eax
    or $3, %eax
    mov %eax, pml4
    mov $page_dirs, %eax
    or $3, %eax
    xor %ecx, %ecx
1:  mov %eax, pdpt(,%ecx,8)
    add $4096, %eax
    inc %ecx
    cmp $4, %ecx
    jne 1b

    // 2048 x 2 MiB pages: present | writable | page size.
    xor %ecx, %ecx
2:  mov %ecx, %eax
    shl $21, %eax
    or $0x83, %eax
    mov %eax, page_dirs(,%ecx,8)
    inc %ecx
    cmp $2048, %ecx
    jne 2b

    // First 2 MiB through a page table; entry 0 stays zero (not present).
    mov $1, %ecx
3:  mov %ecx, %eax
    shl $12, %eax
    or $3, %eax
    mov %eax, low_pt(,%ecx,8)
    inc %ecx
    cmp $512, %ecx
    jne 3b
    mov $stack_guard, %eax          // unmap the page below the boot stack
    shr $12, %eax
    cmp $512, %eax
    jae 4f
    movl $0, low_pt(,%eax,8)
4:  mov $low_pt, %eax
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

    lgdt gdt_ptr
    ljmp $0x08, $long_entry

    .section .bss
    .align 4096
    .globl pml4
pml4:       .skip 4096
pdpt:       .skip 4096
page_dirs:  .skip 4 * 4096
low_pt:     .skip 4096

// arm64 entry. QEMU (`-kernel`, Image or ELF) starts us at EL2 with the MMU
// off, x0 = the device tree (Image boot; 0 for an ELF, whose DTB QEMU puts at
// the start of RAM). Order: keep x0, zero .bss, stacks, SIMD on, boot page
// tables + EL2 MMU, vectors, stack cookie, then kmain(dtb, el) in C#.
// Not at EL2: no MMU work, straight to C#, which reports it and stops.
    .section .text.head, "ax"
    .globl _start
_start:
    // 64-byte arm64 Linux Image header (Documentation/arch/arm64/booting.rst).
    b       entry                       // code0
    .long   0                           // code1
    .quad   0x200000                    // text_offset: 2 MiB above a 2 MiB-aligned RAM base (link.ld)
    .quad   __image_end - _start        // image_size incl. .bss (non-zero: text_offset valid)
    .quad   0x2                         // flags: little endian, 4 KiB pages, 2 MiB-aligned base
    .quad   0, 0, 0                     // res2..res4
    .ascii  "ARM\x64"                   // magic
    .long   0                           // res5

entry:
    mov     x19, x0                     // DTB pointer (callee-saved across helpers)
    mrs     x20, CurrentEL
    lsr     x20, x20, #2
    and     x20, x20, #3

    adrp    x1, __bss_start             // zero .bss: stacks and page tables live there
    add     x1, x1, :lo12:__bss_start
    adrp    x2, __bss_end
    add     x2, x2, :lo12:__bss_end
1:  cmp     x1, x2
    b.hs    2f
    stp     xzr, xzr, [x1], #16
    b       1b
2:
    cmp     x20, #2
    b.ne    wrong_el

    // SIMD/FP untrapped at EL2 (ILC zeroes and copies frames with NEON);
    // 0x33ff = RES1 bits, TFP (bit 10) clear.
    mov     x1, #0x33ff
    msr     cptr_el2, x1
    // EL1 runs AArch64 (RW); nothing else trapped or virtualized yet.
    mov     x1, #(1 << 31)
    msr     hcr_el2, x1

    // Exception stack on SP_EL2; all other code runs on SP_EL0 (EL2t), so a
    // fault with a broken stack still has a good stack to report on.
    adrp    x1, exception_stack_top
    add     x1, x1, :lo12:exception_stack_top
    mov     sp, x1
    adrp    x1, boot_stack_top
    add     x1, x1, :lo12:boot_stack_top
    msr     sp_el0, x1
    msr     spsel, #0

    adrp    x1, xl_vectors
    add     x1, x1, :lo12:xl_vectors
    msr     vbar_el2, x1
    isb

    mov     x0, x19
    bl      boot_map_build
    bl      mmu_enable

    mrs     x1, cntpct_el0              // stack-protector cookie: anything non-constant
    eor     x1, x1, x19, lsl #13
    mov     x2, #0x5a5a
    orr     x1, x1, x2
    adrp    x2, __security_cookie
    str     x1, [x2, :lo12:__security_cookie]

    mov     x0, x19
    mov     x1, x20
    mov     x29, xzr                    // stack walks end here
    mov     x30, xzr
    bl      kmain
3:  wfi
    b       3b

// EL1 (virtualization=off) or EL3: enable SIMD for EL1, take a stack, let C#
// say what is wrong. The MMU stays off.
wrong_el:
    cmp     x20, #1
    b.ne    4f
    mov     x1, #(3 << 20)              // CPACR_EL1.FPEN: no SIMD/FP traps
    msr     cpacr_el1, x1
    isb
4:  adrp    x1, boot_stack_top
    add     x1, x1, :lo12:boot_stack_top
    mov     sp, x1
    mov     x0, x19
    mov     x1, x20
    mov     x29, xzr
    mov     x30, xzr
    bl      kmain
5:  wfi
    b       5b

    .section .data
    .align 3
    .globl __security_cookie
__security_cookie:
    .quad 0x2f5c3a9e1d7b4c68

    .section .bss
    .align 12
    .globl boot_stack_bottom, boot_stack_top
    .globl boot_stack_guard
boot_stack_guard:
    .skip 4096                          // unmapped once C# builds the final map
boot_stack_bottom:
    .skip 256 * 1024
boot_stack_top:
    .globl exception_stack_bottom, exception_stack_top
exception_stack_bottom:
    .skip 16 * 1024
exception_stack_top:

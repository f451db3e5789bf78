// arm64 test guest entry: a Linux-style Image (64-byte header) the hypervisor
// loads at RAM base + text_offset and enters at EL1h, MMU off, x0 = its device
// tree. Order: SIMD on, stack, .bss zeroed, stage-1 identity map (1 GiB
// blocks: 0-1 GiB devices, 1-2 GiB RAM), MMU and caches on, vectors, stack
// cookie, then guest_main(dtb) in C#.
#define DEVICE_BLOCK  0x0060000000000401    /* block, AttrIndx 0, AF, PXN|UXN */
#define NORMAL_BLOCK  0x0000000000000705    /* block, AttrIndx 1, inner shareable, AF */
#define MAIR_VALUE    0xff00                /* attr0 Device-nGnRnE, attr1 Normal write-back */
#define TCR_VALUE     0x00803519            /* T0SZ 25, WBWA inner-shareable walks, 4 KiB, EPD1, 32-bit IPS */
#define SCTLR_VALUE   0x30d01805            /* RES1 + M, C, I */

    .section .text.head, "ax"
    .globl _start
_start:
    b       entry                       // code0
    .long   0                           // code1
    .quad   0x80000                     // text_offset
    .quad   __image_end - _start        // image_size incl. .bss
    .quad   0x2                         // little endian, 4 KiB pages
    .quad   0, 0, 0
    .ascii  "ARM\x64"
    .long   0

entry:
    mov     x19, x0
    mov     x1, #(3 << 20)              // CPACR_EL1.FPEN: ILC's code uses SIMD
    msr     cpacr_el1, x1
    isb
    adrp    x1, boot_stack_top
    add     x1, x1, :lo12:boot_stack_top
    mov     sp, x1

    adrp    x1, __bss_start
    add     x1, x1, :lo12:__bss_start
    adrp    x2, __bss_end
    add     x2, x2, :lo12:__bss_end
1:  cmp     x1, x2
    b.hs    2f
    stp     xzr, xzr, [x1], #16
    b       1b
2:
    adrp    x1, guest_l1
    add     x1, x1, :lo12:guest_l1
    ldr     x2, =DEVICE_BLOCK
    str     x2, [x1]
    ldr     x2, =(0x40000000 | NORMAL_BLOCK)
    str     x2, [x1, #8]
    mov     x2, #MAIR_VALUE
    msr     mair_el1, x2
    ldr     x2, =TCR_VALUE
    msr     tcr_el1, x2
    msr     ttbr0_el1, x1
    isb
    tlbi    vmalle1
    dsb     nsh
    isb
    ldr     x2, =SCTLR_VALUE
    msr     sctlr_el1, x2
    isb

    adrp    x1, guest_vectors
    add     x1, x1, :lo12:guest_vectors
    msr     vbar_el1, x1
    isb

    mrs     x1, cntvct_el0              // stack-protector cookie: anything non-constant
    eor     x1, x1, x19, lsl #13
    mov     x2, #0x5a5a
    orr     x1, x1, x2
    adrp    x2, __security_cookie
    str     x1, [x2, :lo12:__security_cookie]

    mov     x0, x19
    mov     x29, xzr
    mov     x30, xzr
    bl      guest_main
3:  wfi
    b       3b
    .ltorg

    .macro addr name, symbol
    .globl \name
    .type \name, %function
\name:
    adrp    x0, \symbol
    add     x0, x0, :lo12:\symbol
    ret
    .endm
    addr xl_modules_start, __modules_start
    addr xl_modules_end, __modules_end
    addr guest_heap_start, heap_start
    addr guest_heap_end, heap_end

    .section .data
    .align 3
    .globl __security_cookie
__security_cookie:
    .quad 0x2f5c3a9e1d7b4c68

    .section .bss
    .align 12
guest_l1:
    .skip 4096
boot_stack_bottom:
    .skip 64 * 1024
boot_stack_top:
heap_start:                             // the runtime's allocator (statics, small objects)
    .skip 512 * 1024
heap_end:

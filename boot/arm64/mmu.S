// Boot page tables for the EL2 MMU, built before any C# runs. 39-bit address
// space (TCR_EL2.T0SZ = 25), 4 KiB granule, translation starts at level 1:
//   level-1 entry 0 (0-1 GiB, QEMU virt's devices) -> a level-2 table of
//     2 MiB Device-nGnRnE blocks, except 0-2 MiB which stays unmapped so
//     null pointers fault;
//   the 1 GiB holding the image, and the one holding the DTB -> Normal memory.
// C# (Mmu.cs) replaces this map with one built from the device tree.
#define NORMAL_BLOCK  0x745                 /* block, AttrIndx 1, AP[1] (RES1 at EL2), inner shareable, AF */
#define DEVICE_BLOCK  0x441                 /* block, AttrIndx 0, AP[1], AF (+ XN, bit 54) */
#define MAIR_VALUE    0xff00                /* attr0 Device-nGnRnE, attr1 Normal write-back */
#define TCR_VALUE     0x80803519            /* RES1 31/23, SH0 inner, WB walks, T0SZ 25 (+ PS) */
#define SCTLR_VALUE   0x30c5183d            /* RES1 bits + M, C, SA, I; A = 0 (unaligned allowed) */

    .section .text.mmu, "ax"

    .globl boot_map_build               // boot_map_build(dtb in x0)
boot_map_build:
    mov     x9, x30
    adrp    x1, boot_l1
    add     x1, x1, :lo12:boot_l1
    adrp    x2, boot_l2_low
    add     x2, x2, :lo12:boot_l2_low
    orr     x3, x2, #3                  // table descriptor
    str     x3, [x1]

    mov     x4, #1                      // level 2: 2 MiB device blocks 1..511
    mov     x5, #DEVICE_BLOCK
    orr     x5, x5, #(1 << 54)
1:  orr     x3, x5, x4, lsl #21
    str     x3, [x2, x4, lsl #3]
    add     x4, x4, #1
    cmp     x4, #512
    b.ne    1b

    adrp    x6, _start                  // the image's gigabyte
    bl      map_gigabyte
    mov     x6, x0                      // the DTB's gigabyte (if any, and not device space)
    bl      map_gigabyte

    // Tables were written with the MMU off: drop any stale cached copies.
    mrs     x3, ctr_el0
    ubfx    x3, x3, #16, #4             // DminLine: log2(words)
    mov     x4, #4
    lsl     x4, x4, x3                  // line size in bytes
    adrp    x5, boot_l1
    add     x5, x5, :lo12:boot_l1
    add     x6, x5, #8192
2:  dc      ivac, x5
    add     x5, x5, x4
    cmp     x5, x6
    b.lo    2b
    dsb     sy
    ret     x9

// x6 = an address; level-1 entry for its gigabyte -> Normal block, if the
// address is in 1 GiB..512 GiB. Uses x1 (boot_l1), x3, x7, x8.
map_gigabyte:
    lsr     x7, x6, #30
    cbz     x7, 3f
    cmp     x7, #512
    b.hs    3f
    lsl     x3, x7, #30
    mov     x8, #NORMAL_BLOCK
    orr     x3, x3, x8
    str     x3, [x1, x7, lsl #3]
3:  ret

    .globl mmu_enable                   // turn on the EL2 MMU with boot_l1
mmu_enable:
    mov     x1, #MAIR_VALUE
    msr     mair_el2, x1
    mrs     x2, id_aa64mmfr0_el1        // output size = what the CPU implements, at most 48 bits
    and     x2, x2, #7
    cmp     x2, #5
    mov     x3, #5
    csel    x2, x2, x3, ls
    ldr     x1, =TCR_VALUE
    orr     x1, x1, x2, lsl #16
    msr     tcr_el2, x1
    adrp    x1, boot_l1
    add     x1, x1, :lo12:boot_l1
    msr     ttbr0_el2, x1
    isb
    tlbi    alle2
    dsb     ish
    isb
    ldr     x1, =SCTLR_VALUE
    msr     sctlr_el2, x1
    isb
    ret
    .ltorg

    .section .bss
    .align 12
    .globl boot_l1
boot_l1:
    .skip 4096
boot_l2_low:
    .skip 4096

// Pages for the C# page-table builder (Mmu.cs): used before the heap exists.
    .globl mmu_pool, mmu_pool_end
    .align 12
mmu_pool:
    .skip 32 * 4096
mmu_pool_end:

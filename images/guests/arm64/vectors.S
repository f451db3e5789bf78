// The guest's EL1 vectors. A synchronous exception records ESR/FAR/ELR in
// guest_fault and, when a probe armed guest_fault.recover, resumes there (the
// tests that expect an injected exception); otherwise it is fatal and C#
// (GuestTrap) reports it. IRQs are acknowledged here, without calling C#:
// the INTID is recorded, the virtual timer (27) is stopped, and the interrupt
// ended, on the GICv3 system registers or the GICv2 CPU interface.
#define ICC_IAR1_EL1    S3_0_C12_C12_0
#define ICC_EOIR1_EL1   S3_0_C12_C12_1
#define FAULT_ESR 0
#define FAULT_FAR 8
#define FAULT_ELR 16
#define FAULT_COUNT 24
#define FAULT_RECOVER 32
#define IRQ_GIC 0
#define IRQ_GICC 8
#define IRQ_LAST 16
#define IRQ_COUNT 24
#define IRQ_TIMER 32

    .section .text.vectors, "ax"

    .macro entry target
    .p2align 7
    b       \target
    .endm

    .p2align 11
    .globl guest_vectors
guest_vectors:
    .irp n, 0,1
    entry on_sync
    entry on_irq
    entry on_fatal
    entry on_fatal
    .endr
    .irp n, 0,1
    entry on_fatal
    entry on_fatal
    entry on_fatal
    entry on_fatal
    .endr

on_sync:
    sub     sp, sp, #16
    stp     x0, x1, [sp]
    adrp    x0, guest_fault
    add     x0, x0, :lo12:guest_fault
    mrs     x1, esr_el1
    str     x1, [x0, #FAULT_ESR]
    mrs     x1, far_el1
    str     x1, [x0, #FAULT_FAR]
    mrs     x1, elr_el1
    str     x1, [x0, #FAULT_ELR]
    ldr     x1, [x0, #FAULT_COUNT]
    add     x1, x1, #1
    str     x1, [x0, #FAULT_COUNT]
    ldr     x1, [x0, #FAULT_RECOVER]
    cbz     x1, 1f
    str     xzr, [x0, #FAULT_RECOVER]
    msr     elr_el1, x1
    ldp     x0, x1, [sp]
    add     sp, sp, #16
    eret
1:  ldp     x0, x1, [sp]
    add     sp, sp, #16
on_fatal:
    mrs     x0, esr_el1
    mrs     x1, far_el1
    mrs     x2, elr_el1
    mrs     x3, spsr_el1
    bl      guest_trap                  // C#: prints and powers off; never returns
2:  wfi
    b       2b

on_irq:
    sub     sp, sp, #32
    stp     x0, x1, [sp]
    stp     x2, x3, [sp, #16]
    adrp    x2, guest_irq
    add     x2, x2, :lo12:guest_irq
    ldr     x0, [x2, #IRQ_GIC]
    ldr     x3, [x2, #IRQ_GICC]
    cmp     x0, #3
    b.ne    1f
    mrs     x1, ICC_IAR1_EL1
    b       2f
1:  ldr     w1, [x3, #0x0c]             // GICC_IAR
2:  and     x0, x1, #0x3ff
    cmp     x0, #1020
    b.hs    9f                          // spurious: nothing to end
    str     x0, [x2, #IRQ_LAST]
    ldr     x0, [x2, #IRQ_COUNT]
    add     x0, x0, #1
    str     x0, [x2, #IRQ_COUNT]
    and     x0, x1, #0x3ff
    cmp     x0, #27
    b.ne    3f
    msr     cntv_ctl_el0, xzr           // the timer stops asserting its line
    ldr     x0, [x2, #IRQ_TIMER]
    add     x0, x0, #1
    str     x0, [x2, #IRQ_TIMER]
    isb
3:  ldr     x0, [x2, #IRQ_GIC]
    cmp     x0, #3
    b.ne    4f
    msr     ICC_EOIR1_EL1, x1
    b       9f
4:  str     w1, [x3, #0x10]             // GICC_EOIR
9:  ldp     x2, x3, [sp, #16]
    ldp     x0, x1, [sp]
    add     sp, sp, #32
    eret

    .section .bss
    .align 3
    .globl guest_fault, guest_irq
guest_fault:
    .skip 40
guest_irq:
    .skip 40

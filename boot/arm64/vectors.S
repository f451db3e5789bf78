// EL2 vector table. Every entry saves the interrupted state as an
// ExceptionFrame (Crash.cs) on SP_EL2 and calls xl_trap(frame) in C#. C# runs
// on SP_EL0 (EL2t), so faults from it use the "current EL, SP0" entries and
// the handler still gets the clean exception stack. If xl_trap returns, the
// (possibly edited) frame is restored and execution resumes at its ELR.
#define FRAME       304                     /* 31 x-regs, sp, elr, spsr, esr, far, kind; 16-aligned */
#define OFF_SP      248
#define OFF_ELR     256
#define OFF_SPSR    264
#define OFF_ESR     272
#define OFF_FAR     280
#define OFF_KIND    288

    .section .text.vectors, "ax"

    .macro entry kind
    .p2align 7
    sub     sp, sp, #FRAME
    stp     x0, x1, [sp, #0]
    mov     x0, #\kind
    b       vector_common
    .endm

    .p2align 11
    .globl xl_vectors
xl_vectors:
    // kinds: 0-3 current EL with SP_EL0, 4-7 current EL with SP_EL2,
    // 8-11 lower EL AArch64, 12-15 lower EL AArch32; each sync, IRQ, FIQ, SError.
    .irp k, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
    entry \k
    .endr

vector_common:
    stp     x2, x3, [sp, #16]
    stp     x4, x5, [sp, #32]
    stp     x6, x7, [sp, #48]
    stp     x8, x9, [sp, #64]
    stp     x10, x11, [sp, #80]
    stp     x12, x13, [sp, #96]
    stp     x14, x15, [sp, #112]
    stp     x16, x17, [sp, #128]
    stp     x18, x19, [sp, #144]
    stp     x20, x21, [sp, #160]
    stp     x22, x23, [sp, #176]
    stp     x24, x25, [sp, #192]
    stp     x26, x27, [sp, #208]
    stp     x28, x29, [sp, #224]
    str     x30, [sp, #240]
    str     x0, [sp, #OFF_KIND]
    // The interrupted stack pointer: SP_EL0 for kinds 0-3, our own SP before
    // the frame for 4-7, the guest's SP_EL1 for lower ELs.
    mrs     x1, sp_el0
    cmp     x0, #4
    b.lo    1f
    add     x1, sp, #FRAME
    cmp     x0, #8
    b.lo    1f
    mrs     x1, sp_el1
1:  str     x1, [sp, #OFF_SP]
    mrs     x1, elr_el2
    mrs     x2, spsr_el2
    stp     x1, x2, [sp, #OFF_ELR]
    mrs     x1, esr_el2
    mrs     x2, far_el2
    stp     x1, x2, [sp, #OFF_ESR]
    mov     x0, sp
    bl      xl_trap

    ldp     x1, x2, [sp, #OFF_ELR]
    msr     elr_el2, x1
    msr     spsr_el2, x2
    ldp     x2, x3, [sp, #16]
    ldp     x4, x5, [sp, #32]
    ldp     x6, x7, [sp, #48]
    ldp     x8, x9, [sp, #64]
    ldp     x10, x11, [sp, #80]
    ldp     x12, x13, [sp, #96]
    ldp     x14, x15, [sp, #112]
    ldp     x16, x17, [sp, #128]
    ldp     x18, x19, [sp, #144]
    ldp     x20, x21, [sp, #160]
    ldp     x22, x23, [sp, #176]
    ldp     x24, x25, [sp, #192]
    ldp     x26, x27, [sp, #208]
    ldp     x28, x29, [sp, #224]
    ldr     x30, [sp, #240]
    ldp     x0, x1, [sp, #0]
    add     sp, sp, #FRAME
    eret

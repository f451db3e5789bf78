// The arm64 world switch and the hypervisor's EL2 vectors.
//
// xl_guest_run(RegisterFile *regs, GuestContext *ctx) enters the loaded vCPU:
// the host's callee-saved registers (x19-x30, d8-d15, FPCR/FPSR) go on the
// host stack (SP_EL0), the guest's q0-q31, FPCR/FPSR, SP_EL0, PC, PSTATE and
// x0-x30 are loaded, and ERET runs it. Any exception from the guest arrives at
// a lower-EL entry of xl_hv_vectors, which saves all of that back (plus ESR,
// FAR, HPFAR and the exit kind) through TPIDR_EL2 = ctx, restores the host
// stack and returns from xl_guest_run as if it were an ordinary call.
// Exceptions taken at EL2 itself go to boot's xl_vectors (crash report).
//
// Offsets: RegisterFile x0..x30 at 0..240, PC at 256, PSTATE at 264;
// GuestContext (hv/Arch/Arm64/GuestContext.cs) as below.
#define CTX_REGS    0
#define CTX_HOSTSP  8
#define CTX_KIND    16
#define CTX_ESR     24
#define CTX_HPFAR   40
#define CTX_SPEL0   48
#define CTX_FPCR    56
#define CTX_V       128
#define CTX_EL1     640
#define REG_PC      256
#define HOST_FRAME  176

    .section .text.world, "ax"

    .macro fn name
    .globl \name
    .type \name, %function
    .p2align 2
\name:
    .endm

    .macro fp_regs op, base
    \op     q0, q1, [\base, #0]
    \op     q2, q3, [\base, #32]
    \op     q4, q5, [\base, #64]
    \op     q6, q7, [\base, #96]
    \op     q8, q9, [\base, #128]
    \op     q10, q11, [\base, #160]
    \op     q12, q13, [\base, #192]
    \op     q14, q15, [\base, #224]
    \op     q16, q17, [\base, #256]
    \op     q18, q19, [\base, #288]
    \op     q20, q21, [\base, #320]
    \op     q22, q23, [\base, #352]
    \op     q24, q25, [\base, #384]
    \op     q26, q27, [\base, #416]
    \op     q28, q29, [\base, #448]
    \op     q30, q31, [\base, #480]
    .endm

fn xl_guest_run
    sub     sp, sp, #HOST_FRAME
    stp     x19, x20, [sp, #0]
    stp     x21, x22, [sp, #16]
    stp     x23, x24, [sp, #32]
    stp     x25, x26, [sp, #48]
    stp     x27, x28, [sp, #64]
    stp     x29, x30, [sp, #80]
    stp     d8, d9, [sp, #96]
    stp     d10, d11, [sp, #112]
    stp     d12, d13, [sp, #128]
    stp     d14, d15, [sp, #144]
    mrs     x2, fpcr
    mrs     x3, fpsr
    stp     x2, x3, [sp, #160]
    mov     x2, sp
    str     x2, [x1, #CTX_HOSTSP]
    str     x0, [x1, #CTX_REGS]
    msr     tpidr_el2, x1
    dsb     ishst                       // stage-2 table writes visible to the walker

    add     x2, x1, #CTX_V
    fp_regs ldp, x2
    ldp     x3, x4, [x1, #CTX_FPCR]
    msr     fpcr, x3
    msr     fpsr, x4

    msr     spsel, #1                   // SP_EL0 becomes the guest's
    ldr     x3, [x1, #CTX_SPEL0]
    msr     sp_el0, x3
    ldp     x3, x4, [x0, #REG_PC]
    msr     elr_el2, x3
    msr     spsr_el2, x4
    ldp     x2, x3, [x0, #16]
    ldp     x4, x5, [x0, #32]
    ldp     x6, x7, [x0, #48]
    ldp     x8, x9, [x0, #64]
    ldp     x10, x11, [x0, #80]
    ldp     x12, x13, [x0, #96]
    ldp     x14, x15, [x0, #112]
    ldp     x16, x17, [x0, #128]
    ldp     x18, x19, [x0, #144]
    ldp     x20, x21, [x0, #160]
    ldp     x22, x23, [x0, #176]
    ldp     x24, x25, [x0, #192]
    ldp     x26, x27, [x0, #208]
    ldp     x28, x29, [x0, #224]
    ldr     x30, [x0, #240]
    ldp     x0, x1, [x0, #0]
    eret

guest_exit:                             // x0 = kind; guest x0/x1 on SP_EL2
    mrs     x1, tpidr_el2
    str     x0, [x1, #CTX_KIND]
    ldr     x0, [x1, #CTX_REGS]
    stp     x2, x3, [x0, #16]
    stp     x4, x5, [x0, #32]
    stp     x6, x7, [x0, #48]
    stp     x8, x9, [x0, #64]
    stp     x10, x11, [x0, #80]
    stp     x12, x13, [x0, #96]
    stp     x14, x15, [x0, #112]
    stp     x16, x17, [x0, #128]
    stp     x18, x19, [x0, #144]
    stp     x20, x21, [x0, #160]
    stp     x22, x23, [x0, #176]
    stp     x24, x25, [x0, #192]
    stp     x26, x27, [x0, #208]
    stp     x28, x29, [x0, #224]
    str     x30, [x0, #240]
    ldp     x2, x3, [sp], #16
    stp     x2, x3, [x0, #0]
    mrs     x2, elr_el2
    mrs     x3, spsr_el2
    stp     x2, x3, [x0, #REG_PC]
    mrs     x2, esr_el2
    mrs     x3, far_el2
    stp     x2, x3, [x1, #CTX_ESR]
    mrs     x2, hpfar_el2
    mrs     x3, sp_el0
    stp     x2, x3, [x1, #CTX_HPFAR]    // HPFAR, then SP_EL0 at 48
    add     x2, x1, #CTX_V
    fp_regs stp, x2
    mrs     x3, fpcr
    mrs     x4, fpsr
    stp     x3, x4, [x1, #CTX_FPCR]

    ldr     x2, [x1, #CTX_HOSTSP]
    msr     sp_el0, x2
    msr     spsel, #0                   // back on the host stack
    ldp     x2, x3, [sp, #160]
    msr     fpcr, x2
    msr     fpsr, x3
    ldp     d8, d9, [sp, #96]
    ldp     d10, d11, [sp, #112]
    ldp     d12, d13, [sp, #128]
    ldp     d14, d15, [sp, #144]
    ldp     x19, x20, [sp, #0]
    ldp     x21, x22, [sp, #16]
    ldp     x23, x24, [sp, #32]
    ldp     x25, x26, [sp, #48]
    ldp     x27, x28, [sp, #64]
    ldp     x29, x30, [sp, #80]
    add     sp, sp, #HOST_FRAME
    ret

// Current-EL entries go to boot's vectors (same layout), lower-EL ones leave the guest.
    .macro host_entry n
    .p2align 7
    b       xl_vectors + \n * 0x80
    .endm
    .macro guest_entry kind
    .p2align 7
    stp     x0, x1, [sp, #-16]!
    mov     x0, #\kind
    b       guest_exit
    .endm

    .p2align 11
    .globl xl_hv_vectors
xl_hv_vectors:
    .irp n, 0,1,2,3,4,5,6,7
    host_entry \n
    .endr
    .irp k, 0,1,2,3,0,1,2,3
    guest_entry \k
    .endr

// Calls into the hypervisor and small CPU helpers for the arm64 test guest
// (AAPCS64: arguments x0-x7, result x0).
#define ICC_PMR_EL1     S3_0_C4_C6_0
#define ICC_IGRPEN1_EL1 S3_0_C12_C12_7

    .section .text.calls, "ax"

    .macro fn name
    .globl \name
    .type \name, %function
    .p2align 2
\name:
    .endm

// long guest_hypercall(nr, a1, a2, a3, a4, a5): Xen's arm64 ABI is
// hvc #0xEA1 with the number in x16, arguments x0-x4, result x0.
fn guest_hypercall
    mov     x16, x0
    mov     x0, x1
    mov     x1, x2
    mov     x2, x3
    mov     x3, x4
    mov     x4, x5
    hvc     #0xea1
    ret

// SMCCC/PSCI call (function id, three arguments) over hvc #0 or smc #0.
fn guest_smccc_hvc
    hvc     #0
    ret
fn guest_smccc_smc
    smc     #0
    ret

// hvc with an immediate Xen does not know: returns 1 when an exception came
// back (resumed at 1f through guest_fault.recover), 0 if the hvc just returned.
fn guest_hvc_wrong_immediate
    adr     x1, 1f
    adrp    x2, guest_fault
    add     x2, x2, :lo12:guest_fault
    str     x1, [x2, #32]
    hvc     #0x1
    str     xzr, [x2, #32]
    mov     x0, #0
    ret
1:  mov     x0, #1
    ret

// Reads a word at x0 with recovery: 1 = the read faulted, 0 = it did not.
fn guest_probe_read
    adr     x1, 1f
    adrp    x2, guest_fault
    add     x2, x2, :lo12:guest_fault
    str     x1, [x2, #32]
    ldr     w3, [x0]
    str     xzr, [x2, #32]
    mov     x0, #0
    ret
1:  mov     x0, #1
    ret

    .macro sysreg_read name, reg
fn guest_read_\name
    isb
    mrs     x0, \reg
    ret
    .endm
    .macro sysreg_write name, reg
fn guest_write_\name
    msr     \reg, x0
    isb
    ret
    .endm
    sysreg_read cntvct, cntvct_el0
    sysreg_read cntpct, cntpct_el0
    sysreg_read cntfrq, cntfrq_el0
    sysreg_read mpidr, mpidr_el1
    sysreg_read midr, midr_el1
    sysreg_read cntv_ctl, cntv_ctl_el0
    sysreg_write cntv_ctl, cntv_ctl_el0
    sysreg_write cntv_tval, cntv_tval_el0
    sysreg_write icc_pmr, ICC_PMR_EL1
    sysreg_write icc_igrpen1, ICC_IGRPEN1_EL1

fn guest_irq_enable
    msr     daifclr, #2
    ret
fn guest_irq_disable
    msr     daifset, #2
    ret
fn guest_wfi
    wfi
    ret
// Called with IRQs masked, returns with them masked. WFI still wakes for a masked
// pending interrupt; the window after it takes that interrupt (the ISB makes sure
// it is taken before IRQs are masked again). A caller that tests its condition
// with IRQs masked and then waits here cannot lose the interrupt in between.
fn guest_wait_for_irq
    wfi
    msr     daifclr, #2
    isb
    msr     daifset, #2
    ret

fn guest_mmio_read32
    ldr     w0, [x0]
    ret
fn guest_mmio_write32
    str     w1, [x0]
    ret
fn guest_mmio_read8
    ldrb    w0, [x0]
    ret
fn guest_mmio_write8
    strb    w1, [x0]
    ret
fn guest_fault_state
    adrp    x0, guest_fault
    add     x0, x0, :lo12:guest_fault
    ret
fn guest_irq_state
    adrp    x0, guest_irq
    add     x0, x0, :lo12:guest_irq
    ret

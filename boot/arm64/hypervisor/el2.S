// EL2 and EL1 system-register helpers for the hypervisor image (AAPCS64:
// arguments x0-x7, result x0). EL1 registers are saved/loaded as one block in
// the order of hv/Arch/Arm64/El1Reg.cs.
#define CTX_EL1 640

    .section .text.el2, "ax"

    .macro fn name
    .globl \name
    .type \name, %function
    .p2align 2
\name:
    .endm

    .macro el1_pairs op
    \op     sctlr_el1, ttbr0_el1, 0
    \op     ttbr1_el1, tcr_el1, 16
    \op     mair_el1, amair_el1, 32
    \op     vbar_el1, contextidr_el1, 48
    \op     tpidr_el1, tpidr_el0, 64
    \op     tpidrro_el0, sp_el1, 80
    \op     elr_el1, spsr_el1, 96
    \op     esr_el1, far_el1, 112
    \op     afsr0_el1, afsr1_el1, 128
    \op     par_el1, cpacr_el1, 144
    \op     cntkctl_el1, csselr_el1, 160
    .endm
    .macro save_pair a, b, off
    mrs     x1, \a
    mrs     x2, \b
    stp     x1, x2, [x0, #\off]
    .endm
    .macro load_pair a, b, off
    ldp     x1, x2, [x0, #\off]
    msr     \a, x1
    msr     \b, x2
    .endm

// The virtual timer (El1Reg 22 CNTV_CTL, 23 CNTV_CVAL) last; on load the compare value goes first.
fn xl_el1_save                          // x0 = GuestContext*
    add     x0, x0, #CTX_EL1
    el1_pairs save_pair
    save_pair cntv_ctl_el0, cntv_cval_el0, 176
    ret

fn xl_el1_load                          // x0 = GuestContext*
    add     x0, x0, #CTX_EL1
    el1_pairs load_pair
    ldp     x1, x2, [x0, #176]
    msr     cntv_cval_el0, x2
    msr     cntv_ctl_el0, x1
    isb
    ret

// One EL1 register by El1Reg index: a table of two-instruction entries.
fn xl_el1_read                          // x0 = index
    adr     x1, 1f
    add     x1, x1, x0, lsl #3
    br      x1
1:
    .irp r, sctlr_el1, ttbr0_el1, ttbr1_el1, tcr_el1, mair_el1, amair_el1, vbar_el1, contextidr_el1, tpidr_el1, tpidr_el0, tpidrro_el0, sp_el1, elr_el1, spsr_el1, esr_el1, far_el1, afsr0_el1, afsr1_el1, par_el1, cpacr_el1, cntkctl_el1, csselr_el1, cntv_ctl_el0, cntv_cval_el0
    mrs     x0, \r
    ret
    .endr

fn xl_el1_write                         // x0 = index, x1 = value
    adr     x2, 1f
    add     x2, x2, x0, lsl #3
    br      x2
1:
    .irp r, sctlr_el1, ttbr0_el1, ttbr1_el1, tcr_el1, mair_el1, amair_el1, vbar_el1, contextidr_el1, tpidr_el1, tpidr_el0, tpidrro_el0, sp_el1, elr_el1, spsr_el1, esr_el1, far_el1, afsr0_el1, afsr1_el1, par_el1, cpacr_el1, cntkctl_el1, csselr_el1, cntv_ctl_el0, cntv_cval_el0
    msr     \r, x1
    ret
    .endr

fn xl_load_world                        // vttbr, hcr, cntvoff, vmpidr, vpidr
    msr     vttbr_el2, x0
    msr     hcr_el2, x1
    msr     cntvoff_el2, x2
    msr     vmpidr_el2, x3
    msr     vpidr_el2, x4
    isb
    ret

fn xl_enable_virt                       // vtcr, cnthctl
    msr     vtcr_el2, x0
    msr     cnthctl_el2, x1
    msr     cntvoff_el2, xzr
    isb
    tlbi    alle1is
    dsb     ish
    isb
    ret

fn xl_flush_guest_tlb                   // vttbr of the VMID to flush
    dsb     ishst
    mrs     x1, vttbr_el2
    msr     vttbr_el2, x0
    isb
    tlbi    vmalls12e1is
    dsb     ish
    msr     vttbr_el2, x1
    isb
    ret

fn xl_set_hyp_timer                     // absolute count; 0 = off
    cbz     x0, 1f
    msr     cnthp_cval_el2, x0
    mov     x1, #1
    msr     cnthp_ctl_el2, x1
    isb
    ret
1:  msr     cnthp_ctl_el2, xzr
    isb
    ret

fn xl_read_cntpct_hv
    isb
    mrs     x0, cntpct_el0
    ret

fn xl_set_hv_vectors                    // x0 = vector base
    msr     vbar_el2, x0
    isb
    ret

fn xl_hv_vectors_address
    adrp    x0, xl_hv_vectors
    add     x0, x0, :lo12:xl_hv_vectors
    ret

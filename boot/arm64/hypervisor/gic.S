// GICv3 CPU-interface and virtual-interface system registers (the GICv2
// equivalents are memory-mapped and reached from C# through Cpu.Read32/Write32).
// Generic S3_* names: the assembler needs no GIC extension enabled.
#define ICC_SRE_EL2     S3_4_C12_C9_5
#define ICC_PMR_EL1     S3_0_C4_C6_0
#define ICC_CTLR_EL1    S3_0_C12_C12_4
#define ICC_IGRPEN1_EL1 S3_0_C12_C12_7
#define ICC_IAR1_EL1    S3_0_C12_C12_0
#define ICC_EOIR1_EL1   S3_0_C12_C12_1
#define ICH_HCR_EL2     S3_4_C12_C11_0
#define ICH_VTR_EL2     S3_4_C12_C11_1
#define ICH_VMCR_EL2    S3_4_C12_C11_7
#define ICH_AP1R0_EL2   S3_4_C12_C9_0

    .section .text.gic, "ax"

    .macro fn name
    .globl \name
    .type \name, %function
    .p2align 2
\name:
    .endm

// System-register access for EL2 and (SRE) for EL1, priority mask open,
// EOImode 0 (EOI also deactivates), group 1 on, virtual interface on.
fn xl_gic3_init_cpu
    mov     x0, #0xf                    // SRE, DFB, DIB, Enable (EL1 may use its SRE)
    msr     ICC_SRE_EL2, x0
    isb
    mov     x0, #0xff
    msr     ICC_PMR_EL1, x0
    msr     ICC_CTLR_EL1, xzr
    mov     x0, #1
    msr     ICC_IGRPEN1_EL1, x0
    msr     ICH_HCR_EL2, x0
    isb
    ret

fn xl_gic3_ack
    mrs     x0, ICC_IAR1_EL1
    dsb     sy
    ret

fn xl_gic3_eoi
    msr     ICC_EOIR1_EL1, x0
    isb
    ret

fn xl_gic3_vtr
    mrs     x0, ICH_VTR_EL2
    ret

fn xl_gic3_read_vmcr
    mrs     x0, ICH_VMCR_EL2
    ret
fn xl_gic3_write_vmcr
    msr     ICH_VMCR_EL2, x0
    ret
fn xl_gic3_read_apr
    mrs     x0, ICH_AP1R0_EL2
    ret
fn xl_gic3_write_apr
    msr     ICH_AP1R0_EL2, x0
    ret

// ICH_LR<n>_EL2, n = 0..15: two-instruction table entries.
fn xl_gic3_read_lr                      // x0 = n
    adr     x1, 1f
    add     x1, x1, x0, lsl #3
    br      x1
1:
    .irp n, 0,1,2,3,4,5,6,7
    mrs     x0, S3_4_C12_C12_\n
    ret
    .endr
    .irp n, 0,1,2,3,4,5,6,7
    mrs     x0, S3_4_C12_C13_\n
    ret
    .endr

fn xl_gic3_write_lr                     // x0 = n, x1 = value
    adr     x2, 1f
    add     x2, x2, x0, lsl #3
    br      x2
1:
    .irp n, 0,1,2,3,4,5,6,7
    msr     S3_4_C12_C12_\n, x1
    ret
    .endr
    .irp n, 0,1,2,3,4,5,6,7
    msr     S3_4_C12_C13_\n, x1
    ret
    .endr

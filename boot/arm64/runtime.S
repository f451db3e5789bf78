// Runtime symbols ILC-generated arm64 code calls with special register
// contracts, so they cannot be C#. No GC means write barriers are plain stores.
    .section .text.runtime, "ax"

    .macro fn name
    .globl \name
    .type \name, %function
    .p2align 2
\name:
    .endm

// x14 = destination, x15 = reference; on return x14 += 8 (x12, x17 may be trashed).
fn RhpAssignRefArm64
fn RhpCheckedAssignRefArm64
    str     x15, [x14], #8
    ret

// x13 = source, x14 = destination; both += 8; x15 is trashed.
fn RhpByRefAssignRefArm64
    ldr     x15, [x13], #8
    str     x15, [x14], #8
    ret

// Interface dispatch with more than two implementations: not supported
// (hv/ has no interfaces). Fault loudly if it is ever reached.
fn RhpInitialDynamicInterfaceDispatch
    brk     #0xd15

// Reverse P/Invoke transitions tell a GC which threads run managed code.
// There is no GC, so nothing to record.
fn RhpReversePInvoke
    ret
fn RhpReversePInvokeReturn
    ret

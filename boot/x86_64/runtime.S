// Runtime symbols ILC-generated code calls with special register contracts,
// so they cannot be C#. No GC means write barriers are plain stores.
    .section .text.runtime, "ax"
    .code64

    .macro fn name
    .globl \name
    .type \name, @function
\name:
    .endm

fn RhpAssignRef                     // *rdi = rsi
fn RhpCheckedAssignRef
    mov %rsi, (%rdi)
    ret

fn RhpByRefAssignRef                // *rdi = *rsi; rdi += 8; rsi += 8
    movsq
    ret

// Called by frames larger than a page with r11 = the new (lowest) rsp: touch
// every page in between so a guard page, if any, is hit in order.
fn RhpStackProbe
    mov %rsp, %rax
    and $-4096, %rax
1:  sub $4096, %rax
    cmp %r11, %rax
    jb 2f
    test %eax, (%rax)
    jmp 1b
2:  ret

// Interface dispatch with more than two implementations: not supported
// (hv/ has no interfaces). Fault loudly if it is ever reached.
fn RhpInitialDynamicInterfaceDispatch
    ud2

// Reverse P/Invoke transitions (UnmanagedCallersOnly entry, the generated
// library start-up stub): they tell a GC which threads run managed code.
// There is no GC, so nothing to record.
fn RhpReversePInvoke
    ret
fn RhpReversePInvokeReturn
    ret

// One world switch for SVM (AMD APM vol. 2, 15.5): the host's own hidden state
// (FS/GS/TR/LDTR bases, KernelGsBase, STAR/LSTAR/CSTAR/SFMASK, SYSENTER) is kept
// with VMSAVE in a host page and the guest's comes in with VMLOAD; VMRUN itself
// swaps rax, rsp, rip, rflags, control and segment registers. The other GPRs and
// the FPU/SSE state are ours to swap: GPRs from/to the vCPU's register file
// (rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, r8-r15 at 8-byte steps; rax and rsp
// live in the VMCB), FPU/SSE with FXRSTOR/FXSAVE. The host's MXCSR and x87
// control word are callee-saved in the SysV ABI, so they are put back too.
//
// void xl_svm_vmrun(u64 vmcb_pa, u64 *regs, u64 host_save_pa, void *guest_fpu)
    .text
    .globl xl_svm_vmrun
    .type xl_svm_vmrun, @function
xl_svm_vmrun:
    push %rbp
    push %rbx
    push %r12
    push %r13
    push %r14
    push %r15
    sub $16, %rsp
    stmxcsr 8(%rsp)
    fnstcw (%rsp)
    push %rsi                       // 24(%rsp) after the next two pushes
    push %rdx                       // 16(%rsp)
    push %rcx                       //  8(%rsp) once the guest rsi is pushed

    fxrstor (%rcx)
    clgi
    sti                             // GIF 0 holds interrupts; with V_INTR_MASKING host IF=1 lets them exit the guest
    mov %rdx, %rax
    vmsave                          // host hidden state
    mov %rdi, %rax
    vmload                          // guest hidden state

    mov 8(%rsi), %rcx
    mov 16(%rsi), %rdx
    mov 24(%rsi), %rbx
    mov 40(%rsi), %rbp
    mov 56(%rsi), %rdi
    mov 64(%rsi), %r8
    mov 72(%rsi), %r9
    mov 80(%rsi), %r10
    mov 88(%rsi), %r11
    mov 96(%rsi), %r12
    mov 104(%rsi), %r13
    mov 112(%rsi), %r14
    mov 120(%rsi), %r15
    mov 48(%rsi), %rsi

    vmrun                           // rax = VMCB; back here at #VMEXIT with host rax/rsp

    push %rsi                       // guest rsi
    mov 24(%rsp), %rsi              // regs
    mov %rcx, 8(%rsi)
    mov %rdx, 16(%rsi)
    mov %rbx, 24(%rsi)
    mov %rbp, 40(%rsi)
    mov %rdi, 56(%rsi)
    mov %r8, 64(%rsi)
    mov %r9, 72(%rsi)
    mov %r10, 80(%rsi)
    mov %r11, 88(%rsi)
    mov %r12, 96(%rsi)
    mov %r13, 104(%rsi)
    mov %r14, 112(%rsi)
    mov %r15, 120(%rsi)
    pop %rcx
    mov %rcx, 48(%rsi)

    vmsave                          // guest hidden state back into its VMCB
    pop %rcx                        // guest FPU area
    pop %rax
    vmload                          // host hidden state
    stgi                            // a pending host interrupt (the LAPIC timer) is taken here
    nop
    cli
    fxsave (%rcx)
    pop %rsi
    fldcw (%rsp)
    ldmxcsr 8(%rsp)
    add $16, %rsp
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %rbx
    pop %rbp
    ret
    .size xl_svm_vmrun, . - xl_svm_vmrun

// Intel VMX helpers and the world switch (SDM vol. 3, chapters 24-28). VMX saves
// and loads no general registers: the stub moves all sixteen between the CPU and
// the vCPU's register file (rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, r8-r15 at
// 8-byte steps; rsp is skipped, the VMCS holds it) and swaps FPU/SSE state with
// FXRSTOR/FXSAVE as the SVM stub does. Each VMX instruction reports failure in
// CF (VMfailInvalid) or ZF (VMfailValid); the helpers return 0 for success.
    .text
    .macro fn name
    .globl \name
    .type \name, @function
\name:
    .endm

fn xl_vmxon                         // int vmxon(u64 region_pa, u64 cr0_fixed0, u64 cr4_fixed0)
    mov %cr0, %rax
    or %rsi, %rax
    mov %rax, %cr0
    mov %cr4, %rax
    or %rdx, %rax                   // CR4.VMXE among the fixed-1 bits
    mov %rax, %cr4
    push %rdi
    vmxon (%rsp)
    pop %rdi
    jbe 1f
    xor %eax, %eax
    ret
1:  mov $1, %eax
    ret

fn xl_vmclear                       // int vmclear(u64 vmcs_pa)
    push %rdi
    vmclear (%rsp)
    pop %rdi
    jbe 1f
    xor %eax, %eax
    ret
1:  mov $1, %eax
    ret

fn xl_vmptrld                       // int vmptrld(u64 vmcs_pa)
    push %rdi
    vmptrld (%rsp)
    pop %rdi
    jbe 1f
    xor %eax, %eax
    ret
1:  mov $1, %eax
    ret

fn xl_vmread                        // u64 vmread(u64 field)
    xor %eax, %eax
    vmread %rdi, %rax
    ret

fn xl_vmwrite                       // vmwrite(u64 field, u64 value)
    vmwrite %rsi, %rdi
    ret

fn xl_invept                        // invept(u64 type, u64 eptp): descriptor {eptp, 0}
    push $0
    push %rsi
    invept (%rsp), %rdi
    add $16, %rsp
    ret

    .macro host field, src
    mov $\field, %eax
    vmwrite \src, %rax
    .endm
    .macro hostmsr field, msr
    mov $\msr, %ecx
    rdmsr
    shl $32, %rdx
    or %rax, %rdx
    host \field, %rdx
    .endm

fn xl_vmx_host_state                // the current VMCS's host-state area: this CPU as it is now
    mov %cr0, %rdx
    host 0x6C00, %rdx
    mov %cr3, %rdx
    host 0x6C02, %rdx
    mov %cr4, %rdx
    host 0x6C04, %rdx
    xor %edx, %edx
    mov %es, %dx
    host 0x0C00, %rdx
    mov %cs, %dx
    host 0x0C02, %rdx
    mov %ss, %dx
    host 0x0C04, %rdx
    mov %ds, %dx
    host 0x0C06, %rdx
    mov %fs, %dx
    host 0x0C08, %rdx
    mov %gs, %dx
    host 0x0C0A, %rdx
    str %dx
    host 0x0C0C, %rdx
    hostmsr 0x6C06, 0xC0000100      // FS base
    hostmsr 0x6C08, 0xC0000101      // GS base
    hostmsr 0x2C02, 0xC0000080      // EFER
    lea tss(%rip), %rdx
    host 0x6C0A, %rdx
    lea gdt(%rip), %rdx
    host 0x6C0C, %rdx
    lea idt(%rip), %rdx
    host 0x6C0E, %rdx
    xor %edx, %edx
    host 0x4C00, %rdx               // SYSENTER CS/ESP/EIP: unused by the hypervisor
    host 0x6C10, %rdx
    host 0x6C12, %rdx
    lea xl_vmx_exit(%rip), %rdx
    host 0x6C16, %rdx
    ret

// int xl_vmx_enter(int launched, u64 *regs, void *guest_fpu)
// 0 after a VM exit, 1 VMfailInvalid, 2 VMfailValid.
fn xl_vmx_enter
    push %rbp
    push %rbx
    push %r12
    push %r13
    push %r14
    push %r15
    sub $16, %rsp
    stmxcsr 8(%rsp)
    fnstcw (%rsp)
    push %rdx                       // guest FPU area: 8(%rsp)
    push %rsi                       // regs: 0(%rsp), where HOST_RSP points
    fxrstor (%rdx)
    mov $0x6C14, %eax
    vmwrite %rsp, %rax              // HOST_RSP
    test %edi, %edi                 // ZF: not launched yet (the movs below keep flags)
    mov %rsi, %rdi
    mov 0(%rdi), %rax
    mov 8(%rdi), %rcx
    mov 16(%rdi), %rdx
    mov 24(%rdi), %rbx
    mov 40(%rdi), %rbp
    mov 48(%rdi), %rsi
    mov 64(%rdi), %r8
    mov 72(%rdi), %r9
    mov 80(%rdi), %r10
    mov 88(%rdi), %r11
    mov 96(%rdi), %r12
    mov 104(%rdi), %r13
    mov 112(%rdi), %r14
    mov 120(%rdi), %r15
    mov 56(%rdi), %rdi
    jnz 1f
    vmlaunch
    jmp 2f
1:  vmresume
2:  mov $2, %eax                    // still here: the entry failed (flags from the VM instruction)
    jz xl_vmx_done
    mov $1, %eax
    jmp xl_vmx_done

    .globl xl_vmx_exit
xl_vmx_exit:                        // HOST_RIP: rsp = HOST_RSP, interrupts off, host segments loaded
    push %rdi
    mov 8(%rsp), %rdi               // regs
    mov %rax, 0(%rdi)
    mov %rcx, 8(%rdi)
    mov %rdx, 16(%rdi)
    mov %rbx, 24(%rdi)
    mov %rbp, 40(%rdi)
    mov %rsi, 48(%rdi)
    mov %r8, 64(%rdi)
    mov %r9, 72(%rdi)
    mov %r10, 80(%rdi)
    mov %r11, 88(%rdi)
    mov %r12, 96(%rdi)
    mov %r13, 104(%rdi)
    mov %r14, 112(%rdi)
    mov %r15, 120(%rdi)
    pop %rax
    mov %rax, 56(%rdi)
    xor %eax, %eax
xl_vmx_done:
    pop %rsi
    pop %rcx
    fxsave (%rcx)
    sti                             // a host interrupt that made the exit (the LAPIC timer) is taken here
    nop
    cli
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
    .size xl_vmx_enter, . - xl_vmx_enter

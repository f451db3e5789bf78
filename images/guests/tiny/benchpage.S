// bench.S through the hypercall page, so it runs on either vendor: finds Xen's
// leaves (CPUID 0x40000000, "XenVMMXenVMM"), asks the hypervisor for its
// hypercall page (write the page's address to the MSR CPUID 0x40000002 names:
// the page gets `mov $n,%eax; vmmcall; ret` under SVM or `... vmcall ...` under
// VMX), then times ROUNDS xen_version(0) calls through slot 17 between two rdtsc,
// prints "bench: hypercall-page round trip <n> cycles" and powers off through slot 29.
#include "tiny.h"
#define HYPERVISOR_xen_version 17
#define ROUNDS 2000
    PVH_ENTRY(start)
    .code32
    .text
    .globl start
start:
    mov $stack_top, %esp
    mov $0x40000002, %eax
    cpuid
    mov %ebx, %ecx                  // the hypercall-page MSR
    mov $hypercall_page, %eax
    xor %edx, %edx
    wrmsr
    lea vendor, %esi
    call puts
    cmpb $0xC1, hypercall_page + 7  // vmcall's last byte (vmmcall ends in 0xd9)
    lea vmx, %esi
    je 2f
    lea svm, %esi
2:  call puts

    mov $ROUNDS, %edi
    rdtsc
    mov %eax, %esi
    mov %edx, %ebp
1:  xor %ebx, %ebx
    xor %ecx, %ecx
    call hypercall_page + HYPERVISOR_xen_version * 32
    dec %edi
    jnz 1b
    rdtsc
    sub %esi, %eax
    sbb %ebp, %edx
    mov $ROUNDS, %ecx
    div %ecx
    push %eax
    lea label, %esi
    call puts
    pop %eax
    call putdec
    lea unit, %esi
    call puts

    movl $SHUTDOWN_poweroff, reason
    mov $SCHEDOP_shutdown, %ebx
    mov $reason, %ecx
    call hypercall_page + HYPERVISOR_sched_op * 32
3:  cli
    hlt
    jmp 3b

    .data
vendor: .asciz "bench: hypercall page stubs use "
vmx:    .asciz "vmcall\n"
svm:    .asciz "vmmcall\n"
label:  .asciz "bench: hypercall-page round trip "
unit:   .asciz " cycles\n"
reason: .long 0
    .bss
    .align 4096
hypercall_page:
    .skip 4096
    .skip 4096
stack_top:

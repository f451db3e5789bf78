// Privileged-instruction helpers behind the C# `Cpu` class (SysV ABI:
// args rdi, rsi, rdx; result rax). Each is the instruction and a ret.
    .section .text.cpu, "ax"
    .code64

    .macro fn name
    .globl \name
    .type \name, @function
\name:
    .endm

fn xl_inb
    mov %edi, %edx
    xor %eax, %eax
    inb %dx, %al
    ret
fn xl_inw
    mov %edi, %edx
    xor %eax, %eax
    inw %dx, %ax
    ret
fn xl_inl
    mov %edi, %edx
    inl %dx, %eax
    ret
fn xl_outb
    mov %edi, %edx
    mov %esi, %eax
    outb %al, %dx
    ret
fn xl_outw
    mov %edi, %edx
    mov %esi, %eax
    outw %ax, %dx
    ret
fn xl_outl
    mov %edi, %edx
    mov %esi, %eax
    outl %eax, %dx
    ret

fn xl_rdmsr                         // u64 rdmsr(u32 msr)
    mov %edi, %ecx
    rdmsr
    shl $32, %rdx
    or %rdx, %rax
    ret
fn xl_wrmsr                         // wrmsr(u32 msr, u64 value)
    mov %edi, %ecx
    mov %esi, %eax
    mov %rsi, %rdx
    shr $32, %rdx
    wrmsr
    ret
fn xl_rdtsc
    rdtsc
    shl $32, %rdx
    or %rdx, %rax
    ret
fn xl_cpuid                         // cpuid(u32 leaf, u32 subleaf, u32* out4)
    push %rbx
    mov %rdx, %r8
    mov %edi, %eax
    mov %esi, %ecx
    cpuid
    mov %eax, 0(%r8)
    mov %ebx, 4(%r8)
    mov %ecx, 8(%r8)
    mov %edx, 12(%r8)
    pop %rbx
    ret

fn xl_read_cr0
    mov %cr0, %rax
    ret
fn xl_read_cr2
    mov %cr2, %rax
    ret
fn xl_read_cr3
    mov %cr3, %rax
    ret
fn xl_read_cr4
    mov %cr4, %rax
    ret
fn xl_write_cr0
    mov %rdi, %cr0
    ret
fn xl_write_cr3
    mov %rdi, %cr3
    ret
fn xl_write_cr4
    mov %rdi, %cr4
    ret
fn xl_read_rflags
    pushfq
    pop %rax
    ret
fn xl_read_rbp                      // the caller's frame pointer
    mov %rbp, %rax
    ret

fn xl_hlt
    hlt
    ret
fn xl_cli
    cli
    ret
fn xl_sti
    sti
    ret
fn xl_pause
    pause
    ret
fn xl_halt_forever
    cli
1:  hlt
    jmp 1b
fn xl_ud2
    ud2
    ret
fn xl_invlpg
    invlpg (%rdi)
    ret
fn xl_lidt                          // lidt(void* 10-byte descriptor)
    lidt (%rdi)
    ret
fn xl_sidt
    sidt (%rdi)
    ret
fn xl_lgdt
    lgdt (%rdi)
    ret
fn xl_sgdt
    sgdt (%rdi)
    ret

// Linker-script addresses C# needs.
fn xl_modules_start
    lea __modules_start(%rip), %rax
    ret
fn xl_modules_end
    lea __modules_end(%rip), %rax
    ret
fn xl_image_start
    lea __image_start(%rip), %rax
    ret
fn xl_image_end                     // end of .bss: first byte after the image
    lea __bss_end(%rip), %rax
    ret
fn xl_stack_bottom
    lea boot_stack_bottom(%rip), %rax
    ret
fn xl_stack_top
    lea boot_stack_top(%rip), %rax
    ret
fn xl_trap_stubs                    // stub for vector v is at +16*v
    lea xl_trap_stubs_start(%rip), %rax
    ret

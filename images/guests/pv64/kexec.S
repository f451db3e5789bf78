// A tiny 64-bit PV dom0 (ELF64, Xen ELF notes, no PHYS32_ENTRY): Xen enters it in
// long mode on its bootstrap page tables with rsi = start_info and rsp = the boot
// stack. It says hello through console_io (hypercall page), checks start_info,
// then kexec_loads its module (start_info mod_start/mod_len: an ELF32 i386 image
// such as images/out/tiny-kexec.elf, one segment per PT_LOAD) and kexec_execs it.
// One PASS/FAIL line per check; if exec returns it shuts down with reason crash.
#define VIRT_BASE 0xffffffff80000000

#define HYPERVISOR_console_io 18
#define HYPERVISOR_sched_op 29
#define HYPERVISOR_kexec_op 37
#define CONSOLEIO_write 0
#define SCHEDOP_shutdown 2
#define SHUTDOWN_poweroff 0
#define SHUTDOWN_crash 3
#define KEXEC_CMD_kexec 0
#define KEXEC_CMD_kexec_load 4
#define KEXEC_TYPE_DEFAULT 0
#define EM_386 3

#define SI_NR_PAGES 32
#define SI_FLAGS 48
#define SI_MOD_START 112
#define SI_MOD_LEN 120
#define SIF_PRIVILEGED 1
#define SIF_INITDOMAIN 2

#define NOTE(type, body)                     \
    .pushsection .note.Xen, "a", @note;      \
    .balign 4;                               \
    .long 4; .long 2f - 1f; .long type;      \
    .asciz "Xen";                            \
1:  body;                                    \
2:  .balign 4;                               \
    .popsection

    NOTE(6, .asciz "xenlite-tiny-pv64")      // GUEST_OS
    NOTE(5, .asciz "xen-3.0")                // XEN_VERSION
    NOTE(8, .asciz "generic")                // LOADER
    NOTE(3, .quad VIRT_BASE)                 // VIRT_BASE
    NOTE(4, .quad 0)                         // PADDR_OFFSET
    NOTE(1, .quad start)                     // ENTRY
    NOTE(2, .quad hypercall_page)            // HYPERCALL_PAGE
    NOTE(17, .long (1 << 11))                // SUPPORTED_FEATURES: XENFEAT_dom0

#define HYPERCALL(n) call hypercall_page + (n) * 32

    .code64
    .text
    .globl start
start:
    mov %rsi, %r12                          // start_info, kept in a callee-saved register
    lea hello(%rip), %rdi
    call puts

    // start_info: magic, privileged initial domain, some pages.
    lea magic(%rip), %rsi
    mov %r12, %rdi
    mov $15, %ecx                           // "xen-3.0-x86_64" and its NUL
    repe cmpsb
    jne 1f
    mov SI_FLAGS(%r12), %eax
    and $(SIF_PRIVILEGED | SIF_INITDOMAIN), %eax
    cmp $(SIF_PRIVILEGED | SIF_INITDOMAIN), %eax
    jne 1f
    cmpq $0, SI_NR_PAGES(%r12)
    je 1f
    lea pass_si(%rip), %rdi
    call puts
    jmp 2f
1:  lea fail_si(%rip), %rdi
    call puts

    // The module: an ELF32 i386 image.
2:  mov SI_MOD_START(%r12), %rbx
    cmpq $0, SI_MOD_LEN(%r12)
    je no_module
    cmpl $0x464C457F, (%rbx)
    jne not_elf32
    cmpb $1, 4(%rbx)
    jne not_elf32
    cmpw $EM_386, 18(%rbx)
    jne not_elf32

    // One kexec segment per PT_LOAD: buf, buf_size, dest_maddr, dest_size (page rounded).
    mov 28(%rbx), %esi                      // e_phoff
    add %rbx, %rsi
    movzwl 42(%rbx), %r8d                   // e_phentsize
    movzwl 44(%rbx), %ecx                   // e_phnum
    lea segments(%rip), %rdi
    xor %r9d, %r9d                          // segments found
3:  test %ecx, %ecx
    jz 5f
    cmpl $1, (%rsi)                         // PT_LOAD
    jne 4f
    cmp $15, %r9d
    jae 4f
    mov 4(%rsi), %eax                       // p_offset
    add %rbx, %rax
    mov %rax, (%rdi)
    mov 16(%rsi), %eax                      // p_filesz
    mov %rax, 8(%rdi)
    mov 12(%rsi), %eax                      // p_paddr
    mov %rax, 16(%rdi)
    mov 20(%rsi), %eax                      // p_memsz
    add $0xfff, %rax
    and $~0xfff, %rax
    mov %rax, 24(%rdi)
    add $32, %rdi
    inc %r9d
4:  add %r8, %rsi
    dec %ecx
    jmp 3b

5:  lea load(%rip), %rsi                    // xen_kexec_load
    movb $KEXEC_TYPE_DEFAULT, (%rsi)
    movw $EM_386, 2(%rsi)
    mov %r9d, 4(%rsi)
    lea segments(%rip), %rax
    mov %rax, 8(%rsi)
    mov 24(%rbx), %eax                      // e_entry
    mov %rax, 16(%rsi)
    mov $KEXEC_CMD_kexec_load, %edi
    HYPERCALL(HYPERVISOR_kexec_op)
    test %rax, %rax
    jnz load_failed
    lea pass_load(%rip), %rdi
    call puts

    lea exec_line(%rip), %rdi
    call puts
    lea exec(%rip), %rsi                    // xen_kexec_exec: type
    movl $KEXEC_TYPE_DEFAULT, (%rsi)
    mov $KEXEC_CMD_kexec, %edi
    HYPERCALL(HYPERVISOR_kexec_op)
    lea fail_exec(%rip), %rdi
    call puts
    jmp crash

no_module:
    lea fail_nomod(%rip), %rdi
    call puts
    jmp crash
not_elf32:
    lea fail_notelf(%rip), %rdi
    call puts
    jmp crash
load_failed:
    mov %rax, %r13
    lea fail_load(%rip), %rdi
    call puts
    mov %r13, %rax
    call puthex
    lea newline(%rip), %rdi
    call puts
crash:
    lea reason(%rip), %rsi
    movl $SHUTDOWN_crash, (%rsi)
    mov $SCHEDOP_shutdown, %edi
    HYPERCALL(HYPERVISOR_sched_op)
6:  jmp 6b

    // puts(rdi = NUL-terminated string) through console_io.
puts:
    mov %rdi, %rdx
    xor %esi, %esi
1:  cmpb $0, (%rdi,%rsi)
    je 2f
    inc %rsi
    jmp 1b
2:  mov $CONSOLEIO_write, %edi
    HYPERCALL(HYPERVISOR_console_io)
    ret

    // puthex(rax): 16 hex digits through console_io.
puthex:
    lea hexbuf(%rip), %rdi
    mov $16, %ecx
1:  rol $4, %rax
    mov %eax, %edx
    and $15, %edx
    cmp $10, %edx
    jb 2f
    add $('a' - '0' - 10), %edx
2:  add $'0', %edx
    mov %dl, (%rdi)
    inc %rdi
    dec %ecx
    jnz 1b
    movb $0, (%rdi)
    lea hexbuf(%rip), %rdi
    jmp puts

    .section .hypercall, "ax"
    .balign 4096
    .globl hypercall_page
hypercall_page:
    .fill 4096, 1, 0xcc                     // Xen (XenLite) writes the stubs here

    .section .rodata
magic:      .asciz "xen-3.0-x86_64"
hello:      .asciz "XenLite pv64 kexec dom0\n"
pass_si:    .asciz "PASS pv64.start_info\n"
fail_si:    .asciz "FAIL pv64.start_info: magic, SIF_PRIVILEGED|SIF_INITDOMAIN or nr_pages wrong\n"
pass_load:  .asciz "PASS kexec.load_module_image\n"
fail_load:  .asciz "FAIL kexec.load_module_image: KEXEC_CMD_kexec_load returned 0x"
fail_nomod: .asciz "FAIL kexec.load_module_image: no module (start_info mod_len 0)\n"
fail_notelf: .asciz "FAIL kexec.load_module_image: the module is not an ELF32 i386 image\n"
exec_line:  .asciz "kexec: exec\n"
fail_exec:  .asciz "FAIL kexec.exec: KEXEC_CMD_kexec returned\n"
newline:    .asciz "\n"

    .data
    .balign 8
load:       .skip 24
exec:       .skip 8
reason:     .skip 4
    .balign 8
segments:   .skip 16 * 32
hexbuf:     .skip 24

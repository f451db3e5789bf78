// A tiny 32-bit PV (compat) dom0: ELF32 i386 with Xen ELF notes (PAE_MODE "yes", no
// PHYS32_ENTRY). Xen enters it in 32-bit protected mode with PAE paging on its bootstrap
// tables, in ring 1 (CS 0xe019, DS/SS 0xe021), esi = start_info, esp = the boot stack.
// It says hello through console_io (hypercall page: int $0x82), checks start_info (compat
// layout) and its ring, then powers off with SCHEDOP_shutdown. One PASS/FAIL line per check.
// With "int80" on its command line it then executes `int $0x80` instead, which must crash it.
#define VIRT_BASE 0xc0000000

#define HYPERVISOR_console_io 18
#define HYPERVISOR_sched_op 29
#define CONSOLEIO_write 0
#define SCHEDOP_shutdown 2
#define SHUTDOWN_poweroff 0
#define SHUTDOWN_crash 3

// start_info, 32-bit layout (xen.h, compat)
#define SI_NR_PAGES 32
#define SI_FLAGS 40
#define SI_PT_BASE 60
#define SI_MFN_LIST 68
#define SI_CMD_LINE 80
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

    NOTE(6, .asciz "xenlite-tiny-pv32")      // GUEST_OS
    NOTE(5, .asciz "xen-3.0")                // XEN_VERSION
    NOTE(8, .asciz "generic")                // LOADER
    NOTE(3, .long VIRT_BASE)                 // VIRT_BASE
    NOTE(4, .long 0)                         // PADDR_OFFSET
    NOTE(1, .long start)                     // ENTRY
    NOTE(2, .long hypercall_page)            // HYPERCALL_PAGE
    NOTE(9, .asciz "yes")                    // PAE_MODE
    NOTE(17, .long (1 << 11))                // SUPPORTED_FEATURES: XENFEAT_dom0

#define HYPERCALL(n) call hypercall_page + (n) * 32

    .code32
    .text
    .globl start
start:
    mov %esi, %ebp                          // start_info, kept in a callee-saved register
    mov $hello, %eax
    call puts

    // start_info: compat magic, privileged initial domain, pages, tables and p2m in the area.
    mov %ebp, %esi
    mov $magic, %edi
    mov $16, %ecx                           // "xen-3.0-x86_32p" and its NUL
    cld
    repe cmpsb
    jne 1f
    mov SI_FLAGS(%ebp), %eax
    and $(SIF_PRIVILEGED | SIF_INITDOMAIN), %eax
    cmp $(SIF_PRIVILEGED | SIF_INITDOMAIN), %eax
    jne 1f
    cmpl $0, SI_NR_PAGES(%ebp)
    je 1f
    cmpl $VIRT_BASE, SI_PT_BASE(%ebp)
    jb 1f
    cmpl $VIRT_BASE, SI_MFN_LIST(%ebp)
    jb 1f
    mov $pass_si, %eax
    call puts
    jmp 2f
1:  mov $fail_si, %eax
    call puts

    // Ring 1, as a 32-bit PV kernel runs on Xen.
2:  mov %cs, %eax
    cmp $0xe019, %eax
    jne 3f
    mov %ss, %eax
    cmp $0xe021, %eax
    jne 3f
    mov $pass_ring, %eax
    call puts
    jmp 4f
3:  mov $fail_ring, %eax
    call puts

    // "int80" on the command line: an unknown software interrupt, which must crash us.
4:  lea SI_CMD_LINE(%ebp), %esi
    mov $int80, %edi
    mov $6, %ecx
    repe cmpsb
    jne 5f
    mov $trying, %eax
    call puts
    int $0x80
    mov $survived, %eax
    call puts

5:  movl $SHUTDOWN_poweroff, shutdown_reason
    mov $SCHEDOP_shutdown, %ebx
    mov $shutdown_reason, %ecx
    HYPERCALL(HYPERVISOR_sched_op)
    ud2                                      // not reached

    // puts(eax = NUL-terminated string) through console_io(CONSOLEIO_write, count, buffer).
puts:
    push %ebx
    mov %eax, %edx
    xor %ecx, %ecx
1:  cmpb $0, (%edx,%ecx)
    je 2f
    inc %ecx
    jmp 1b
2:  mov $CONSOLEIO_write, %ebx
    HYPERCALL(HYPERVISOR_console_io)
    pop %ebx
    ret

    .section .hypercall, "ax"
    .balign 4096
    .globl hypercall_page
hypercall_page:
    .space 4096

    .section .rodata
hello:     .asciz "XenLite pv32 dom0\n"
magic:     .asciz "xen-3.0-x86_32p"
pass_si:   .asciz "PASS pv32.start_info\n"
fail_si:   .asciz "FAIL pv32.start_info\n"
pass_ring: .asciz "PASS pv32.ring1\n"
fail_ring: .asciz "FAIL pv32.ring1\n"
int80:     .ascii "int80"
           .byte 0
trying:    .asciz "pv32: int $0x80 (expecting the domain to crash)\n"
survived:  .asciz "FAIL pv32.int80: int $0x80 returned\n"

    .data
shutdown_reason: .long 0

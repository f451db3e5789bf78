// Shared bits of the tiny assembly guests: 32-bit PVH kernels (ELF32 i386,
// entered by Xen in flat protected mode, paging off), output on port 0xe9,
// hypercalls with a bare vmmcall (hvm32: eax = number, ebx, ecx = arguments).

// XEN_ELFNOTE_PHYS32_ENTRY: where the hypervisor starts us.
#define PVH_ENTRY(sym)                       \
    .pushsection .note.Xen, "a", @note;      \
    .align 4;                                \
    .long 4; .long 4; .long 18;              \
    .asciz "Xen";                            \
    .long sym;                               \
    .popsection

#define HYPERVISOR_sched_op 29
#define SCHEDOP_shutdown 2
#define SHUTDOWN_poweroff 0

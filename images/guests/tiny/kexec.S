// The image the kexec image test hands the machine to (not a guest: no Xen
// note). Entered as boot/x86_64/hypervisor/Handoff.cs documents: flat 32-bit
// protected mode, paging off, interrupts off, no stack. It says so on COM1
// (the UART the hypervisor set up) and powers the machine off (ACPI S5 on
// QEMU's PIIX4 PM block at 0x600), or exits through isa-debug-exit (status 3)
// if that did not work.
    .code32
    .text
    .globl start
start:
    mov $stack_top, %esp
    lea line, %esi
1:  lodsb
    test %al, %al
    jz 3f
    mov %al, %bl
    mov $0x3FD, %dx                 // line status: wait for an empty transmitter
2:  inb %dx, %al
    test $0x20, %al
    jz 2b
    mov $0x3F8, %dx
    mov %bl, %al
    outb %al, %dx
    jmp 1b
3:  mov $0x604, %dx
    mov $0x2000, %ax
    outw %ax, %dx
    mov $1000000, %ecx              // QEMU acts on it asynchronously
4:  pause
    loop 4b
    mov $0xF4, %dx
    mov $1, %eax
    outl %eax, %dx
5:  hlt
    jmp 5b

    .data
line: .asciz "kexec: second image running, 32-bit protected mode, powering off\r\n"
    .bss
    .align 16
    .skip 1024
stack_top:

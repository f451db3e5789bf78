// Multiboot1 header with the a.out kludge (flags bit 16): QEMU -kernel, GRUB
// and Bochs load the image by these addresses instead of its ELF64 headers,
// which a Multiboot1 loader cannot handle. Must sit in the first 8 KiB.
#define MB_MAGIC  0x1BADB002
#define MB_FLAGS  0x00010003   // page-align modules | memory info | address fields valid

    .section .multiboot, "a"
    .align 4
    .globl multiboot_header
multiboot_header:
    .long MB_MAGIC
    .long MB_FLAGS
    .long -(MB_MAGIC + MB_FLAGS)
    .long multiboot_header     // header_addr
    .long __image_start        // load_addr: start of the file's single PT_LOAD
    .long __load_end           // load_end_addr: end of data in the file
    .long __bss_end            // bss_end_addr: the loader zeroes up to here
    .long _start               // entry_addr (32-bit protected mode)

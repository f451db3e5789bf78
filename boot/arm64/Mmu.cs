// The EL2 stage-1 map built from the device tree, replacing head.S's boot map
// before the heap exists: RAM (and the DTB) as Normal write-back memory, the
// UART and GIC as Device-nGnRnE, nothing else, so stray pointers fault. 2 MiB
// blocks (ranges are rounded out to 2 MiB), except one 4 KiB-page table for the
// 2 MiB around the boot stack's guard page, which stays unmapped. Same
// MAIR/TCR as the boot map: 39-bit addresses, walk starts at level 1. Tables
// come from a fixed pool in .bss (mmu.S), not the heap.
namespace XenLite.Boot
{
    public static unsafe class Mmu
    {
        public const ulong NormalBlock = 0x745;                 // AttrIndx 1, AP[1], inner shareable, AF
        public const ulong DeviceBlock = 0x441 | 1UL << 54;     // AttrIndx 0, AP[1], AF, XN
        const ulong TableDescriptor = 3, PageBit = 2;
        const ulong Block2M = 2UL << 20, Giga = 1UL << 30, Limit = 512 * Giga;
        const ulong AddressMask = 0x0000FFFFFFFFF000;

        static byte* s_next;    // next free pool page (plain static: pre-start-up)
        static ulong s_root;

        public static ulong Root => s_root;

        // Builds the map; returns null on success (and switches to it), else why not.
        public static string BuildAndSwitch(EarlyInfo* info, ulong dtb, ulong dtbSize)
        {
            s_next = Image.PageTablePool();
            ulong* l1 = NewTable();
            if (l1 == null) return "page-table pool exhausted";
            for (int i = 0; i < info->MemCount; i++)
                if (!Map(l1, info->MemBase[i], info->MemSize[i], NormalBlock)) return "page-table pool exhausted (RAM)";
            if (!Map(l1, dtb, dtbSize, NormalBlock)) return "page-table pool exhausted (DTB)";
            for (int i = 0; i < info->DevCount; i++)
                if (!Map(l1, info->DevBase[i], info->DevSize[i], DeviceBlock)) return "page-table pool exhausted (devices)";

            ulong image = (ulong)Image.Start(), end = (ulong)Image.End();
            if (Lookup(l1, image) != NormalBlock || Lookup(l1, end - 1) != NormalBlock)
                return "the image is not inside a /memory range";
            if (!UnmapPage(l1, (ulong)Image.StackGuard())) return "page-table pool exhausted (guard page)";

            s_root = (ulong)l1;
            Cpu.SwitchTtbr0El2(s_root);
            return null;
        }

        static ulong* NewTable()
        {
            if (s_next + 4096 > Image.PageTablePoolEnd()) return null;
            ulong* t = (ulong*)s_next;
            s_next += 4096;
            for (int i = 0; i < 512; i++) t[i] = 0;
            return t;
        }

        // Maps [base, base + size) rounded out to 2 MiB with the given block
        // attributes. Existing mappings win (RAM first, then devices).
        static bool Map(ulong* l1, ulong start, ulong size, ulong attributes)
        {
            if (size == 0) return true;
            ulong a = start & ~(Block2M - 1);
            ulong end = start + size;
            if (end < start || end > Limit) end = Limit;   // beyond 512 GiB: not addressable here
            for (; a < end; a += Block2M)
            {
                ulong* l2 = Level2(l1, a);
                if (l2 == null) return false;
                ulong* e = l2 + ((a >> 21) & 511);
                if (*e == 0) *e = a | attributes;
            }
            return true;
        }

        static ulong* Level2(ulong* l1, ulong address)
        {
            ulong* e = l1 + (address >> 30);
            if (*e == 0)
            {
                ulong* t = NewTable();
                if (t == null) return null;
                *e = (ulong)t | TableDescriptor;
            }
            return (ulong*)(*e & AddressMask);
        }

        // Attributes of the 2 MiB block mapping `address` (0 if none).
        static ulong Lookup(ulong* l1, ulong address)
        {
            if (address >= Limit || l1[address >> 30] == 0) return 0;
            ulong entry = ((ulong*)(l1[address >> 30] & AddressMask))[(address >> 21) & 511];
            return entry == 0 ? 0 : entry & ~AddressMask;
        }

        // Splits the block holding `page` into 4 KiB pages and leaves `page` out.
        static bool UnmapPage(ulong* l1, ulong page)
        {
            ulong* l2 = Level2(l1, page);
            if (l2 == null) return false;
            ulong* e = l2 + ((page >> 21) & 511);
            if ((*e & 3) != 1) return true;              // not a block: nothing to split
            ulong attributes = *e & ~AddressMask, blockBase = *e & AddressMask;
            ulong* l3 = NewTable();
            if (l3 == null) return false;
            for (ulong i = 0; i < 512; i++)
            {
                ulong a = blockBase + i * 4096;
                l3[i] = a == (page & ~4095UL) ? 0 : a | attributes | PageBit;
            }
            *e = (ulong)l3 | TableDescriptor;
            return true;
        }
    }
}

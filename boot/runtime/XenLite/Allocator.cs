// The heap: one region handed over by the boot code, carved by a bump pointer
// from the bottom (blocks) and from the top (4 KiB pages). Freed blocks go to
// power-of-two free lists and are reused; there is no GC and no coalescing,
// like Xen's xmalloc pools: callers free explicitly and sizes stay bounded.
using System.Runtime.CompilerServices;

namespace XenLite.Runtime
{
    public static unsafe class Allocator
    {
        public const int PageSize = 4096;
        private const int MinShift = 4;     // smallest block 16 bytes, 16-byte aligned
        private const int Classes = 48;

        private struct FreeLists { public fixed ulong Head[Classes]; }

        // Plain (non-GC) statics: usable before module start-up has run.
        private static byte* s_bottom, s_top, s_start, s_end;
        private static FreeLists s_free;
        private static byte* s_freePages;
        private static nuint s_inUse;

        public static void Init(byte* start, nuint size)
        {
            s_start = s_bottom = (byte*)(((nuint)start + 15) & ~(nuint)15);
            s_end = s_top = (byte*)(((nuint)start + size) & ~(nuint)(PageSize - 1));
            s_freePages = null;
            s_inUse = 0;
            for (int i = 0; i < Classes; i++) s_free.Head[i] = 0;
        }

        public static nuint HeapStart => (nuint)s_start;
        public static nuint HeapEnd => (nuint)s_end;
        public static nuint BytesInUse => s_inUse;
        public static nuint BytesUnclaimed => (nuint)(s_top - s_bottom);

        private static int ClassOf(nuint size)
        {
            int c = MinShift;
            while (c < Classes && ((nuint)1 << c) < size) c++;
            if (c >= Classes) Panic.Fail("allocation size too large");
            return c;
        }

        // Zeroed, 16-byte aligned. Sizes are rounded up to a power of two, so
        // big buffers (guest RAM, tables) should come from AllocPages instead.
        public static void* Alloc(nuint size)
        {
            int c = ClassOf(size == 0 ? 1 : size);
            nuint blockSize = (nuint)1 << c;
            byte* p = (byte*)s_free.Head[c];
            if (p != null)
                s_free.Head[c] = *(ulong*)p;
            else
            {
                if ((nuint)(s_top - s_bottom) < blockSize) Panic.Fail("out of memory (heap)");
                p = s_bottom;
                s_bottom += blockSize;
            }
            System.Mem.Set(p, 0, blockSize);
            s_inUse += blockSize;
            return p;
        }

        // `size` must be the size passed to Alloc.
        public static void Free(void* p, nuint size)
        {
            if (p == null) return;
            int c = ClassOf(size == 0 ? 1 : size);
            if ((byte*)p < s_start || (byte*)p >= s_end) Panic.Fail("free of a pointer outside the heap");
            *(ulong*)p = s_free.Head[c];
            s_free.Head[c] = (ulong)p;
            s_inUse -= (nuint)1 << c;
        }

        // Zeroed 4 KiB pages, page aligned (page tables, VMCBs, guest memory).
        public static void* AllocPages(nuint count)
        {
            if (count == 1 && s_freePages != null)
            {
                byte* page = s_freePages;
                s_freePages = *(byte**)page;
                System.Mem.Set(page, 0, PageSize);
                s_inUse += PageSize;
                return page;
            }
            nuint bytes = count * PageSize;
            if ((nuint)(s_top - s_bottom) < bytes) Panic.Fail("out of memory (pages)");
            s_top -= bytes;
            System.Mem.Set(s_top, 0, bytes);
            s_inUse += bytes;
            return s_top;
        }

        // Like AllocPages but NOT zeroed and never given back: for a big pool whose
        // owner initialises each page when it hands it out (the hypervisor's domain
        // RAM). Zeroing hundreds of MiB here would dominate boot time under TCG.
        public static void* ClaimPagesUninitialized(nuint count)
        {
            nuint bytes = count * PageSize;
            if ((nuint)(s_top - s_bottom) < bytes) Panic.Fail("out of memory (pages)");
            s_top -= bytes;
            s_inUse += bytes;
            return s_top;
        }

        // Freed pages are reused one at a time.
        public static void FreePages(void* p, nuint count)
        {
            for (nuint i = 0; i < count; i++)
            {
                byte* page = (byte*)p + i * PageSize;
                *(byte**)page = s_freePages;
                s_freePages = page;
            }
            s_inUse -= count * PageSize;
        }
    }
}

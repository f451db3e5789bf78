// Multiboot1 information as the loader (QEMU -kernel, GRUB) leaves it: raw
// layouts and the pre-heap walk that finds memory nobody else is using.
// Nothing here allocates: it runs before the runtime is started.
using System.Runtime.InteropServices;

namespace XenLite.Boot
{
    public static unsafe class Multiboot
    {
        public const uint BootloaderMagic = 0x2BADB002;

        // Flags bits saying which Info fields are valid.
        public const uint HasMemory = 1 << 0, HasCommandLine = 1 << 2, HasModules = 1 << 3, HasMemoryMap = 1 << 6;

        [StructLayout(LayoutKind.Explicit, Size = 88)]
        public struct Info
        {
            [FieldOffset(0)] public uint Flags;
            [FieldOffset(4)] public uint MemLowerKiB;
            [FieldOffset(8)] public uint MemUpperKiB;
            [FieldOffset(16)] public uint CommandLine;
            [FieldOffset(20)] public uint ModuleCount;
            [FieldOffset(24)] public uint ModuleTable;
            [FieldOffset(44)] public uint MemoryMapLength;
            [FieldOffset(48)] public uint MemoryMap;
        }

        [StructLayout(LayoutKind.Sequential)]
        public struct Module
        {
            public uint Start, End, String, Reserved;
        }

        // `Size` counts the bytes after itself; entries are packed.
        [StructLayout(LayoutKind.Sequential, Pack = 4)]
        public struct MemoryMapEntry
        {
            public uint Size;
            public ulong Base, Length;
            public uint Type;   // 1 = available RAM
        }

        public static Module* Modules(Info* info, out int count)
        {
            count = (info->Flags & HasModules) != 0 ? (int)info->ModuleCount : 0;
            return (Module*)(nuint)info->ModuleTable;
        }

        public static MemoryMapEntry* NextEntry(MemoryMapEntry* e) => (MemoryMapEntry*)((byte*)e + e->Size + 4);

        public static int CStringLength(byte* s, int max = 4096)
        {
            int n = 0;
            if (s != null) while (n < max && s[n] != 0) n++;
            return n;
        }

        // The highest address the image, modules and loader data reach: the heap
        // must start above it.
        public static ulong UsedEnd(Info* info)
        {
            ulong end = (ulong)Image.End();
            end = Max(end, (ulong)info + (ulong)sizeof(Info));
            if ((info->Flags & HasCommandLine) != 0)
                end = Max(end, info->CommandLine + (ulong)CStringLength((byte*)(nuint)info->CommandLine) + 1);
            if ((info->Flags & HasMemoryMap) != 0)
                end = Max(end, (ulong)info->MemoryMap + info->MemoryMapLength);
            Module* m = Modules(info, out int count);
            if (count > 0) end = Max(end, (ulong)m + (ulong)(count * sizeof(Module)));
            for (int i = 0; i < count; i++)
            {
                end = Max(end, m[i].End);
                if (m[i].String != 0)
                    end = Max(end, m[i].String + (ulong)CStringLength((byte*)(nuint)m[i].String) + 1);
            }
            return end;
        }

        // Largest available RAM range above UsedEnd and below the 4 GiB the boot
        // page tables map. Falls back to mem_upper when there is no memory map.
        public static bool FindFreeRange(Info* info, out ulong start, out ulong end)
        {
            const ulong Limit = 4UL << 30;
            ulong floor = (UsedEnd(info) + 4095) & ~4095UL;
            start = end = 0;
            if ((info->Flags & HasMemoryMap) != 0)
            {
                byte* mapEnd = (byte*)(nuint)info->MemoryMap + info->MemoryMapLength;
                for (var e = (MemoryMapEntry*)(nuint)info->MemoryMap; (byte*)e < mapEnd; e = NextEntry(e))
                {
                    if (e->Type != 1) continue;
                    ulong s = Max(e->Base, floor), t = e->Base + e->Length;
                    if (t > Limit) t = Limit;
                    t &= ~4095UL;
                    if (t > s && t - s > end - start) { start = s; end = t; }
                }
            }
            else if ((info->Flags & HasMemory) != 0)
            {
                start = floor;
                end = (0x100000UL + (ulong)info->MemUpperKiB * 1024) & ~4095UL;
                if (end > Limit) end = Limit;
            }
            return end > start;
        }

        static ulong Max(ulong a, ulong b) => a > b ? a : b;
    }
}

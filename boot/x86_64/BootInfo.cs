// What the boot loader told us, copied into managed form once the heap is up.
// This is the object the image's main receives.
namespace XenLite.Boot
{
    public unsafe struct BootModule
    {
        public ulong Start, End;      // physical, End exclusive
        public byte* Name;            // NUL-terminated command line of the module
        public int NameLength;
        public ulong Size => End - Start;
    }

    public struct MemoryRange
    {
        public ulong Base, Length;
        public uint Type;             // 1 = available RAM (Multiboot / E820 types)
    }

    public sealed unsafe class BootInfo
    {
        public byte* CommandLine;     // NUL-terminated, or null
        public int CommandLineLength;
        public BootModule[] Modules;  // Modules[0] is the initial domain, as in Xen
        public MemoryRange[] Memory;
        public ulong HeapStart, HeapEnd;

        public System.ReadOnlySpan<byte> CommandLineBytes => new System.ReadOnlySpan<byte>(CommandLine, CommandLineLength);

        // The command line without its first word when that word is the image
        // name Multiboot loaders put there (QEMU, GRUB), as Xen's cmdline_cook does.
        public System.ReadOnlySpan<byte> Arguments
        {
            get
            {
                var all = CommandLineBytes;
                int i = 0;
                while (i < all.Length && all[i] == ' ') i++;
                int start = i;
                bool hasEquals = false;
                while (i < all.Length && all[i] != ' ') { if (all[i] == '=') hasEquals = true; i++; }
                if (hasEquals || i == start) return all.Slice(start);
                while (i < all.Length && all[i] == ' ') i++;
                return all.Slice(i);
            }
        }

        public static BootInfo FromMultiboot(Multiboot.Info* info, ulong heapStart, ulong heapEnd)
        {
            var b = new BootInfo();
            b.HeapStart = heapStart;
            b.HeapEnd = heapEnd;
            if ((info->Flags & Multiboot.HasCommandLine) != 0 && info->CommandLine != 0)
            {
                b.CommandLine = (byte*)(nuint)info->CommandLine;
                b.CommandLineLength = Multiboot.CStringLength(b.CommandLine);
            }

            Multiboot.Module* m = Multiboot.Modules(info, out int count);
            b.Modules = new BootModule[count];
            for (int i = 0; i < count; i++)
            {
                b.Modules[i].Start = m[i].Start;
                b.Modules[i].End = m[i].End;
                b.Modules[i].Name = (byte*)(nuint)m[i].String;
                b.Modules[i].NameLength = Multiboot.CStringLength(b.Modules[i].Name);
            }

            int n = 0;
            if ((info->Flags & Multiboot.HasMemoryMap) != 0)
            {
                byte* end = (byte*)(nuint)info->MemoryMap + info->MemoryMapLength;
                for (var e = (Multiboot.MemoryMapEntry*)(nuint)info->MemoryMap; (byte*)e < end; e = Multiboot.NextEntry(e)) n++;
                b.Memory = new MemoryRange[n];
                int i = 0;
                for (var e = (Multiboot.MemoryMapEntry*)(nuint)info->MemoryMap; (byte*)e < end; e = Multiboot.NextEntry(e), i++)
                {
                    b.Memory[i].Base = e->Base;
                    b.Memory[i].Length = e->Length;
                    b.Memory[i].Type = e->Type;
                }
            }
            else b.Memory = new MemoryRange[0];
            return b;
        }

        // True if the command line has the word `key=value` (or `key` alone when
        // value is null), space separated, as in `xenlite.selftest=runtime`.
        public bool HasOption(string key, string value) => CommandLineWords.Has(CommandLine, CommandLineLength, key, value);
    }
}

// Module start-up, done once before any general C# runs: for every managed
// module ILC linked in (the `__modules` section lists their ReadyToRun headers),
// allocate the GC static bases (section 201) and then run the eager class
// constructors (section 205). Lazy cctors go through ClassConstructorRunner.
using Internal.Runtime;
using System.Runtime;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace XenLite.Runtime
{
    public static unsafe class ModuleStartup
    {
        private const uint ReadyToRunSignature = 0x00525452; // "RTR"
        private const int GCStaticRegion = 201;
        private const int EagerCctor = 205;
        private const nint Uninitialized = 1, HasPreInitializedData = 2, FlagMask = 3;

        [StructLayout(LayoutKind.Sequential)]
        private struct Header
        {
            public uint Signature;
            public ushort MajorVersion, MinorVersion;
            public uint Flags;
            public ushort NumberOfSections;
            public byte EntrySize, EntryType;
        }

        [StructLayout(LayoutKind.Sequential)]
        private struct Section
        {
            public int Id, Flags;
            public byte* Start, End;
        }

        // Bounds of the `__modules` section, from the linker script (boot/<arch>).
        [MethodImpl(MethodImplOptions.InternalCall)]
        [RuntimeImport("*", "xl_modules_start")]
        private static extern Header** ModulesStart();

        [MethodImpl(MethodImplOptions.InternalCall)]
        [RuntimeImport("*", "xl_modules_end")]
        private static extern Header** ModulesEnd();

        public static int ModuleCount => (int)(ModulesEnd() - ModulesStart());

        // Hands the heap to the allocator, then initializes every module.
        public static void Run(byte* heapStart, nuint heapSize)
        {
            Allocator.Init(heapStart, heapSize);
            for (Header** m = ModulesStart(); m < ModulesEnd(); m++)
                ForEachSection(*m, GCStaticRegion);
            for (Header** m = ModulesStart(); m < ModulesEnd(); m++)
                ForEachSection(*m, EagerCctor);
        }

        private static void ForEachSection(Header* header, int id)
        {
            if (header == null) return;
            if (header->Signature != ReadyToRunSignature) Panic.Fail("bad ReadyToRun header in __modules");
            byte* row = (byte*)(header + 1);
            for (int i = 0; i < header->NumberOfSections; i++, row += header->EntrySize)
            {
                Section* s = (Section*)row;
                if (s->Id != id) continue;
                if (id == GCStaticRegion) InitializeStatics(s->Start, s->End);
                else RunCctors(s->Start, s->End);
            }
        }

        // Entries are 32-bit offsets relative to their own address.
        private static byte* RelPtr(void* at) => (byte*)at + *(int*)at;

        // Each entry points at a static-base slot that holds (relative) the
        // MethodTable of the statics holder plus flag bits; replace it with a
        // freshly allocated holder object, copying preinitialized data if any.
        private static void InitializeStatics(byte* start, byte* end)
        {
            for (byte* entry = start; entry < end; entry += sizeof(int))
            {
                nint* slot = (nint*)RelPtr(entry);
                nint value = (nint)RelPtr(slot);
                if ((value & Uninitialized) == 0) continue;
                MethodTable* type = (MethodTable*)(value & ~FlagMask);
                object holder = ObjectAlloc.New(type);
                byte* obj = *(byte**)&holder;
                if ((value & HasPreInitializedData) != 0)
                    System.Mem.Move(obj + sizeof(nint), RelPtr((int*)slot + 1), type->BaseSize - 2 * (nuint)sizeof(nint));
                *slot = (nint)obj;
            }
        }

        private static void RunCctors(byte* start, byte* end)
        {
            for (byte* entry = start; entry < end; entry += sizeof(int))
                ((delegate*<void>)RelPtr(entry))();
        }
    }
}

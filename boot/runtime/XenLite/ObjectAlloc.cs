// `new` for objects and arrays. ILC calls these symbols directly. An object
// reference points just past an 8-byte header, at its MethodTable pointer.
using Internal.Runtime;
using System.Runtime;
using System.Runtime.CompilerServices;

namespace XenLite.Runtime
{
    public static unsafe class ObjectAlloc
    {
        private const int HeaderSize = 8;

        internal static object New(MethodTable* type)
        {
            byte* block = (byte*)Allocator.Alloc(type->BaseSize);
            byte* obj = block + HeaderSize;
            *(MethodTable**)obj = type;
            return *(object*)&obj;
        }

        [RuntimeExport("RhpNewFast")]
        private static object RhpNewFast(MethodTable* type) => New(type);

        [RuntimeExport("RhpNewFinalizable")]
        private static object RhpNewFinalizable(MethodTable* type) => New(type);

        [RuntimeExport("RhpNewArrayFast")]
        private static object RhpNewArrayFast(MethodTable* type, int length) => NewArray(type, length);

        [RuntimeExport("RhpNewPtrArrayFast")]
        private static object RhpNewPtrArrayFast(MethodTable* type, int length) => NewArray(type, length);

        [RuntimeExport("RhpNewArray")]
        private static object RhpNewArray(MethodTable* type, int length) => NewArray(type, length);

        private static object NewArray(MethodTable* type, int length)
        {
            if (length < 0) Panic.Fail("negative array length");
            nuint size = ((nuint)type->BaseSize + (nuint)length * type->ComponentSize + 7) & ~(nuint)7;
            byte* obj = (byte*)Allocator.Alloc(size) + HeaderSize;
            *(MethodTable**)obj = type;
            *(int*)(obj + sizeof(nint)) = length;
            return *(object*)&obj;
        }

        // Size of the block holding `o`, as Allocator.Alloc was asked for it.
        private static nuint SizeOf(object o)
        {
            MethodTable* type = o.m_pMethodTable;
            nuint size = type->BaseSize;
            if (type->HasComponentSize)
                size = (size + (nuint)Unsafe.As<RawArrayData>(o).Length * type->ComponentSize + 7) & ~(nuint)7;
            return size;
        }

        // Explicit free (there is no GC). The object must have come from `new`
        // and must not be used afterwards. String literals must never be freed.
        public static void Free(object o)
        {
            if (o == null) return;
            byte* obj = *(byte**)&o;
            Allocator.Free(obj - HeaderSize, SizeOf(o));
        }
    }
}

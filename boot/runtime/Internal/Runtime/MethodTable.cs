// The head of ILC's MethodTable (type descriptor). We read only what allocation
// and casting need; the layout is ILC 10's contract.
using System.Runtime.InteropServices;

namespace Internal.Runtime
{
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct MethodTable
    {
        internal uint Flags;            // low 16 bits: component size when HasComponentSize
        internal uint BaseSize;         // bytes incl. the 8-byte header before the object
        internal MethodTable* RelatedType; // base type; element type for arrays
        internal ushort NumVtableSlots;
        internal ushort NumInterfaces;
        internal uint HashCode;

        private const uint HasComponentSizeFlag = 0x80000000;
        private const uint KindMask = 0x00030000;

        internal bool HasComponentSize => (Flags & HasComponentSizeFlag) != 0;
        internal ushort ComponentSize => HasComponentSize ? (ushort)Flags : (ushort)0;

        // Only "canonical" types (classes, structs) have a base-type chain.
        internal bool IsCanonical => (Flags & KindMask) == 0;

        // Interface list follows the vtable.
        internal MethodTable** Interfaces
        {
            get
            {
                fixed (MethodTable* self = &this)
                    return (MethodTable**)((byte*)self + sizeof(MethodTable) + NumVtableSlots * sizeof(nint));
            }
        }
    }
}

// Bindings to the guest's assembly every arch provides (images/guests/<arch>/):
// the native hypercall and the runtime's heap.
using System.Runtime;
using System.Runtime.CompilerServices;

namespace XenLite.Guest
{
    public static unsafe class Asm
    {
        const MethodImplOptions Extern = MethodImplOptions.InternalCall;

        // Hypercall `nr` in the arch's native ABI (x86_64 hvm64 through the
        // hypercall page; arm64 hvc #0xEA1 with the number in x16).
        [MethodImpl(Extern), RuntimeImport("*", "guest_hypercall")]
        public static extern long Hypercall(ulong nr, ulong a1, ulong a2, ulong a3, ulong a4, ulong a5);

        [MethodImpl(Extern), RuntimeImport("*", "guest_heap_start")] public static extern byte* HeapStart();
        [MethodImpl(Extern), RuntimeImport("*", "guest_heap_end")] public static extern byte* HeapEnd();
    }
}

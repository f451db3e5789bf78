// Bindings to the guest's assembly (images/guests/x86_64/hypercall.S).
using System.Runtime;
using System.Runtime.CompilerServices;

namespace XenLite.Guest
{
    public static unsafe class Asm
    {
        const MethodImplOptions Extern = MethodImplOptions.InternalCall;

        // Hypercall `nr` from 64-bit mode (hvm64 ABI).
        [MethodImpl(Extern), RuntimeImport("*", "guest_hypercall")]
        public static extern long Hypercall(ulong nr, ulong a1, ulong a2, ulong a3, ulong a4, ulong a5);

        // Hypercall `nr` from a 32-bit compatibility-mode segment (hvm32 ABI);
        // arguments are truncated to 32 bits, the result is sign-extended.
        [MethodImpl(Extern), RuntimeImport("*", "guest_hypercall32")]
        public static extern long Hypercall32(ulong nr, ulong a1, ulong a2, ulong a3, ulong a4, ulong a5);

        [MethodImpl(Extern), RuntimeImport("*", "guest_hypercall_page")] public static extern byte* HypercallPage();
        [MethodImpl(Extern), RuntimeImport("*", "guest_heap_start")] public static extern byte* HeapStart();
        [MethodImpl(Extern), RuntimeImport("*", "guest_heap_end")] public static extern byte* HeapEnd();
    }
}

// Bindings to the x86 guest's own assembly (hypercall.S, gdt.S).
using System.Runtime;
using System.Runtime.CompilerServices;

namespace XenLite.Guest
{
    public static unsafe class AsmX86
    {
        const MethodImplOptions Extern = MethodImplOptions.InternalCall;

        // Hypercall `nr` from a 32-bit compatibility-mode segment (hvm32 ABI);
        // arguments are truncated to 32 bits, the result is sign-extended.
        [MethodImpl(Extern), RuntimeImport("*", "guest_hypercall32")]
        public static extern long Hypercall32(ulong nr, ulong a1, ulong a2, ulong a3, ulong a4, ulong a5);

        [MethodImpl(Extern), RuntimeImport("*", "guest_hypercall_page")] public static extern byte* HypercallPage();
    }
}

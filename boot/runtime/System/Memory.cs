// Block copy/fill helpers: RyuJIT calls these for struct copies, zeroing and
// span operations (ILC names them as the JIT's MemCpy/MemSet/MemZero helpers).
// Byte loops with an 8-byte fast path: correct first, and small.
using System.Runtime.CompilerServices;

namespace System
{
    internal static unsafe class SpanHelpers
    {
        public static void Memmove(ref byte dest, ref byte src, nuint len) =>
            Mem.Move((byte*)Unsafe.AsPointer(ref dest), (byte*)Unsafe.AsPointer(ref src), len);

        public static void Fill(ref byte dest, byte value, nuint len) =>
            Mem.Set((byte*)Unsafe.AsPointer(ref dest), value, len);

        public static void ClearWithoutReferences(ref byte b, nuint byteLength) =>
            Mem.Set((byte*)Unsafe.AsPointer(ref b), 0, byteLength);

        public static void ClearWithReferences(ref nint ip, nuint pointerSizeLength) =>
            Mem.Set((byte*)Unsafe.AsPointer(ref ip), 0, pointerSizeLength * (nuint)sizeof(nint));
    }

    public static unsafe class Buffer
    {
        public static void Memmove(ref byte dest, ref byte src, nuint len) =>
            Mem.Move((byte*)Unsafe.AsPointer(ref dest), (byte*)Unsafe.AsPointer(ref src), len);

        // No GC, so no card marking: a plain move.
        internal static void BulkMoveWithWriteBarrier(ref byte dest, ref byte src, nuint byteCount) =>
            Mem.Move((byte*)Unsafe.AsPointer(ref dest), (byte*)Unsafe.AsPointer(ref src), byteCount);

        public static void MemoryCopy(void* source, void* destination, long destinationSizeInBytes, long sourceBytesToCopy) =>
            Mem.Move((byte*)destination, (byte*)source, (nuint)sourceBytesToCopy);
    }

    // The loops themselves, shared by the helpers above.
    internal static unsafe class Mem
    {
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static void Move(byte* d, byte* s, nuint n)
        {
            if (d == s || n == 0) return;
            if (d < s || d >= s + n)
            {
                while (n >= 8 && (((nuint)d | (nuint)s) & 7) == 0) { *(ulong*)d = *(ulong*)s; d += 8; s += 8; n -= 8; }
                while (n > 0) { *d++ = *s++; n--; }
            }
            else
            {
                d += n; s += n;
                while (n > 0) { *--d = *--s; n--; }
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static void Set(byte* d, byte v, nuint n)
        {
            ulong w = v * 0x0101010101010101UL;
            while (n > 0 && ((nuint)d & 7) != 0) { *d++ = v; n--; }
            while (n >= 8) { *(ulong*)d = w; d += 8; n -= 8; }
            while (n > 0) { *d++ = v; n--; }
        }
    }
}

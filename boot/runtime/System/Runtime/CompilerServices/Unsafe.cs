// Unsafe: ILC supplies the IL bodies of these [Intrinsic] methods itself
// (they are not expressible in C#). Spans and the allocator are built on them.
#pragma warning disable 626 // extern without DllImport: ILC provides the body
namespace System.Runtime.CompilerServices
{
    public static unsafe class Unsafe
    {
        [Intrinsic] public static extern void* AsPointer<T>(ref T value);
        [Intrinsic] public static extern ref T AsRef<T>(void* source);
        [Intrinsic] public static extern ref T AsRef<T>(ref readonly T source);
        [Intrinsic] public static extern T As<T>(object o) where T : class;
        [Intrinsic] public static extern ref TTo As<TFrom, TTo>(ref TFrom source);
        [Intrinsic] public static extern ref T Add<T>(ref T source, int elementOffset);
        [Intrinsic] public static extern ref T Add<T>(ref T source, nint elementOffset);
        [Intrinsic] public static extern ref T AddByteOffset<T>(ref T source, nint byteOffset);
        [Intrinsic] public static extern int SizeOf<T>();
        [Intrinsic] public static extern bool AreSame<T>(ref readonly T left, ref readonly T right);
        [Intrinsic] public static extern bool IsAddressGreaterThan<T>(ref readonly T left, ref readonly T right);
        [Intrinsic] public static extern bool IsAddressLessThan<T>(ref readonly T left, ref readonly T right);
        [Intrinsic] public static extern bool IsNullRef<T>(ref readonly T source);
        [Intrinsic] public static extern ref T NullRef<T>();
        [Intrinsic] public static extern T ReadUnaligned<T>(void* source);
        [Intrinsic] public static extern void WriteUnaligned<T>(void* destination, T value);
    }
}

// The span extension methods csc itself needs (C# 14 converts string to
// ReadOnlySpan<char> through AsSpan) plus byte-wise comparison for hv/.
namespace System
{
    public static class MemoryExtensions
    {
        // Built from the fields: a conversion here would call AsSpan again.
        public static ReadOnlySpan<char> AsSpan(this string text) =>
            (object)text == null ? default : new ReadOnlySpan<char>(ref text._firstChar, text._stringLength);

        public static Span<T> AsSpan<T>(this T[] array) => new Span<T>(array);

        public static bool SequenceEqual(this ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
        {
            if (a.Length != b.Length) return false;
            for (int i = 0; i < a.Length; i++) if (a[i] != b[i]) return false;
            return true;
        }

        public static bool SequenceEqual(this Span<byte> a, ReadOnlySpan<byte> b) => SequenceEqual((ReadOnlySpan<byte>)a, b);
    }
}

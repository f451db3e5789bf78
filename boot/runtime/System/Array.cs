// Arrays: MethodTable pointer, then the element count (padded to 8 bytes on
// 64-bit), then the elements. ILC emits ldlen as a load of that count.
namespace System
{
    public abstract class Array
    {
#pragma warning disable 649, 169
        private int _numComponents;
#pragma warning restore 649, 169

        public int Length => _numComponents;
    }

    // ILC models T[] as deriving from Array<T>.
    public class Array<T> : Array { }
}

namespace System.Runtime.CompilerServices
{
    // Overlay used to reach the first element of any array.
    internal sealed class RawArrayData
    {
#pragma warning disable 649
        public uint Length;
        public uint Padding;
        public byte Data;
#pragma warning restore 649
    }
}

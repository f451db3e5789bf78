// Span<T>: a bounds-checked window onto memory (pointer, array or stackalloc).
// Out-of-range indexes stop the machine through ThrowHelpers (no exceptions).
using System.Runtime.CompilerServices;
using Internal.Runtime.CompilerHelpers;

namespace System
{
    public readonly ref struct Span<T>
    {
        internal readonly ref T _reference;
        private readonly int _length;

        public unsafe Span(void* pointer, int length)
        {
            if (length < 0) ThrowHelpers.ThrowArgumentOutOfRangeException();
            _reference = ref Unsafe.AsRef<T>(pointer);
            _length = length;
        }

        public Span(T[] array)
        {
            if (array == null) { this = default; return; }
            _reference = ref Unsafe.As<byte, T>(ref Unsafe.As<RawArrayData>(array).Data);
            _length = array.Length;
        }

        public Span(T[] array, int start, int length)
        {
            if (array == null) { this = default; return; }
            if ((ulong)(uint)start + (ulong)(uint)length > (ulong)(uint)array.Length)
                ThrowHelpers.ThrowArgumentOutOfRangeException();
            _reference = ref Unsafe.Add(ref Unsafe.As<byte, T>(ref Unsafe.As<RawArrayData>(array).Data), (nint)(uint)start);
            _length = length;
        }

        internal Span(ref T reference, int length)
        {
            _reference = ref reference;
            _length = length;
        }

        public int Length => _length;
        public bool IsEmpty => _length == 0;

        public ref T this[int index]
        {
            get
            {
                if ((uint)index >= (uint)_length) ThrowHelpers.ThrowIndexOutOfRangeException();
                return ref Unsafe.Add(ref _reference, (nint)(uint)index);
            }
        }

        public Span<T> Slice(int start)
        {
            if ((uint)start > (uint)_length) ThrowHelpers.ThrowArgumentOutOfRangeException();
            return new Span<T>(ref Unsafe.Add(ref _reference, (nint)(uint)start), _length - start);
        }

        public Span<T> Slice(int start, int length)
        {
            if ((ulong)(uint)start + (ulong)(uint)length > (ulong)(uint)_length)
                ThrowHelpers.ThrowArgumentOutOfRangeException();
            return new Span<T>(ref Unsafe.Add(ref _reference, (nint)(uint)start), length);
        }

        // Lets `fixed (T* p = span)` work.
        public ref T GetPinnableReference() => ref _reference;

        public void Clear()
        {
            for (int i = 0; i < _length; i++) Unsafe.Add(ref _reference, (nint)(uint)i) = default;
        }

        public void Fill(T value)
        {
            for (int i = 0; i < _length; i++) Unsafe.Add(ref _reference, (nint)(uint)i) = value;
        }

        // Copies into dest (which must be at least as long); overlapping copies are safe.
        public void CopyTo(Span<T> dest) => new ReadOnlySpan<T>(ref _reference, _length).CopyTo(dest);

        // `foreach` over a span.
        public Enumerator GetEnumerator() => new Enumerator(this);

        public ref struct Enumerator
        {
            private readonly Span<T> _span;
            private int _index;
            internal Enumerator(Span<T> span) { _span = span; _index = -1; }
            public bool MoveNext() => ++_index < _span.Length;
            public ref T Current => ref _span[_index];
        }

        public static implicit operator Span<T>(T[] array) => new Span<T>(array);
        public static implicit operator ReadOnlySpan<T>(Span<T> span) => new ReadOnlySpan<T>(ref span._reference, span._length);
    }
}

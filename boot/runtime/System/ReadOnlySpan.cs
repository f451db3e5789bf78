// ReadOnlySpan<T>: read-only counterpart of Span<T>. csc builds one from every
// "..."u8 literal through the (void*, int) constructor.
using System.Runtime.CompilerServices;
using Internal.Runtime.CompilerHelpers;

namespace System
{
    public readonly ref struct ReadOnlySpan<T>
    {
        internal readonly ref T _reference;
        private readonly int _length;

        public unsafe ReadOnlySpan(void* pointer, int length)
        {
            if (length < 0) ThrowHelpers.ThrowArgumentOutOfRangeException();
            _reference = ref Unsafe.AsRef<T>(pointer);
            _length = length;
        }

        public ReadOnlySpan(T[] array)
        {
            if (array == null) { this = default; return; }
            _reference = ref Unsafe.As<byte, T>(ref Unsafe.As<RawArrayData>(array).Data);
            _length = array.Length;
        }

        public ReadOnlySpan(T[] array, int start, int length)
        {
            if (array == null) { this = default; return; }
            if ((ulong)(uint)start + (ulong)(uint)length > (ulong)(uint)array.Length)
                ThrowHelpers.ThrowArgumentOutOfRangeException();
            _reference = ref Unsafe.Add(ref Unsafe.As<byte, T>(ref Unsafe.As<RawArrayData>(array).Data), (nint)(uint)start);
            _length = length;
        }

        internal ReadOnlySpan(ref T reference, int length)
        {
            _reference = ref reference;
            _length = length;
        }

        public int Length => _length;
        public bool IsEmpty => _length == 0;

        public ref readonly T this[int index]
        {
            get
            {
                if ((uint)index >= (uint)_length) ThrowHelpers.ThrowIndexOutOfRangeException();
                return ref Unsafe.Add(ref _reference, (nint)(uint)index);
            }
        }

        public ReadOnlySpan<T> Slice(int start)
        {
            if ((uint)start > (uint)_length) ThrowHelpers.ThrowArgumentOutOfRangeException();
            return new ReadOnlySpan<T>(ref Unsafe.Add(ref _reference, (nint)(uint)start), _length - start);
        }

        public ReadOnlySpan<T> Slice(int start, int length)
        {
            if ((ulong)(uint)start + (ulong)(uint)length > (ulong)(uint)_length)
                ThrowHelpers.ThrowArgumentOutOfRangeException();
            return new ReadOnlySpan<T>(ref Unsafe.Add(ref _reference, (nint)(uint)start), length);
        }

        public ref readonly T GetPinnableReference() => ref _reference;

        public void CopyTo(Span<T> dest)
        {
            if ((uint)_length > (uint)dest.Length) ThrowHelpers.ThrowArgumentException();
            ref T d = ref dest._reference;
            // Copy backwards when dest starts inside the source, so overlap is safe.
            if (Unsafe.IsAddressGreaterThan(ref d, ref _reference))
                for (int i = _length - 1; i >= 0; i--) Unsafe.Add(ref d, (nint)(uint)i) = Unsafe.Add(ref _reference, (nint)(uint)i);
            else
                for (int i = 0; i < _length; i++) Unsafe.Add(ref d, (nint)(uint)i) = Unsafe.Add(ref _reference, (nint)(uint)i);
        }

        // `foreach` over a span.
        public Enumerator GetEnumerator() => new Enumerator(this);

        public ref struct Enumerator
        {
            private readonly ReadOnlySpan<T> _span;
            private int _index;
            internal Enumerator(ReadOnlySpan<T> span) { _span = span; _index = -1; }
            public bool MoveNext() => ++_index < _span.Length;
            public ref readonly T Current => ref _span[_index];
        }

        public static implicit operator ReadOnlySpan<T>(T[] array) => new ReadOnlySpan<T>(array);
    }
}

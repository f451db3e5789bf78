// Strings are UTF-16 and, in the image, only ever literals (frozen objects that
// ILC lays out in .rodata). ILC requires the field names _stringLength and
// _firstChar. No formatting or concatenation: hv/ prints pieces one by one.
using System.Runtime.CompilerServices;

namespace System
{
    public sealed class String
    {
#pragma warning disable 649
        internal readonly int _stringLength;
        internal char _firstChar;
#pragma warning restore 649

        public int Length => _stringLength;

        [IndexerName("Chars")]
        public char this[int index]
        {
            get
            {
                if ((uint)index >= (uint)_stringLength)
                    Internal.Runtime.CompilerHelpers.ThrowHelpers.ThrowIndexOutOfRangeException();
                return Unsafe.Add(ref _firstChar, index);
            }
        }

        // Lets `fixed (char* p = s)` work.
        public ref readonly char GetPinnableReference() => ref _firstChar;

        public static implicit operator ReadOnlySpan<char>(string value) =>
            (object)value == null ? default : new ReadOnlySpan<char>(ref value._firstChar, value._stringLength);

        public static bool operator ==(string a, string b) => Equals(a, b);
        public static bool operator !=(string a, string b) => !Equals(a, b);

        public override bool Equals(object obj) => obj is string s && Equals(this, s);

        // FNV-1a over the UTF-16 code units: equal strings hash equal.
        public override int GetHashCode()
        {
            uint h = 2166136261;
            for (int i = 0; i < _stringLength; i++) h = (h ^ Unsafe.Add(ref _firstChar, i)) * 16777619;
            return (int)h;
        }

        public override string ToString() => this;

        // Ordinal comparison; used by `switch` on strings too.
        public static bool Equals(string a, string b)
        {
            if ((object)a == (object)b) return true;
            if ((object)a == null || (object)b == null) return false;
            if (a._stringLength != b._stringLength) return false;
            for (int i = 0; i < a._stringLength; i++)
                if (Unsafe.Add(ref a._firstChar, i) != Unsafe.Add(ref b._firstChar, i)) return false;
            return true;
        }
    }
}

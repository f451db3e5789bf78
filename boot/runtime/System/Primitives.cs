// The primitive value types. csc and ILC recognise them by name; the single
// m_value field of the type itself is the convention both expect.
namespace System
{
    public struct Boolean { private bool m_value; }
    public struct Char { private char m_value; public const char MinValue = (char)0, MaxValue = (char)0xFFFF; }
    public struct SByte { private sbyte m_value; public const sbyte MinValue = -128, MaxValue = 127; }
    public struct Byte { private byte m_value; public const byte MinValue = 0, MaxValue = 0xFF; }
    public struct Int16 { private short m_value; public const short MinValue = -32768, MaxValue = 32767; }
    public struct UInt16 { private ushort m_value; public const ushort MinValue = 0, MaxValue = 0xFFFF; }
    public struct Int32 { private int m_value; public const int MinValue = unchecked((int)0x80000000), MaxValue = 0x7FFFFFFF; }
    public struct UInt32 { private uint m_value; public const uint MinValue = 0, MaxValue = 0xFFFFFFFF; }
    public struct Int64 { private long m_value; public const long MinValue = unchecked((long)0x8000000000000000), MaxValue = 0x7FFFFFFFFFFFFFFF; }
    public struct UInt64 { private ulong m_value; public const ulong MinValue = 0, MaxValue = 0xFFFFFFFFFFFFFFFF; }
    public struct Single { private float m_value; }
    public struct Double { private double m_value; }

    // nint/nuint: with RuntimeFeature.NumericIntPtr these are the same types,
    // so the C# operators on nint work without declaring any here.
    public unsafe struct IntPtr
    {
        private void* _value;
        public static readonly IntPtr Zero;
        public static nint MaxValue => (nint)0x7FFFFFFFFFFFFFFF;
        public static nint MinValue => unchecked((nint)0x8000000000000000);
        public IntPtr(void* value) { _value = value; }
        public IntPtr(long value) { _value = (void*)value; }
        public void* ToPointer() => _value;
    }

    public unsafe struct UIntPtr
    {
        private void* _value;
        public static readonly UIntPtr Zero;
        public static nuint MaxValue => unchecked((nuint)0xFFFFFFFFFFFFFFFF);
        public static nuint MinValue => 0;
        public UIntPtr(void* value) { _value = value; }
        public UIntPtr(ulong value) { _value = (void*)value; }
        public void* ToPointer() => _value;
    }
}

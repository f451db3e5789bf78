// The primitive value types. csc and ILC recognise them by name; the single
// m_value field of the type itself is the convention both expect.
namespace System
{
    public struct Boolean { private bool m_value; }
    public struct Char { private char m_value; }
    public struct SByte { private sbyte m_value; }
    public struct Byte { private byte m_value; }
    public struct Int16 { private short m_value; }
    public struct UInt16 { private ushort m_value; }
    public struct Int32 { private int m_value; }
    public struct UInt32 { private uint m_value; }
    public struct Int64 { private long m_value; }
    public struct UInt64 { private ulong m_value; }
    public struct Single { private float m_value; }
    public struct Double { private double m_value; }

    // nint/nuint: with RuntimeFeature.NumericIntPtr these are the same types,
    // so the C# operators on nint work without declaring any here.
    public unsafe struct IntPtr
    {
        private void* _value;
        public static readonly IntPtr Zero;
        public IntPtr(void* value) { _value = value; }
        public IntPtr(long value) { _value = (void*)value; }
        public void* ToPointer() => _value;
    }

    public unsafe struct UIntPtr
    {
        private void* _value;
        public static readonly UIntPtr Zero;
        public UIntPtr(void* value) { _value = value; }
        public UIntPtr(ulong value) { _value = (void*)value; }
        public void* ToPointer() => _value;
    }
}

// Helpers ILC binds checked conversions from floating point to (conv.ovf.*):
// its scanner asks for them whenever a method has any checked conversion
// (`new T[ulong]`, `array[ulong]`), so hv/ code needs them to exist even
// though it never converts a double. Overflow panics, like other checks.
using Internal.Runtime.CompilerHelpers;

namespace System
{
    public static class Math
    {
        internal static int ConvertToInt32Checked(double v)
        {
            if (!(v > -2147483649.0 && v < 2147483648.0)) ThrowHelpers.ThrowOverflowException();
            return (int)v;
        }

        internal static uint ConvertToUInt32Checked(double v)
        {
            if (!(v > -1.0 && v < 4294967296.0)) ThrowHelpers.ThrowOverflowException();
            return (uint)v;
        }

        internal static long ConvertToInt64Checked(double v)
        {
            if (!(v >= -9223372036854775808.0 && v < 9223372036854775808.0)) ThrowHelpers.ThrowOverflowException();
            return (long)v;
        }

        internal static ulong ConvertToUInt64Checked(double v)
        {
            if (!(v > -1.0 && v < 18446744073709551616.0)) ThrowHelpers.ThrowOverflowException();
            return (ulong)v;
        }
    }
}

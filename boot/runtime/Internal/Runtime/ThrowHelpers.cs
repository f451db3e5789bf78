// Where ILC-generated code goes on a failed check (bounds, overflow, null, cast).
// There are no exceptions in XenLite: every one of these is a fatal bug report.
using XenLite.Runtime;

namespace Internal.Runtime.CompilerHelpers
{
    internal static class ThrowHelpers
    {
        internal static void ThrowOverflowException() => Panic.Fail("arithmetic overflow");
        internal static void ThrowIndexOutOfRangeException() => Panic.Fail("index out of range");
        internal static void ThrowNullReferenceException() => Panic.Fail("null reference");
        internal static void ThrowDivideByZeroException() => Panic.Fail("divide by zero");
        internal static void ThrowArgumentOutOfRangeException() => Panic.Fail("argument out of range");
        internal static void ThrowArgumentException() => Panic.Fail("bad argument");
        internal static void ThrowPlatformNotSupportedException() => Panic.Fail("platform not supported");
        internal static void ThrowNotImplementedException() => Panic.Fail("not implemented");
        internal static void ThrowArrayTypeMismatchException() => Panic.Fail("array type mismatch");
        internal static void ThrowInvalidCastException() => Panic.Fail("invalid cast");
        internal static void ThrowFeatureBodyRemoved() => Panic.Fail("feature removed by ILC");
        internal static void ThrowInvalidProgramException(int id) => Panic.Fail("invalid program");
        internal static void ThrowInvalidProgramExceptionWithArgument(int id, string methodName) => Panic.Fail("invalid program", methodName);
        internal static void ThrowTypeLoadException(int id, string className, string typeName) => Panic.Fail("type load failure", typeName);
        internal static void ThrowTypeLoadExceptionWithArgument(int id, string className, string typeName, string messageArg) => Panic.Fail("type load failure", typeName);
        internal static void ThrowMissingMethodException(int id, string methodName) => Panic.Fail("missing method", methodName);
        internal static void ThrowMissingFieldException(int id, string fieldName) => Panic.Fail("missing field", fieldName);
        internal static void ThrowFileNotFoundException(int id, string fileName) => Panic.Fail("file not found", fileName);
        internal static void ThrowBadImageFormatException(int id) => Panic.Fail("bad image format");
        internal static void ThrowMarshalDirectiveException(int id) => Panic.Fail("marshalling not supported");
        internal static void ThrowAmbiguousMatchException(int id) => Panic.Fail("ambiguous match");
    }
}

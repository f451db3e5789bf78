// RuntimeHelpers: the members csc emits calls to. InitializeArray is expanded
// by RyuJIT (or folded by ILC's preinitializer) into a plain copy.
namespace System.Runtime.CompilerServices
{
    public static class RuntimeHelpers
    {
        [Intrinsic]
        public static void InitializeArray(Array array, RuntimeFieldHandle fldHandle)
        {
            // Only reached if the JIT could not expand the intrinsic (it always can
            // for csc-emitted constant data).
            XenLite.Runtime.Panic.Fail("RuntimeHelpers.InitializeArray not expanded");
        }

        public static int OffsetToStringData => 12;

        [Intrinsic]
        public static bool IsReferenceOrContainsReferences<T>() => true;
    }
}

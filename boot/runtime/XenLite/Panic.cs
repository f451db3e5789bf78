// The runtime's only way to report a fatal error. The platform (boot/<arch>)
// implements the `xl_panic` symbol: print the message and stop the machine.
using System.Runtime;
using System.Runtime.CompilerServices;

namespace XenLite.Runtime
{
    public static unsafe class Panic
    {
        [MethodImpl(MethodImplOptions.InternalCall)]
        [RuntimeImport("*", "xl_panic")]
        private static extern void PlatformPanic(char* message, int length, char* detail, int detailLength);

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static void Fail(string message) => Fail(message, null);

        // Generated code jumps here when a stackalloc guard cookie was overwritten.
        [RuntimeExport("RhpFallbackFailFast")]
        private static void FallbackFailFast() => Fail("stack buffer overrun (cookie check)");

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static void Fail(string message, string detail)
        {
            fixed (char* m = message)
            fixed (char* d = detail)
                PlatformPanic(m, message.Length, d, (object)detail == null ? 0 : detail.Length);
            while (true) { }
        }
    }
}

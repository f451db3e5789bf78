// ldtoken of fields and methods. ILC references these while compiling array
// initializers (RyuJIT then folds InitializeArray into a copy, so they are not
// normally called at run time). Handles are opaque pointers; no reflection.
using System;
using System.Runtime.CompilerServices;

namespace Internal.Runtime.CompilerHelpers
{
    internal static class LdTokenHelpers
    {
        private static RuntimeFieldHandle GetRuntimeFieldHandle(nint handleSignature) =>
            Unsafe.As<nint, RuntimeFieldHandle>(ref handleSignature);

        private static RuntimeMethodHandle GetRuntimeMethodHandle(nint handleSignature) =>
            Unsafe.As<nint, RuntimeMethodHandle>(ref handleSignature);
    }
}

// Type and member handles: ILC's type system requires these types to exist
// (ldtoken, typeof). Reflection is not supported: nothing here does work.
namespace System
{
    public struct RuntimeTypeHandle
    {
        private nint _value;
    }

    public struct RuntimeMethodHandle
    {
        private nint _value;
    }

    public struct RuntimeFieldHandle
    {
        private nint _value;
    }

    public abstract class Type { }

    internal sealed class RuntimeType : Type { }

    // `T?` on value types needs this; hv/ should not rely on it.
    public struct Nullable<T> where T : struct
    {
        private readonly bool hasValue;
        internal T value;
    }
}

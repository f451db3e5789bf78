// Attributes csc looks up by name when it compiles language features
// (ref structs, in/readonly, fixed buffers, indexers, unmanaged constraints...).
namespace System.Runtime.CompilerServices
{
    // Marks methods whose body ILC or RyuJIT replaces (Unsafe, InitializeArray).
    [AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Method | AttributeTargets.Constructor | AttributeTargets.Field, Inherited = false)]
    internal sealed class IntrinsicAttribute : Attribute { }

    public sealed class IsByRefLikeAttribute : Attribute { }
    public sealed class IsReadOnlyAttribute : Attribute { }
    public sealed class IsUnmanagedAttribute : Attribute { }
    public sealed class IsVolatile { }
    public sealed class IsConst { }
    public sealed class IsExternalInit { }
    public sealed class UnsafeValueTypeAttribute : Attribute { }
    public sealed class CompilerGeneratedAttribute : Attribute { }
    public sealed class ExtensionAttribute : Attribute { }
    public sealed class ScopedRefAttribute : Attribute { }
    public sealed class RequiresLocationAttribute : Attribute { }
    public sealed class SkipLocalsInitAttribute : Attribute { }

    public sealed class RefSafetyRulesAttribute : Attribute
    {
        public RefSafetyRulesAttribute(int version) { Version = version; }
        public readonly int Version;
    }

    public sealed class FixedBufferAttribute : Attribute
    {
        public FixedBufferAttribute(Type elementType, int length) { }
    }

    public sealed class IndexerNameAttribute : Attribute
    {
        public IndexerNameAttribute(string indexerName) { }
    }

    [AttributeUsage(AttributeTargets.Struct, AllowMultiple = false)]
    public sealed class InlineArrayAttribute : Attribute
    {
        public InlineArrayAttribute(int length) { Length = length; }
        public int Length { get; }
    }

    // Types marked with this get their static constructor run at start-up
    // (section 205) instead of on first access.
    [AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct)]
    public sealed class EagerStaticClassConstructionAttribute : Attribute { }

    // Tells csc which newer language features the runtime supports.
    public static class RuntimeFeature
    {
        public const string ByRefFields = nameof(ByRefFields);
        public const string NumericIntPtr = nameof(NumericIntPtr);
        public const string DefaultImplementationsOfInterfaces = nameof(DefaultImplementationsOfInterfaces);
        public const string UnmanagedSignatureCallingConvention = nameof(UnmanagedSignatureCallingConvention);
    }

    public enum MethodImplOptions
    {
        Unmanaged = 0x0004, NoInlining = 0x0008, ForwardRef = 0x0010, Synchronized = 0x0020,
        NoOptimization = 0x0040, PreserveSig = 0x0080, AggressiveInlining = 0x0100,
        AggressiveOptimization = 0x0200, InternalCall = 0x1000,
    }

    [AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor)]
    public sealed class MethodImplAttribute : Attribute
    {
        public MethodImplAttribute(MethodImplOptions methodImplOptions) { Value = methodImplOptions; }
        public MethodImplOptions Value { get; }
    }

    // Calling-convention markers for `delegate* unmanaged[Cdecl]` and friends.
    public class CallConvCdecl { }
    public class CallConvStdcall { }
    public class CallConvSuppressGCTransition { }
}

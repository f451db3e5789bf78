// RuntimeImport/RuntimeExport: how C# binds to assembly symbols and how assembly
// finds C# entry points. ILC matches them by these exact names.
namespace System.Runtime
{
    // On an `extern` method with [MethodImpl(MethodImplOptions.InternalCall)]:
    // calls go straight to the native symbol `entry`.
    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    public sealed class RuntimeImportAttribute : Attribute
    {
        public RuntimeImportAttribute(string entry) { EntryPoint = entry; }
        public RuntimeImportAttribute(string dllName, string entry) { EntryPoint = entry; DllName = dllName; }
        public string DllName { get; }
        public string EntryPoint { get; }
    }

    // Publishes a static C# method under the plain symbol name `entry`.
    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    public sealed class RuntimeExportAttribute : Attribute
    {
        public RuntimeExportAttribute(string entry) { EntryPoint = entry; }
        public string EntryPoint { get; }
    }
}

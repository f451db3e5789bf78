// Lazy static constructors: ILC guards first access to a type's statics with a
// call here when its cctor could not be preinitialized at compile time. One
// CPU runs start-up, so no locking; the address is cleared before the call so
// a re-entrant access (cycle) does not run the cctor twice.
namespace System.Runtime.CompilerServices
{
    public struct StaticClassConstructionContext
    {
        public nint cctorMethodAddress;
    }

    internal static unsafe class ClassConstructorRunner
    {
        private static nint CheckStaticClassConstructionReturnNonGCStaticBase(ref StaticClassConstructionContext context, nint nonGcStaticBase)
        {
            Run(ref context);
            return nonGcStaticBase;
        }

        private static object CheckStaticClassConstructionReturnGCStaticBase(ref StaticClassConstructionContext context, object gcStaticBase)
        {
            Run(ref context);
            return gcStaticBase;
        }

        private static void Run(ref StaticClassConstructionContext context)
        {
            nint cctor = context.cctorMethodAddress;
            if (cctor == 0) return;
            context.cctorMethodAddress = 0;
            ((delegate*<void>)cctor)();
        }
    }
}

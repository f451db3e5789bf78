// Delegates exist only because ILC's type system demands them (field names are
// its contract). hv/ uses delegate* function pointers, never delegate objects.
namespace System
{
    public abstract class Delegate
    {
#pragma warning disable 169, 649
        internal object _firstParameter;
        internal object _helperObject;
        internal nint _extraFunctionPointerOrData;
        internal nint _functionPointer;
#pragma warning restore 169, 649

        private void InitializeClosedInstance(object firstParameter, nint functionPointer)
        {
            _functionPointer = functionPointer;
            _firstParameter = firstParameter;
        }

        private void InitializeOpenStaticThunk(object firstParameter, nint functionPointer, nint functionPointerThunk)
        {
            _firstParameter = this;
            _functionPointer = functionPointerThunk;
            _extraFunctionPointerOrData = functionPointer;
        }
    }

    public abstract class MulticastDelegate : Delegate { }
}

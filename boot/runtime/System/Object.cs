// The root of the object model. Its only field is the MethodTable pointer every
// object starts with; ILC relies on this layout. No virtual methods: hv/ code
// never needs Equals/GetHashCode/ToString on objects, and each virtual slot here
// would be a vtable entry in every type.
namespace System
{
    public class Object
    {
#pragma warning disable 169
        internal unsafe Internal.Runtime.MethodTable* m_pMethodTable;
#pragma warning restore 169

        public Object() { }
    }

    public abstract class ValueType { }

    public abstract class Enum : ValueType { }

    public struct Void { }
}

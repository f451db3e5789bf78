// The root of the object model. Its only field is the MethodTable pointer every
// object starts with; ILC relies on this layout. The three virtuals exist so
// code written for the BCL may override them (hv/ builds against both); the
// defaults are identity-based: objects never move, there is no GC.
namespace System
{
    public class Object
    {
#pragma warning disable 169
        internal unsafe Internal.Runtime.MethodTable* m_pMethodTable;
#pragma warning restore 169

        public Object() { }

        public virtual bool Equals(object obj) => this == obj;

        public virtual unsafe int GetHashCode()
        {
            object self = this;
            nint address = *(nint*)&self;
            return (int)address ^ (int)(address >> 32);
        }

        // No reflection, so no type names: callers that print should not rely on it.
        public virtual string ToString() => "object";
    }

    public abstract class ValueType { }

    public abstract class Enum : ValueType { }

    public struct Void { }
}

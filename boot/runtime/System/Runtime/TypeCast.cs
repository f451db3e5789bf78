// Cast and array-store checks ILC calls for `is`, `as`, casts and stores into
// object arrays. Class casts walk the base-type chain; interface casts scan the
// interface list. A failed checked cast is a fatal bug (no exceptions).
using Internal.Runtime;
using Internal.Runtime.CompilerHelpers;
using System.Runtime.CompilerServices;

namespace System.Runtime
{
    internal static unsafe class TypeCast
    {
        private static MethodTable* TypeOf(object o) => o.m_pMethodTable;

        private static bool DerivesFrom(MethodTable* type, MethodTable* target)
        {
            while (type != null)
            {
                if (type == target) return true;
                if (!type->IsCanonical) return false;
                type = type->RelatedType;
            }
            return false;
        }

        private static bool Implements(MethodTable* type, MethodTable* target)
        {
            for (; type != null; type = type->IsCanonical ? type->RelatedType : null)
            {
                MethodTable** list = type->Interfaces;
                for (int i = 0; i < type->NumInterfaces; i++)
                    if (list[i] == target) return true;
            }
            return false;
        }

        private static bool IsInstance(MethodTable* type, MethodTable* target) =>
            DerivesFrom(type, target) || Implements(type, target);

        public static object IsInstanceOfClass(MethodTable* target, object obj) =>
            obj == null || DerivesFrom(TypeOf(obj), target) ? obj : null;

        public static object IsInstanceOfInterface(MethodTable* target, object obj) =>
            obj == null || Implements(TypeOf(obj), target) ? obj : null;

        public static object IsInstanceOfAny(MethodTable* target, object obj) =>
            obj == null || IsInstance(TypeOf(obj), target) ? obj : null;

        // Used by exception filters; ILC requires it even though XenLite has no exceptions.
        public static bool IsInstanceOfException(MethodTable* target, object obj) =>
            obj != null && DerivesFrom(TypeOf(obj), target);

        public static object CheckCastClass(MethodTable* target, object obj)
        {
            if (obj != null && !DerivesFrom(TypeOf(obj), target)) ThrowHelpers.ThrowInvalidCastException();
            return obj;
        }

        public static object CheckCastClassSpecial(MethodTable* target, object obj) => CheckCastClass(target, obj);

        public static object CheckCastInterface(MethodTable* target, object obj)
        {
            if (obj != null && !Implements(TypeOf(obj), target)) ThrowHelpers.ThrowInvalidCastException();
            return obj;
        }

        public static object CheckCastAny(MethodTable* target, object obj)
        {
            if (obj != null && !IsInstance(TypeOf(obj), target)) ThrowHelpers.ThrowInvalidCastException();
            return obj;
        }

        private static ref object Element(object[] array, nint index)
        {
            if ((nuint)index >= (uint)array.Length) ThrowHelpers.ThrowIndexOutOfRangeException();
            return ref Unsafe.Add(ref Unsafe.As<byte, object>(ref Unsafe.As<RawArrayData>(array).Data), index);
        }

        // `array[index] = obj` for reference-type arrays: element type must accept obj.
        public static void StelemRef(object[] array, nint index, object obj)
        {
            ref object slot = ref Element(array, index);
            if (obj != null && !IsInstance(TypeOf(obj), TypeOf(array)->RelatedType))
                ThrowHelpers.ThrowArrayTypeMismatchException();
            slot = obj;
        }

        // `ref array[index]` for reference-type arrays: the array must be exactly T[].
        public static ref object LdelemaRef(object[] array, nint index, MethodTable* elementType)
        {
            ref object slot = ref Element(array, index);
            if (TypeOf(array)->RelatedType != elementType) ThrowHelpers.ThrowArrayTypeMismatchException();
            return ref slot;
        }
    }
}

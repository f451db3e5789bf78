// Boxing helpers ILC calls. hv/ should not box (no object virtuals exist to
// make it useful), but ILC requires the type and a box must still work.
using Internal.Runtime;
using Internal.Runtime.CompilerHelpers;
using System.Runtime.CompilerServices;
using XenLite.Runtime;

namespace System.Runtime
{
    internal static unsafe class RuntimeExports
    {
        public static object RhBox(MethodTable* type, ref byte data)
        {
            object box = ObjectAlloc.New(type);
            byte* dst = (byte*)Unsafe.AsPointer(ref Unsafe.As<RawArrayData>(box).Length);
            byte* src = (byte*)Unsafe.AsPointer(ref data);
            uint size = type->BaseSize - 2 * (uint)sizeof(nint);
            for (uint i = 0; i < size; i++) dst[i] = src[i];
            return box;
        }

        public static ref byte RhUnbox2(MethodTable* type, object obj)
        {
            if (obj == null || obj.m_pMethodTable != type) ThrowHelpers.ThrowInvalidCastException();
            return ref UnboxRef(obj);
        }

        private static ref byte UnboxRef(object obj) =>
            ref Unsafe.As<uint, byte>(ref Unsafe.As<RawArrayData>(obj).Length);

        public static void RhUnboxNullable(ref byte data, MethodTable* type, object obj) =>
            Panic.Fail("Nullable unboxing not supported");

        public static void RhUnboxTypeTest(MethodTable* type, MethodTable* boxType)
        {
            if (type != boxType) ThrowHelpers.ThrowInvalidCastException();
        }
    }
}

using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NUnit.Framework;

namespace XenLite.Tests.Abi;

/// <summary>Checks a C# ABI struct against sizes and offsets computed from Xen's C headers.</summary>
static class LayoutAssert
{
    /// <summary>
    /// sizeof(T) must equal size, and T's public instance fields must be exactly the listed ones,
    /// each at its offset and with its byte size (so a wrong type is caught, not only a wrong offset).
    /// </summary>
    public static void Matches<T>(int size, params (string Name, int Offset, int Size)[] fields) where T : unmanaged
    {
        Assert.That(Unsafe.SizeOf<T>(), Is.EqualTo(size), $"sizeof({typeof(T).Name})");
        var declared = typeof(T).GetFields(BindingFlags.Public | BindingFlags.Instance);
        Assert.That(declared.Select(f => f.Name), Is.EquivalentTo(fields.Select(f => f.Name)),
            $"{typeof(T).Name}: declared fields vs the header's");
        foreach (var (name, offset, fieldSize) in fields)
        {
            Assert.That((int)Marshal.OffsetOf<T>(name), Is.EqualTo(offset), $"offsetof({typeof(T).Name}, {name})");
            Assert.That(SizeOfField(typeof(T).GetField(name)!), Is.EqualTo(fieldSize), $"sizeof({typeof(T).Name}.{name})");
        }
    }

    static int SizeOfField(FieldInfo f)
    {
        var fixedBuffer = f.GetCustomAttribute<FixedBufferAttribute>();
        if (fixedBuffer != null) return fixedBuffer.Length * Marshal.SizeOf(fixedBuffer.ElementType);
        return Marshal.SizeOf(f.FieldType);
    }
}

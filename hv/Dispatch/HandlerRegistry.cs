using XenLite.Hv.Abi;
using XenLite.Hv.Common;

namespace XenLite.Hv.Dispatch;

/// <summary>
/// The handlers compiled into this build: (hypercall, variants) → function. Rows whose
/// handler is missing answer -ENOSYS, as a Xen built without that code does.
/// </summary>
public sealed unsafe class HandlerRegistry
{
    const int Capacity = 128;
    readonly int[] _number = new int[Capacity];
    readonly Variant[] _variants = new Variant[Capacity];
    readonly delegate*<Vcpu, ref HypercallArgs, long>[] _fn = new delegate*<Vcpu, ref HypercallArgs, long>[Capacity];
    int _count;
    Feature _features;

    /// <summary>Features (plugins) whose rows are part of this build.</summary>
    public Feature Features => _features;

    public void Enable(Feature f) => _features |= f;

    /// <summary>Registers <paramref name="fn"/> for every variant in <paramref name="variants"/>; false when full.</summary>
    public bool Add(int number, Variant variants, delegate*<Vcpu, ref HypercallArgs, long> fn)
    {
        if (_count == Capacity) return false;
        _number[_count] = number;
        _variants[_count] = variants;
        _fn[_count] = fn;
        _count++;
        return true;
    }

    public delegate*<Vcpu, ref HypercallArgs, long> Find(int number, Variant variant)
    {
        // Later registrations win, so a plugin or a test can replace a core handler.
        for (int i = _count - 1; i >= 0; i--)
            if (_number[i] == number && (_variants[i] & variant) != 0) return _fn[i];
        return null;
    }

    public bool IsActive(in RouteRow row) => row.Feature == Feature.Core || (_features & row.Feature) != 0;
}

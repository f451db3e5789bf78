using XenLite.Hv.Common.Memory;

namespace XenLite.Hv.Common.MemoryOps;

/// <summary>
/// A guest array of frame numbers or longs through the guest-memory door: 8-byte elements
/// for 64-bit and arm callers, 4-byte ones (compat_pfn_t, compat_ulong_t) for 32-bit x86.
/// </summary>
public static unsafe class GuestArray
{
    public static uint Width(bool compat) => compat ? 4u : 8u;

    public static int Read(Vcpu v, ulong handle, ulong index, uint width, out ulong value)
    {
        ulong tmp = 0;
        int rc = GuestMemory.CopyFrom(v, handle + index * width, &tmp, width);
        value = rc == 0 ? tmp : 0;
        return rc;
    }

    public static int Write(Vcpu v, ulong handle, ulong index, uint width, ulong value) =>
        GuestMemory.CopyTo(v, handle + index * width, &value, width);

    /// <summary>Xen's guest_handle_subrange_okay: could elements first..last be guest memory?</summary>
    public static bool SubrangeOkay(Vcpu v, ulong handle, ulong first, ulong last, uint width)
    {
        if (last < first) return true;
        ulong start = handle + first * width;
        ulong count = last - first + 1;
        if (count > ulong.MaxValue / width) return false;
        return GuestMemory.RangeOkay(v, start, count * width);
    }
}

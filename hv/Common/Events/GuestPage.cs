using XenLite.Hv.Abi;
using XenLite.Hv.Common.Memory;

namespace XenLite.Hv.Common.Events;

/// <summary>
/// A guest frame the hypervisor keeps using after the hypercall that named it (FIFO control
/// blocks and event arrays, registered vcpu_info, runstate and time areas). Translated guests
/// (HVM, arm) name it by guest frame; PV guests, which see machine frames, by MFN.
/// </summary>
public static unsafe class GuestPage
{
    /// <summary>The hypervisor's pointer to the frame, or null when the domain owns no such frame.</summary>
    public static byte* Map(Domain d, ulong frame)
    {
        Mfn mfn = GuestModes.IsPv(d.Mode) ? new Mfn(frame) : d.P2m.Lookup(new Gfn(frame));
        if (!mfn.IsValid || d.Hv.Memory.OwnerOf(mfn) != d.Id) return null;
        return d.Hv.Memory.Map(mfn);
    }
}

using XenLite.Hv.Abi;

namespace XenLite.Hv.Common.Domctl;

/// <summary>
/// Xen's domid_alloc for createdomain: an explicit id must be free; DOMID_ANY searches from the
/// id after the last one handed out, wrapping to 1 (0 is never handed out this way); anything
/// else is refused. XenLite only has <see cref="Hypervisor.MaxDomains"/> ids, so an explicit id
/// at or above it counts as taken.
/// </summary>
public sealed class DomidAllocator
{
    public const uint Any = 0x7FF5;  // DOMID_ANY
    uint _last;

    /// <returns>The id to use, or DOMID_INVALID.</returns>
    public uint Allocate(Hypervisor hv, uint requested)
    {
        if (requested >= DomainIds.FirstReserved && requested != Any) return DomainIds.Invalid;
        if (requested != Any)
            return requested < Hypervisor.MaxDomains && hv.Lookup(requested) == null ? requested : DomainIds.Invalid;
        for (uint id = _last + 1; id < Hypervisor.MaxDomains; id++)
            if (hv.Lookup(id) == null) return _last = id;
        for (uint id = 1; id <= _last && id < Hypervisor.MaxDomains; id++)
            if (hv.Lookup(id) == null) return _last = id;
        return DomainIds.Invalid;
    }
}

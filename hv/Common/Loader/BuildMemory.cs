using XenLite.Hv.Common.Memory;

namespace XenLite.Hv.Common.Loader;

/// <summary>
/// The domain builder's access to a domain's RAM, before the domain runs: guest-physical
/// addresses translated through the p2m to frames the domain owns. Not a door for guests
/// (that is GuestMemory); the builder checks whole ranges with <see cref="IsRam"/> first.
/// </summary>
public static unsafe class BuildMemory
{
    /// <summary>True when every byte of [gpa, gpa + length) is RAM of <paramref name="d"/>.</summary>
    public static bool IsRam(Domain d, ulong gpa, ulong length)
    {
        if (length == 0) return true;
        ulong last = gpa + length - 1;
        if (last < gpa || (last >> Page.Shift) >= d.P2m.Size) return false;
        for (ulong gfn = gpa >> Page.Shift; gfn <= last >> Page.Shift; gfn++)
            if (HostPage(d, gfn) == null) return false;
        return true;
    }

    public static bool Copy(Domain d, ulong gpa, byte* src, ulong length) => Walk(d, gpa, src, length);

    public static bool Zero(Domain d, ulong gpa, ulong length) => Walk(d, gpa, null, length);

    /// <summary>Hypervisor address of a guest frame the domain owns; null otherwise.</summary>
    public static byte* HostPage(Domain d, ulong gfn)
    {
        Mfn mfn = d.P2m.Lookup(new Gfn(gfn));
        if (!mfn.IsValid || d.Hv.Memory.OwnerOf(mfn) != d.Id) return null;
        return d.Hv.Memory.Map(mfn);
    }

    // Copies from src, or zeroes when src is null, page by page.
    static bool Walk(Domain d, ulong gpa, byte* src, ulong length)
    {
        if (!IsRam(d, gpa, length)) return false;
        while (length != 0)
        {
            byte* dst = HostPage(d, gpa >> Page.Shift) + (gpa & Page.Mask);
            ulong chunk = Page.Size - (gpa & Page.Mask);
            if (chunk > length) chunk = length;
            for (ulong i = 0; i < chunk; i++) dst[i] = src == null ? (byte)0 : src[i];
            if (src != null) src += chunk;
            gpa += chunk;
            length -= chunk;
        }
        return true;
    }
}

using XenLite.Hv.Common.Memory;

namespace XenLite.Hv.Arch.X86;

/// <summary>
/// The initial virtual address space of a PV domain, as Xen's dom0_construct_pv lays it out (and
/// xen.h's start_info comment promises): from VIRT_BASE, the kernel, the initrd, the
/// phys-to-machine list (8 bytes a page, 4 for a 32-bit "compat" guest), start_info, the
/// bootstrap page tables, one page of stack, then padding to a 4 MiB boundary with at least
/// 512 KiB after the stack. Every part is page aligned. Pseudo-physical frame n is mapped at
/// <see cref="VStart"/> + n pages. The tables are 4-level (L4 first) for pv64 and PAE for pv32
/// (the L3 first, then all four L2s, as Xen counts them, then the L1s).
/// </summary>
public struct PvLayout
{
    /// <summary>Room xen.h promises after the last bootstrap element.</summary>
    public const ulong MinPadding = 512UL << 10;
    const int L4Shift = 39, L3Shift = 30, L2Shift = 21;
    const ulong Align4M = 1UL << 22;

    public ulong VStart, VEnd;
    public ulong KernStart, KernEnd;
    public ulong InitrdStart, InitrdEnd;
    public ulong PhysmapStart, PhysmapEnd;
    public ulong StartInfoStart;
    public ulong PtStart, PtFrames;
    public ulong StackStart, StackEnd;
    /// <summary>A 32-bit (compat) guest: 4-byte mfn_list entries and PAE tables.</summary>
    public bool Compat;

    /// <summary>Pages from VStart to VEnd: all of them must be the domain's first pseudo-physical frames.</summary>
    public ulong Pages => (VEnd - VStart) >> Page.Shift;

    /// <summary>Frame number (pseudo-physical) of a virtual address inside the area.</summary>
    public ulong PfnOf(ulong va) => (va - VStart) >> Page.Shift;

    /// <summary>
    /// False when the area would not fit in <paramref name="nrPages"/> pages or would wrap the
    /// address space. <paramref name="vStart"/> is page aligned and at most <paramref name="kernStart"/>,
    /// which is at most <paramref name="kernEnd"/> (the caller checked).
    /// </summary>
    public static bool Plan(ulong vStart, ulong kernStart, ulong kernEnd, ulong initrdLength, ulong nrPages, bool compat, out PvLayout l)
    {
        l = default;
        ulong entry = compat ? 4UL : 8UL;
        if (nrPages == 0 || nrPages > (ulong.MaxValue >> (Page.Shift + 4))) return false;
        ulong room = nrPages << Page.Shift;
        // Bounded by the domain's RAM first, so nothing below can overflow before the final check.
        if (kernEnd - vStart > room || initrdLength > room) return false;
        ulong rel = RoundUp(kernEnd - vStart);
        l.VStart = vStart;
        l.KernStart = kernStart;
        l.KernEnd = kernEnd;
        ulong initrdStart = rel;
        rel = RoundUp(rel + initrdLength);
        ulong physmapStart = rel;
        rel = RoundUp(rel + nrPages * entry);
        ulong startInfo = rel;
        rel += Page.Size; // start_info and the dom0 console info fit in one page
        ulong ptStart = rel;
        // The stack, page tables and 4 MiB padding add at most room + 8 MiB + two pages more.
        if (rel > 4 * room || vStart > ulong.MaxValue - rel - 4 * room - (16UL << 20)) return false;

        ulong frames;
        ulong stackEnd, vEnd;
        for (frames = 2; ; frames++)
        {
            stackEnd = vStart + ptStart + (frames + 1) * Page.Size;
            vEnd = (stackEnd + Align4M - 1) & ~(Align4M - 1);
            if (vEnd - stackEnd < MinPadding) vEnd += Align4M;
            // pv64: the L4, the L3s, the L2s, the L1s. pv32: the one L3 (what L4 slot the area
            // spans), always four L2s, the L1s.
            ulong need = (compat ? 0UL : 1UL) + Spanned(vStart, vEnd, L4Shift) +
                (compat ? 4UL : Spanned(vStart, vEnd, L3Shift)) + Spanned(vStart, vEnd, L2Shift);
            if (need <= frames) break;
            if (frames > room >> Page.Shift) return false;
        }
        if (vEnd < vStart || vEnd - vStart > room) return false;

        l.InitrdStart = vStart + initrdStart;
        l.InitrdEnd = l.InitrdStart + initrdLength;
        l.PhysmapStart = vStart + physmapStart;
        l.PhysmapEnd = l.PhysmapStart + nrPages * entry;
        l.Compat = compat;
        l.StartInfoStart = vStart + startInfo;
        l.PtStart = vStart + ptStart;
        l.PtFrames = frames;
        l.StackStart = stackEnd - Page.Size;
        l.StackEnd = stackEnd;
        l.VEnd = vEnd;
        return true;
    }

    static ulong RoundUp(ulong a) => (a + Page.Mask) & ~Page.Mask;

    /// <summary>Xen's NR(lo, hi, shift): how many 2^shift-byte slots [lo, hi) touches, which is how many
    /// tables of the level below those slots are needed. Rounding the top up may wrap to 0 near the
    /// end of the address space; the difference is still right modulo 2^64, as in Xen.</summary>
    static ulong Spanned(ulong lo, ulong hi, int shift)
    {
        ulong mask = (1UL << shift) - 1;
        return (((hi + mask) & ~mask) - (lo & ~mask)) >> shift;
    }
}

using XenLite.Hv.Abi;

namespace XenLite.Hv.Common.Memory;

/// <summary>
/// Translates a PV guest's virtual address through its own page tables, which hold machine
/// frame numbers (PV guests see MFNs). 64-bit guests use 4 levels, 32-bit guests PAE.
/// Every table frame and the final frame must belong to the guest.
/// </summary>
public static unsafe class PvPageWalk
{
    const ulong Present = 1, Writable = 2, Large = 0x80;
    const ulong AddrMask = 0x000F_FFFF_FFFF_F000;

    // Xen reserves 0xFFFF800000000000–0xFFFF87FFFFFFFFFF of a 64-bit PV guest's space;
    // a 32-bit guest may not reach above its 4 GiB, of which Xen keeps the top (HYPERVISOR_COMPAT_VIRT_START).
    const ulong XenStart64 = 0xFFFF_8000_0000_0000, XenEnd64 = 0xFFFF_87FF_FFFF_FFFF;
    const ulong CompatXenStart = 0xF580_0000;

    public static bool RangeAllowed(GuestMode mode, ulong first, ulong last)
    {
        if (mode == GuestMode.Pv32) return last < CompatXenStart;
        if (!Canonical(first) || !Canonical(last)) return false;
        if ((first >> 47) != (last >> 47)) return false;
        return last < XenStart64 || first > XenEnd64;
    }

    static bool Canonical(ulong a) => (a >> 47) == 0 || (a >> 47) == 0x1FFFF;

    public static Mfn Translate(Vcpu v, Gva va, bool write)
    {
        Domain d = v.Domain;
        ulong table = v.Regs.PageTableBase & AddrMask;
        bool pae = v.Mode == GuestMode.Pv32;
        int levels = pae ? 3 : 4;
        for (int level = levels; level >= 1; level--)
        {
            int shift = 12 + 9 * (level - 1);
            // A PAE CR3 names a 32-byte aligned table of four entries, not necessarily at a page's start.
            ulong index = pae && level == 3 ? ((v.Regs.PageTableBase & 0xFE0) >> 3) + ((va.Value >> 30) & 3) : (va.Value >> shift) & 511;
            ulong entry;
            if (!ReadEntry(d, new Maddr(table), index, out entry)) return Mfn.Invalid;
            if ((entry & Present) == 0) return Mfn.Invalid;
            bool leafLevel = level == 1 || (level == 2 && (entry & Large) != 0);
            // PAE L3 entries carry no RW bit; elsewhere every level must allow the write.
            if (write && !(pae && level == 3) && (entry & Writable) == 0) return Mfn.Invalid;
            if (leafLevel)
            {
                ulong frameAddr = entry & AddrMask;
                if (level == 2) frameAddr = (frameAddr & ~((1UL << 21) - 1)) + (va.Value & ((1UL << 21) - 1) & ~Page.Mask);
                return new Maddr(frameAddr).Frame;
            }
            table = entry & AddrMask;
        }
        return Mfn.Invalid;
    }

    static bool ReadEntry(Domain d, Maddr table, ulong index, out ulong entry)
    {
        entry = 0;
        Mfn mfn = table.Frame;
        if (d.Hv.Memory.OwnerOf(mfn) != d.Id) return false;
        byte* page = d.Hv.Memory.Map(mfn);
        if (page == null) return false;
        entry = ((ulong*)page)[index];
        return true;
    }
}

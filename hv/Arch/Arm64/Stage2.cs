using XenLite.Hv.Common.Memory;

namespace XenLite.Hv.Arch.Arm64;

/// <summary>
/// Stage-2 translation tables: 4 KiB granule, 32-bit IPA space (VTCR_EL2.T0SZ = 32) walked from
/// level 1, so three levels of 9 bits cover the 4 GiB Xen's guest map (and our p2m) uses.
/// Table frames belong to DOMID_XEN. Leaves are pages: RAM as Normal write-back, devices as
/// Device-nGnRE and never executable.
/// </summary>
public static unsafe class Stage2
{
    public const ulong Valid = 3;                       // table (levels 1–2) or page (level 3)
    const ulong Af = 1UL << 10, ShInner = 3UL << 8, ReadWrite = 3UL << 6, ReadOnly = 1UL << 6, Xn = 1UL << 54;
    public const ulong NormalRw = Valid | Af | ShInner | ReadWrite | (0xFUL << 2);
    public const ulong NormalRo = Valid | Af | ShInner | ReadOnly | (0xFUL << 2);
    public const ulong DeviceRw = Valid | Af | ReadWrite | (0x1UL << 2) | Xn;
    const ulong AddrMask = 0x0000_FFFF_FFFF_F000;
    /// <summary>IPA bits: 12 + 3×9 = 39 walkable, limited to 32 by T0SZ.</summary>
    public const int IpaBits = 32;

    /// <summary>VTCR_EL2: T0SZ 32, SL0 = level 1, WBWA inner-shareable walks, 4 KiB granule, PS = the CPU's PA range (≤ 48 bits).</summary>
    public static ulong Vtcr(uint paRange) => 0x8000_0000UL | ((ulong)(paRange > 5 ? 5 : paRange) << 16) | 0x3560;

    public static Mfn NewRoot(MachineMemory mem) => mem.Allocate(Arm64Host.FrameOwner);

    /// <summary>IPA page → machine frame with the given leaf attributes; false when out of memory or beyond 4 GiB.</summary>
    public static bool Map(MachineMemory mem, Mfn root, ulong ipaFrame, ulong maddrFrame, ulong attributes)
    {
        ulong* leaf = Entry(mem, root, ipaFrame, true);
        if (leaf == null) return false;
        *leaf = (maddrFrame << 12) | attributes;
        return true;
    }

    /// <summary>Maps a device range [ipa, ipa+size) to [maddr, maddr+size) page by page.</summary>
    public static bool MapDevice(MachineMemory mem, Mfn root, ulong ipa, ulong maddr, ulong size)
    {
        for (ulong off = 0; off < size; off += Page.Size)
            if (!Map(mem, root, (ipa + off) >> 12, (maddr + off) >> 12, DeviceRw)) return false;
        return true;
    }

    public static void Unmap(MachineMemory mem, Mfn root, ulong ipaFrame)
    {
        ulong* leaf = Entry(mem, root, ipaFrame, false);
        if (leaf != null) *leaf = 0;
    }

    /// <summary>The leaf descriptor for an IPA page, 0 when unmapped (for tests and diagnostics).</summary>
    public static ulong Lookup(MachineMemory mem, Mfn root, ulong ipaFrame)
    {
        ulong* leaf = Entry(mem, root, ipaFrame, false);
        return leaf == null ? 0 : *leaf;
    }

    public static void Free(MachineMemory mem, Mfn root) => FreeTable(mem, root, 1);

    static void FreeTable(MachineMemory mem, Mfn table, int level)
    {
        ulong* t = (ulong*)mem.Map(table);
        if (t == null || mem.OwnerOf(table) != Arm64Host.FrameOwner) return;
        if (level < 3)
            for (int i = 0; i < 512; i++)
                if ((t[i] & 3) == Valid) FreeTable(mem, new Maddr(t[i] & AddrMask).Frame, level + 1);
        mem.Free(table);
    }

    static ulong* Entry(MachineMemory mem, Mfn root, ulong ipaFrame, bool create)
    {
        if ((ipaFrame >> (IpaBits - 12)) != 0) return null;
        ulong* table = (ulong*)mem.Map(root);
        for (int level = 1; level < 3 && table != null; level++)
        {
            ulong* e = table + ((ipaFrame >> (9 * (3 - level))) & 511);
            if ((*e & 3) != Valid)
            {
                if (!create) return null;
                Mfn fresh = mem.Allocate(Arm64Host.FrameOwner);
                if (!fresh.IsValid) return null;
                *e = fresh.ToMaddr().Value | Valid;
            }
            table = (ulong*)mem.Map(new Maddr(*e & AddrMask).Frame);
        }
        return table == null ? null : table + (ipaFrame & 511);
    }
}

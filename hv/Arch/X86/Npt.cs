using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;

namespace XenLite.Hv.Arch.X86;

/// <summary>
/// Nested page tables: AMD64 4-level tables of 4 KiB pages translating a domain's guest-physical
/// addresses to machine addresses. Table frames belong to DOMID_XEN, so no guest can reach them.
/// Every entry has U set: nested walks are user accesses (APM 15.25.5), and QEMU's TCG insists.
/// The same walk builds Intel EPT tables (VMX) with EPT's entry bits.
/// </summary>
public static unsafe class Npt
{
    const ulong Present = 1, Writable = 2, User = 4, Accessed = 0x20, Dirty = 0x40;
    const ulong TableFlags = Present | Writable | User | Accessed;
    const ulong LeafFlags = Present | Writable | User | Accessed | Dirty;
    // EPT (Intel SDM vol. 3, 29.3.2): read/write/execute in bits 0-2 (bit 0 doubles as "present"),
    // leaves write-back (memory type 6 in bits 3-5).
    const ulong EptRead = 1, EptWrite = 2, EptExecute = 4, EptWriteBack = 6 << 3;
    public const ulong EptTableFlags = EptRead | EptWrite | EptExecute;
    public const ulong EptLeafFlags = EptRead | EptWrite | EptExecute | EptWriteBack;
    const ulong AddrMask = 0x000F_FFFF_FFFF_F000;
    /// <summary>Four levels of 9 bits above the page offset: 48-bit guest-physical addresses.</summary>
    public const int GfnBits = 36;

    public static Mfn NewRoot(MachineMemory mem) => mem.Allocate(SvmHost.FrameOwner);

    /// <summary>Builds the translations for every frame the domain's P2m maps.</summary>
    public static bool Build(MachineMemory mem, Mfn root, P2m p2m, bool ept = false)
    {
        for (ulong g = 0; g < p2m.Size; g++)
        {
            Mfn mfn = p2m.Lookup(new Gfn(g));
            if (mfn.IsValid && !Map(mem, root, new Gfn(g), mfn, p2m.TypeOf(new Gfn(g)) == P2mType.GrantMapRo, ept)) return false;
        }
        return true;
    }

    /// <summary>A PV container's tables: every frame in the domain's p2m, and its shared_info, at its own machine frame number.</summary>
    public static bool BuildIdentity(MachineMemory mem, Mfn root, Domain d)
    {
        P2m p2m = d.P2m;
        for (ulong g = 0; g < p2m.Size; g++)
        {
            Mfn mfn = p2m.Lookup(new Gfn(g));
            if (mfn.IsValid && !Map(mem, root, new Gfn(mfn.Value), mfn, p2m.TypeOf(new Gfn(g)) == P2mType.GrantMapRo)) return false;
        }
        return d.SharedInfo == null || Map(mem, root, new Gfn(d.SharedInfo.Frame.Value), d.SharedInfo.Frame);
    }

    /// <summary>gfn → mfn, allocating intermediate tables; false when out of memory or out of range.
    /// A read-only leaf (a read-only grant mapping) makes guest writes nested-page-fault
    /// (an EPT violation with <paramref name="ept"/>: the same walk with EPT entry bits).</summary>
    public static bool Map(MachineMemory mem, Mfn root, Gfn gfn, Mfn mfn, bool readOnly = false, bool ept = false)
    {
        ulong* leaf = Entry(mem, root, gfn, true, ept ? EptTableFlags : TableFlags);
        if (leaf == null) return false;
        *leaf = LeafEntry(mfn, readOnly, ept);
        return true;
    }

    /// <summary>The level-1 entry mapping <paramref name="mfn"/>, in nested-paging or EPT format.</summary>
    public static ulong LeafEntry(Mfn mfn, bool readOnly, bool ept)
    {
        ulong flags = ept ? EptLeafFlags : LeafFlags;
        ulong write = ept ? EptWrite : Writable;
        return mfn.ToMaddr().Value | (readOnly ? flags & ~write : flags);
    }

    /// <summary>The raw level-1 entry for gfn (0 when absent): what a test compares with <see cref="LeafEntry"/>.</summary>
    public static ulong LeafOf(MachineMemory mem, Mfn root, Gfn gfn)
    {
        ulong* leaf = Entry(mem, root, gfn, false, 0);
        return leaf == null ? 0 : *leaf;
    }

    /// <summary>
    /// The EPT pointer for a PML4 at <paramref name="root"/> (SDM 25.6.11): write-back paging
    /// structures (type 6, bits 0-2), a 4-level walk (3 in bits 3-5), no accessed/dirty flags.
    /// </summary>
    public static ulong EptPointer(Mfn root) => root.ToMaddr().Value | 6 | (3 << 3);

    /// <summary>Whether gfn has a translation now (so a change must flush the TLB).</summary>
    public static bool IsMapped(MachineMemory mem, Mfn root, Gfn gfn)
    {
        ulong* leaf = Entry(mem, root, gfn, false, 0);
        return leaf != null && (*leaf & Present) != 0;
    }

    /// <summary>Removes gfn's translation; the caller flushes the ASID's TLB before the guest runs again.</summary>
    public static void Unmap(MachineMemory mem, Mfn root, Gfn gfn)
    {
        ulong* leaf = Entry(mem, root, gfn, false, 0);
        if (leaf != null) *leaf = 0;
    }

    /// <summary>Gives every table frame back, root included.</summary>
    public static void Free(MachineMemory mem, Mfn root) => FreeTable(mem, root, 4);

    static void FreeTable(MachineMemory mem, Mfn table, int level)
    {
        ulong* t = (ulong*)mem.Map(table);
        if (t == null || mem.OwnerOf(table) != SvmHost.FrameOwner) return;
        if (level > 1)
        {
            for (int i = 0; i < 512; i++)
                if ((t[i] & Present) != 0) FreeTable(mem, new Maddr(t[i] & AddrMask).Frame, level - 1);
        }
        mem.Free(table);
    }

    /// <summary>The level-1 entry for gfn, or null (absent and not created, or gfn beyond 48 bits).</summary>
    static ulong* Entry(MachineMemory mem, Mfn root, Gfn gfn, bool create, ulong tableFlags)
    {
        if ((gfn.Value >> GfnBits) != 0) return null;
        ulong* table = (ulong*)mem.Map(root);
        for (int level = 4; level > 1 && table != null; level--)
        {
            ulong* e = table + ((gfn.Value >> (9 * (level - 1))) & 511);
            if ((*e & Present) == 0)
            {
                if (!create) return null;
                Mfn fresh = mem.Allocate(SvmHost.FrameOwner);
                if (!fresh.IsValid) return null;
                *e = fresh.ToMaddr().Value | tableFlags;
            }
            table = (ulong*)mem.Map(new Maddr(*e & AddrMask).Frame);
        }
        return table == null ? null : table + (gfn.Value & 511);
    }
}

using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;

namespace XenLite.Tests.Harness;

/// <summary>
/// Builds page tables for a simulated PV guest, as a PV kernel would: its RAM mapped at
/// <see cref="VirtBase"/> (64-bit) or at 0 (32-bit PAE), entries holding machine frames.
/// The tables live in the guest's last pages, which stay outside the mapped range.
/// </summary>
public static unsafe class PvPageTables
{
    public const ulong VirtBase64 = 0xFFFF_8880_0000_0000;
    public static ulong VirtBase => VirtBase64;

    const ulong P = 1, RW = 2, U = 4;

    public static ulong VirtBaseFor(GuestMode mode) => mode == GuestMode.Pv32 ? 0 : VirtBase64;

    /// <summary>Maps guest frames 0..(TotPages-reserved) read-write; the table frames themselves are not mapped.</summary>
    public static void Build(TestMachine m, Domain d)
    {
        ulong pages = d.TotPages;
        // Reserve the top frames for tables: up to 8 L1 tables cover 16 MiB, plus L2, L3, L4.
        ulong l1Count = (pages + 511) / 512;
        ulong reserved = l1Count + 3;
        ulong mapped = pages - reserved;
        ulong next = pages - reserved;
        ulong Take() => d.P2m.Lookup(new Gfn(next++)).Value;

        ulong l4 = Take(), l3 = Take(), l2 = Take();
        var l1s = new ulong[l1Count];
        for (ulong i = 0; i < l1Count; i++) l1s[i] = Take();

        ulong baseVa = VirtBaseFor(d.Mode);
        bool pae = d.Mode == GuestMode.Pv32;
        ulong* e;
        if (!pae)
        {
            e = (ulong*)m.Hv.Memory.Map(new Mfn(l4));
            e[(baseVa >> 39) & 511] = (l3 << 12) | P | RW | U;
        }
        e = (ulong*)m.Hv.Memory.Map(new Mfn(l3));
        e[pae ? (baseVa >> 30) & 3 : (baseVa >> 30) & 511] = (l2 << 12) | P | (pae ? 0 : RW | U);
        e = (ulong*)m.Hv.Memory.Map(new Mfn(l2));
        for (ulong i = 0; i < l1Count; i++) e[((baseVa >> 21) & 511) + i] = (l1s[i] << 12) | P | RW | U;
        for (ulong g = 0; g < mapped; g++)
        {
            ulong* l1 = (ulong*)m.Hv.Memory.Map(new Mfn(l1s[g / 512]));
            l1[g % 512] = (d.P2m.Lookup(new Gfn(g)).Value << 12) | P | RW | U;
        }
        foreach (var v in d.Vcpus) v.Regs.PageTableBase = (pae ? l3 : l4) << 12;
    }

    /// <summary>Clears the RW bit of the L1 entry mapping guest frame <paramref name="gfn"/>.</summary>
    public static void MakeReadOnly(TestMachine m, Domain d, ulong gfn)
    {
        ulong l1Count = (d.TotPages + 511) / 512;
        ulong firstL1 = d.TotPages - l1Count;
        ulong* l1 = (ulong*)m.Hv.Memory.Map(d.P2m.Lookup(new Gfn(firstL1 + gfn / 512)));
        l1[gfn % 512] &= ~RW;
    }
}

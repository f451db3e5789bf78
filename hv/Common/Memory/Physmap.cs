using XenLite.Hv.Abi;

namespace XenLite.Hv.Common.Memory;

/// <summary>
/// Changes to a domain's physical map that keep the machine side in step: the frame's M2P
/// entry, its references, and the rule that a domain's p2m maps only its own frames, frames
/// Xen shares with it, and foreign frames it was granted or (privileged) mapped.
/// </summary>
public static class Physmap
{
    /// <summary>Xen's paging_mode_translate: the domain's p2m is maintained by Xen (HVM, PVH, arm).</summary>
    public static bool IsTranslated(Domain d) => !GuestModes.IsPv(d.Mode);

    /// <summary>
    /// What the domain's frame number names: its p2m entry when translated; for PV, whose
    /// frame numbers are machine frames, the frame itself when it is RAM.
    /// </summary>
    public static Mfn Resolve(Domain d, ulong gfn, out P2mType type)
    {
        if (IsTranslated(d))
        {
            type = d.P2m.TypeOf(new Gfn(gfn));
            return d.P2m.Lookup(new Gfn(gfn));
        }
        var mfn = new Mfn(gfn);
        type = d.Hv.Memory.Contains(mfn) ? P2mType.RamRw : P2mType.Invalid;
        return type == P2mType.Invalid ? Mfn.Invalid : mfn;
    }

    /// <summary>
    /// Xen's p2m_add_page / guest_physmap_add_page for one frame of the domain's own (or
    /// Xen-shared) memory: RAM already at <paramref name="gfn"/> is unhooked (it stays the
    /// domain's), and the frame leaves any other place it had. A grant or foreign mapping at
    /// <paramref name="gfn"/> may not be replaced this way: -EPERM.
    /// </summary>
    public static int AddOwn(Domain d, Gfn gfn, Mfn mfn)
    {
        MachineMemory mem = d.Hv.Memory;
        P2mType old = d.P2m.TypeOf(gfn);
        if (IsSpecial(old)) return -Errno.EPERM;
        if (gfn.Value >= P2m.MaxGfns) return -Errno.EINVAL;
        if (old == P2mType.RamRw)
        {
            Mfn prev = d.P2m.Lookup(gfn);
            if (prev.Value != mfn.Value && mem.GfnOf(prev) == gfn.Value) mem.SetGfn(prev, MachineMemory.NoGfn);
        }
        ulong oldGfn = mem.GfnOf(mfn);
        if (oldGfn != MachineMemory.NoGfn && oldGfn != gfn.Value && d.P2m.Lookup(new Gfn(oldGfn)).Value == mfn.Value)
            d.P2m.Clear(new Gfn(oldGfn));
        d.P2m.Set(gfn, mfn, P2mType.RamRw);
        mem.SetGfn(mfn, gfn.Value);
        return 0;
    }

    /// <summary>Maps another domain's frame at <paramref name="gfn"/> (grant map or foreign map); the caller holds the frame's reference.</summary>
    public static int AddForeign(Domain d, Gfn gfn, Mfn mfn, P2mType type)
    {
        P2mType old = d.P2m.TypeOf(gfn);
        if (IsSpecial(old)) return -Errno.EPERM;
        if (gfn.Value >= P2m.MaxGfns) return -Errno.EINVAL;
        if (old == P2mType.RamRw)
        {
            Mfn prev = d.P2m.Lookup(gfn);
            if (d.Hv.Memory.GfnOf(prev) == gfn.Value) d.Hv.Memory.SetGfn(prev, MachineMemory.NoGfn);
        }
        d.P2m.Set(gfn, mfn, type);
        return 0;
    }

    /// <summary>Xen's guest_physmap_remove_page: the entry goes; the frame keeps its references.</summary>
    public static void Remove(Domain d, Gfn gfn)
    {
        Mfn mfn = d.P2m.Lookup(gfn);
        if (mfn.IsValid && d.P2m.TypeOf(gfn) == P2mType.RamRw && d.Hv.Memory.GfnOf(mfn) == gfn.Value)
            d.Hv.Memory.SetGfn(mfn, MachineMemory.NoGfn);
        d.P2m.Clear(gfn);
    }

    /// <summary>Where a PV domain's machine frame sits in its pseudo-physical map.</summary>
    public static void RemoveMfn(Domain d, Mfn mfn)
    {
        ulong gfn = d.Hv.Memory.GfnOf(mfn);
        if (gfn != MachineMemory.NoGfn && d.P2m.Lookup(new Gfn(gfn)).Value == mfn.Value) d.P2m.Clear(new Gfn(gfn));
        d.Hv.Memory.SetGfn(mfn, MachineMemory.NoGfn);
    }

    /// <summary>
    /// Xen's guest_remove_page: gives a page of the domain's RAM back. -ENOENT for an empty
    /// slot, -EINVAL for a bad frame, -ENXIO for a frame that is not the domain's.
    /// </summary>
    public static int GuestRemovePage(Domain d, ulong gfn)
    {
        Mfn mfn = Resolve(d, gfn, out P2mType type);
        if (type == P2mType.Invalid) return IsTranslated(d) ? -Errno.ENOENT : -Errno.EINVAL;
        if (!mfn.IsValid || !d.Hv.Memory.Contains(mfn)) return -Errno.EINVAL;
        if (!DomainPages.Get(d, mfn)) return -Errno.ENXIO;
        if (IsTranslated(d)) Remove(d, new Gfn(gfn));
        else RemoveMfn(d, mfn);
        // Xen-shared frames (grant table, shared info) are only unhooked; RAM loses its allocation reference.
        if (d.Hv.Memory.KindOf(mfn) == FrameKind.DomHeap) DomainPages.Put(d.Hv, mfn);
        DomainPages.Put(d.Hv, mfn);
        return 0;
    }

    static bool IsSpecial(P2mType t) => t == P2mType.GrantMapRw || t == P2mType.GrantMapRo || t == P2mType.Foreign;
}

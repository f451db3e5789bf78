using XenLite.Hv.Abi;
using XenLite.Hv.Common.Memory;

namespace XenLite.Hv.Common.Grants;

/// <summary>Xen's active_grant_entry: how a grant is in use right now.</summary>
public struct ActiveGrant
{
    /// <summary>Four 8-bit use counters: host write, host read, device write, device read (GNTPIN_*).</summary>
    public uint Pin;
    /// <summary>The domain using the grant.</summary>
    public ushort Domid;
    public ulong Mfn;
    public ushort Start;
    public ushort Length;
    public bool SubPage;
}

/// <summary>Xen's grant_mapping: one of this domain's mappings of another domain's grant; the index is the handle.</summary>
public struct MapTrackEntry
{
    public uint Ref;
    /// <summary>GNTMAP_* still in force; 0 = free.</summary>
    public uint Flags;
    public ushort Domid;
    public bool Reserved;
    /// <summary>Where a translated mapper put the frame (our bookkeeping, used when the granter dies).</summary>
    public ulong HostGfn;
}

/// <summary>
/// A domain's grant table: shared frames (v1 or v2 entries), v2 status frames, the active
/// entries, and the maptrack of mappings this domain holds of others' grants. Frames are Xen
/// pages shared with the domain: owned by it, outside its tot_pages.
/// </summary>
public sealed unsafe class GrantTable
{
    /// <summary>Xen's defaults: gnttab_max_frames=64, gnttab_max_maptrack_frames=1024, INITIAL_NR_GRANT_FRAMES=1.</summary>
    public const uint DefaultMaxFrames = 64;
    public const uint DefaultMaxMaptrackFrames = 1024;
    public const uint InitialFrames = 1;
    /// <summary>PAGE_SIZE / sizeof(struct grant_mapping).</summary>
    public const uint MaptrackPerPage = 256;
    public const uint NoHandle = uint.MaxValue;

    public const uint PinHostWrite = 1, PinHostRead = 1 << 8, PinDevWrite = 1 << 16, PinDevRead = 1 << 24;
    public const uint PinHostWriteMask = 0xFF, PinHostReadMask = 0xFF00, PinDevWriteMask = 0xFF0000, PinDevReadMask = 0xFF000000;
    public const uint PinWriteMask = PinHostWriteMask | PinDevWriteMask;

    public readonly Domain Domain;
    public uint Version = 1;
    public uint MaxVersion = 2;
    public uint MaxFrames = DefaultMaxFrames;
    public uint MaxMaptrackFrames = DefaultMaxMaptrackFrames;
    public uint NrFrames;
    public uint NrStatusFrames;

    readonly ulong[] _shared = new ulong[DefaultMaxFrames];
    readonly ulong[] _status = new ulong[StatusFramesFor(DefaultMaxFrames)];
    ActiveGrant[] _active = new ActiveGrant[0];
    MapTrackEntry[] _maptrack = new MapTrackEntry[0];

    GrantTable(Domain d) => Domain = d;

    /// <summary>A table with its initial frame; null when RAM is exhausted.</summary>
    public static GrantTable Create(Domain d)
    {
        var t = new GrantTable(d);
        return t.Grow(InitialFrames) == 0 ? t : null;
    }

    MachineMemory Mem => Domain.Hv.Memory;

    /// <summary>grant_to_status_frames: v2 status frames needed for this many shared frames.</summary>
    public static uint StatusFramesFor(uint grantFrames) => (grantFrames * Gnttab.V2PerPage + Gnttab.StatusPerPage - 1) / Gnttab.StatusPerPage;

    public uint NrEntries => NrFrames * (Version == 1 ? Gnttab.V1PerPage : Gnttab.V2PerPage);

    public Mfn SharedFrame(uint i) => new(_shared[i]);
    public Mfn StatusFrame(uint i) => new(_status[i]);

    public GrantEntryV1* V1(uint r) => (GrantEntryV1*)Mem.Map(SharedFrame(r / Gnttab.V1PerPage)) + r % Gnttab.V1PerPage;
    public GrantEntryV2* V2(uint r) => (GrantEntryV2*)Mem.Map(SharedFrame(r / Gnttab.V2PerPage)) + r % Gnttab.V2PerPage;

    /// <summary>The entry header's flags (both versions start with flags, domid).</summary>
    public ushort* HeaderFlags(uint r) => Version == 1 ? &V1(r)->Flags : &V2(r)->Flags;
    public ushort HeaderDomid(uint r) => Version == 1 ? V1(r)->DomId : V2(r)->DomId;

    /// <summary>Where GTF_reading/GTF_writing live: the header in v1, the status frame in v2.</summary>
    public ushort* Status(uint r) => Version == 1 ? &V1(r)->Flags : (ushort*)Mem.Map(StatusFrame(r / Gnttab.StatusPerPage)) + r % Gnttab.StatusPerPage;

    /// <summary>The frame a full-page (or transfer) grant names.</summary>
    public ulong EntryFrame(uint r) => Version == 1 ? V1(r)->Frame : V2(r)->Frame;

    public ref ActiveGrant Active(uint r) => ref _active[r];

    /// <summary>Xen's gnttab_grow_table: at least the initial frames, at most MaxFrames; -ENOMEM when RAM runs out.</summary>
    public int Grow(uint req)
    {
        if (req < InitialFrames) req = InitialFrames;
        if (req > MaxFrames) return -Errno.EINVAL;
        if ((ulong)_active.Length < (ulong)req * Gnttab.V1PerPage)
        {
            // Heap (never freed in the image): grow-only up to MaxFrames, fixed at domain creation.
            var a = new ActiveGrant[req * Gnttab.V1PerPage];
            for (int i = 0; i < _active.Length; i++) a[i] = _active[i];
            _active = a;
        }
        uint had = NrFrames;
        for (uint i = had; i < req; i++)
        {
            Mfn f = Mem.AllocateShared(Domain.Id);
            if (!f.IsValid)
            {
                for (uint k = had; k < i; k++) Mem.Free(SharedFrame(k));
                return -Errno.ENOMEM;
            }
            _shared[i] = f.Value;
        }
        if (Version > 1 && PopulateStatus(req) != 0)
        {
            for (uint k = had; k < req; k++) Mem.Free(SharedFrame(k));
            return -Errno.ENOMEM;
        }
        if (req > NrFrames) NrFrames = req;
        return 0;
    }

    /// <summary>Status frames for <paramref name="grantFrames"/> shared frames (v2).</summary>
    public int PopulateStatus(uint grantFrames)
    {
        uint want = StatusFramesFor(grantFrames);
        for (uint i = NrStatusFrames; i < want; i++)
        {
            Mfn f = Mem.AllocateShared(Domain.Id);
            if (!f.IsValid) return -Errno.ENOMEM;
            _status[i] = f.Value;
            NrStatusFrames = i + 1;
        }
        return 0;
    }

    /// <summary>Xen's gnttab_unpopulate_status_frames (switching back to v1): -EBUSY while anyone else holds one.</summary>
    public int UnpopulateStatus()
    {
        for (uint i = 0; i < NrStatusFrames; i++)
            if (Mem.RefCount(StatusFrame(i)) > 1) return -Errno.EBUSY;
        for (uint i = 0; i < NrStatusFrames; i++)
        {
            Mfn f = StatusFrame(i);
            ulong gfn = Mem.GfnOf(f);
            if (gfn != MachineMemory.NoGfn && Domain.P2m.Lookup(new Gfn(gfn)).Value == f.Value) Physmap.Remove(Domain, new Gfn(gfn));
            Mem.Free(f);
        }
        NrStatusFrames = 0;
        return 0;
    }

    /// <summary>The frame a guest sees for shared (or status) frame i: its gfn when translated (INVALID_GFN if unmapped), else the MFN.</summary>
    public ulong GuestFrameOf(Mfn f) => Physmap.IsTranslated(Domain) ? Mem.GfnOf(f) : f.Value;

    // ---- maptrack ----

    public uint MaptrackLimit => (uint)_maptrack.Length;

    public ref MapTrackEntry Map(uint handle) => ref _maptrack[handle];

    /// <summary>Xen's get_maptrack_handle: a free handle, growing a page at a time; NoHandle at the limit.</summary>
    public uint GetHandle()
    {
        for (uint h = 0; h < (uint)_maptrack.Length; h++)
        {
            if (_maptrack[h].Flags != 0 || _maptrack[h].Reserved) continue;
            _maptrack[h].Reserved = true;
            return h;
        }
        if ((uint)_maptrack.Length / MaptrackPerPage >= MaxMaptrackFrames) return NoHandle;
        uint old = (uint)_maptrack.Length;
        // Heap (never freed in the image): grows a page at a time up to MaxMaptrackFrames; the old array is leaked, O(MaxMaptrackFrames^2) bytes at worst.
        var m = new MapTrackEntry[old + MaptrackPerPage];
        for (uint i = 0; i < old; i++) m[i] = _maptrack[i];
        _maptrack = m;
        _maptrack[old].Reserved = true;
        return old;
    }

    public void PutHandle(uint handle)
    {
        _maptrack[handle] = default;
    }

    // ---- status protocol ----

    public static bool WouldOverflow(uint pin, uint incr)
    {
        for (int shift = 0; shift < 32; shift += 8)
            if (((incr >> shift) & 0xFF) != 0 && ((pin >> shift) & 0xFF) == 0xFF) return true;
        return false;
    }

    /// <summary>
    /// Xen's _set_status: checks the entry grants <paramref name="ldomid"/> access (mapping
    /// refuses sub-page and transitive grants) and marks it reading (and writing). GNTST_*.
    /// </summary>
    public short SetStatus(uint r, uint pin, bool readOnly, bool mapping, ushort ldomid)
    {
        ushort flags = *HeaderFlags(r);
        ushort mask = (ushort)(Gtf.TypeMask | (mapping ? Gtf.SubPage : 0));
        bool typeOk = (flags & mask) == Gtf.PermitAccess || (Version == 2 && !mapping && (flags & mask) == Gtf.Transitive);
        if (pin == 0 && (!typeOk || HeaderDomid(r) != ldomid)) return Gntst.GeneralError;
        if (!readOnly && (flags & Gtf.Readonly) != 0) return Gntst.GeneralError;
        ushort* status = Status(r);
        *status |= readOnly ? Gtf.Reading : (ushort)(Gtf.Reading | Gtf.Writing);
        return Gntst.Okay;
    }

    /// <summary>Xen's reduce_status_for_pin: drop reading/writing that no pin needs any more.</summary>
    public void ReduceStatusForPin(uint r, bool readOnly)
    {
        uint pin = _active[r].Pin;
        ushort clear = pin == 0 ? Gtf.Reading : (ushort)0;
        if (!readOnly && (pin & PinWriteMask) == 0) clear |= Gtf.Writing;
        if (clear != 0) *Status(r) &= (ushort)~clear;
    }
}

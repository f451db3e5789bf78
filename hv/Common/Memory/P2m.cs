namespace XenLite.Hv.Common.Memory;

/// <summary>What a p2m entry maps (a subset of Xen's p2m_type_t).</summary>
public enum P2mType : byte
{
    Invalid = 0,
    /// <summary>The domain's own RAM, or a Xen frame shared with it (grant table, shared info).</summary>
    RamRw = 1,
    /// <summary>Another domain's frame mapped through a grant (p2m_grant_map_rw / _ro).</summary>
    GrantMapRw = 2,
    GrantMapRo = 3,
    /// <summary>Another domain's frame mapped by a privileged domain (acquire_resource; p2m_map_foreign).</summary>
    Foreign = 4,
}

/// <summary>Told about every p2m change, so arch code can keep nested/stage-2 tables in step.</summary>
public abstract class P2mObserver
{
    /// <summary><paramref name="mfn"/> is Mfn.Invalid when the entry was removed.</summary>
    public abstract void Changed(Gfn gfn, Mfn mfn, P2mType type);

    /// <summary>
    /// The entry at <paramref name="gfn"/> is about to stop naming <paramref name="old"/> (replaced or
    /// cleared); <see cref="Changed"/> follows. Only observers keyed by machine frame (a PV domain's
    /// container, whose nested tables map each frame at its own number) need it.
    /// </summary>
    public virtual void Leaving(Gfn gfn, Mfn old) { }
}

/// <summary>
/// A domain's physical-to-machine map: guest frame → machine frame and type. It starts sized
/// for the domain's RAM and grows on demand up to <see cref="MaxGfns"/> (4 GiB of guest space).
/// </summary>
public sealed class P2m
{
    public const ulong MaxGfns = 1UL << 20;

    ulong[] _entries;
    P2mType[] _types;
    ulong _maxMapped;
    public P2mObserver Observer;

    public P2m(ulong maxFrames)
    {
        _entries = new ulong[maxFrames];
        _types = new P2mType[maxFrames];
        for (ulong i = 0; i < maxFrames; i++) _entries[i] = ulong.MaxValue;
    }

    /// <summary>How many guest frames the map covers now.</summary>
    public ulong Size => (ulong)_entries.Length;

    /// <summary>The highest guest frame ever mapped (Xen's max_mapped_pfn).</summary>
    public ulong MaxMappedGfn => _maxMapped;

    public Mfn Lookup(Gfn gfn) => gfn.Value < Size ? new Mfn(_entries[gfn.Value]) : Mfn.Invalid;

    public P2mType TypeOf(Gfn gfn) => gfn.Value < Size ? _types[gfn.Value] : P2mType.Invalid;

    /// <summary>Maps <paramref name="gfn"/> as the domain's own RAM.</summary>
    public bool Set(Gfn gfn, Mfn mfn) => Set(gfn, mfn, P2mType.RamRw);

    /// <summary>Sets an entry; false when <paramref name="gfn"/> is beyond what a p2m may hold.</summary>
    public bool Set(Gfn gfn, Mfn mfn, P2mType type)
    {
        if (gfn.Value >= MaxGfns) return false;
        if (gfn.Value >= Size) Grow(gfn.Value + 1);
        if (Observer != null && _entries[gfn.Value] != ulong.MaxValue && _entries[gfn.Value] != mfn.Value)
            Observer.Leaving(gfn, new Mfn(_entries[gfn.Value]));
        _entries[gfn.Value] = mfn.Value;
        _types[gfn.Value] = type;
        if (gfn.Value > _maxMapped) _maxMapped = gfn.Value;
        if (Observer != null) Observer.Changed(gfn, mfn, type);
        return true;
    }

    public void Clear(Gfn gfn)
    {
        if (gfn.Value >= Size) return;
        if (Observer != null && _entries[gfn.Value] != ulong.MaxValue) Observer.Leaving(gfn, new Mfn(_entries[gfn.Value]));
        _entries[gfn.Value] = ulong.MaxValue;
        _types[gfn.Value] = P2mType.Invalid;
        if (Observer != null) Observer.Changed(gfn, Mfn.Invalid, P2mType.Invalid);
    }

    void Grow(ulong needed)
    {
        ulong size = Size == 0 ? 64 : Size;
        while (size < needed) size *= 2;
        if (size > MaxGfns) size = MaxGfns;
        // Heap (never freed in the image): doubling, capped at MaxGfns; a domain's P2m only grows.
        var entries = new ulong[size];
        var types = new P2mType[size];
        for (ulong i = 0; i < size; i++) entries[i] = i < Size ? _entries[i] : ulong.MaxValue;
        for (ulong i = 0; i < Size; i++) types[i] = _types[i];
        _entries = entries;
        _types = types;
    }
}

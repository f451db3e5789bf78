namespace XenLite.Hv.Common.Memory;

/// <summary>What a frame is used for: hypervisor-internal (or shared by Xen with a guest,
/// Xen's xenheap pages: not counted in tot_pages) or domain heap (counted).</summary>
public enum FrameKind : byte
{
    Free = 0,
    Xen = 1,
    DomHeap = 2,
}

/// <summary>
/// Host RAM handed to the hypervisor as frames. Each frame has one owner, a kind, a
/// reference count (Xen's count_info: the allocation itself holds one), a writable-type
/// count and its guest frame in the owner's p2m (Xen's M2P). The image maps RAM 1:1; the
/// hosted build gives it a pinned block, so guest memory is plain bytes either way.
/// </summary>
public sealed unsafe class MachineMemory
{
    public const ushort OwnerFree = 0xFFFF;
    public const ulong NoGfn = ulong.MaxValue;

    readonly byte* _base;
    readonly ulong _firstFrame;
    readonly ushort[] _owner;
    readonly FrameKind[] _kind;
    readonly uint[] _count;
    readonly uint[] _typeCount;
    readonly ulong[] _gfn;
    ulong _hint;
    ulong _free;

    /// <summary>Pages promised to domains by XENMEM_claim_pages and not yet allocated (Xen's outstanding_claims).</summary>
    public ulong OutstandingClaims;

    /// <param name="hostBase">Where frame <paramref name="firstFrame"/> is addressable by the hypervisor.</param>
    public MachineMemory(byte* hostBase, ulong firstFrame, ulong frameCount)
    {
        _base = hostBase;
        _firstFrame = firstFrame;
        _owner = new ushort[frameCount];
        _kind = new FrameKind[frameCount];
        _count = new uint[frameCount];
        _typeCount = new uint[frameCount];
        _gfn = new ulong[frameCount];
        for (ulong i = 0; i < frameCount; i++)
        {
            _owner[i] = OwnerFree;
            _gfn[i] = NoGfn;
        }
        _free = frameCount;
    }

    public ulong FrameCount => (ulong)_owner.Length;
    public ulong FreeFrames => _free;
    public ulong FirstFrame => _firstFrame;
    /// <summary>Xen's max_page: one past the highest machine frame.</summary>
    public ulong MaxPage => _firstFrame + (ulong)_owner.Length;

    public bool Contains(Mfn mfn) => mfn.Value >= _firstFrame && mfn.Value - _firstFrame < (ulong)_owner.Length;

    public ushort OwnerOf(Mfn mfn) => Contains(mfn) ? _owner[mfn.Value - _firstFrame] : OwnerFree;
    public FrameKind KindOf(Mfn mfn) => Contains(mfn) ? _kind[mfn.Value - _firstFrame] : FrameKind.Free;
    public uint RefCount(Mfn mfn) => Contains(mfn) ? _count[mfn.Value - _firstFrame] : 0;
    public uint TypeCount(Mfn mfn) => Contains(mfn) ? _typeCount[mfn.Value - _firstFrame] : 0;

    /// <summary>The guest frame this frame sits at in its owner's p2m (M2P), or <see cref="NoGfn"/>.</summary>
    public ulong GfnOf(Mfn mfn) => Contains(mfn) ? _gfn[mfn.Value - _firstFrame] : NoGfn;

    public void SetGfn(Mfn mfn, ulong gfn)
    {
        if (Contains(mfn)) _gfn[mfn.Value - _firstFrame] = gfn;
    }

    /// <summary>Hypervisor pointer to a frame; null when the frame is not RAM we manage.</summary>
    public byte* Map(Mfn mfn) => Contains(mfn) ? _base + ((mfn.Value - _firstFrame) << Page.Shift) : null;

    /// <summary>Takes one free frame for <paramref name="owner"/> as a hypervisor frame (not counted in any tot_pages), zeroed; Mfn.Invalid when RAM is exhausted.</summary>
    public Mfn Allocate(ushort owner) => Take(owner, FrameKind.Xen, ulong.MaxValue, 0);

    /// <summary>A hypervisor frame shared with its owner (Xen's share_xen_page_with_guest: grant
    /// table and shared-info frames): not in tot_pages, but it holds one reference so it can be mapped.</summary>
    public Mfn AllocateShared(ushort owner) => Take(owner, FrameKind.Xen, ulong.MaxValue, 1);

    /// <summary><paramref name="count"/> contiguous zeroed hypervisor frames for <paramref name="owner"/>, holding no
    /// reference (Xen's alloc_xenheap_pages, for buffers handed out as one machine range); the base or Mfn.Invalid.</summary>
    public Mfn AllocateRun(ushort owner, ulong count)
    {
        ulong n = (ulong)_owner.Length;
        if (count == 0 || count > n) return Mfn.Invalid;
        for (ulong first = 0; first + count <= n; first++)
        {
            ulong k = FreeRun(first, count);
            if (k != count)
            {
                first += k;
                continue;
            }
            return ClaimRun(first, count, owner, FrameKind.Xen, 0);
        }
        return Mfn.Invalid;
    }

    /// <summary>Xen's share_xen_page_with_guest for a hypervisor frame nobody holds: <paramref name="owner"/> may map
    /// it (the share holds one reference). False when it is not a hypervisor frame or something still holds it.</summary>
    public bool ShareXenFrame(Mfn mfn, ushort owner)
    {
        if (!Contains(mfn)) return false;
        ulong i = mfn.Value - _firstFrame;
        if (_kind[i] != FrameKind.Xen || _count[i] != 0) return false;
        _owner[i] = owner;
        _count[i] = 1;
        return true;
    }

    /// <summary>Ends a <see cref="ShareXenFrame"/> share: drops its reference, and once nothing holds the frame it
    /// goes back to <paramref name="keeper"/> (contents kept), so the guest can no longer reach it.</summary>
    public void UnshareXenFrame(Mfn mfn, ushort keeper)
    {
        if (!Contains(mfn)) return;
        ulong i = mfn.Value - _firstFrame;
        if (_kind[i] != FrameKind.Xen) return;
        if (_count[i] != 0) _count[i]--;
        if (_count[i] == 0) _owner[i] = keeper;
    }

    /// <summary>A zeroed domain-heap frame below machine frame <paramref name="limit"/>, holding its allocation reference.
    /// Callers go through DomainPages, which keeps tot_pages exact.</summary>
    internal Mfn AllocateDomHeap(ushort owner, ulong limit) => Take(owner, FrameKind.DomHeap, limit, 1);

    /// <summary>2^order contiguous, naturally aligned domain-heap frames below <paramref name="limit"/> (an extent); the base, or Mfn.Invalid.</summary>
    internal Mfn AllocateDomHeapRun(ushort owner, int order, ulong limit)
    {
        if (order == 0) return AllocateDomHeap(owner, limit);
        ulong count = 1UL << order;
        ulong n = (ulong)_owner.Length;
        for (ulong first = (count - _firstFrame % count) % count; first + count <= n; first += count)
        {
            if (_firstFrame + first + count > limit) break;
            if (FreeRun(first, count) == count) return ClaimRun(first, count, owner, FrameKind.DomHeap, 1);
        }
        return Mfn.Invalid;
    }

    /// <summary>How many frames from index <paramref name="first"/> on are free, stopping at <paramref name="count"/>.</summary>
    ulong FreeRun(ulong first, ulong count)
    {
        ulong k = 0;
        while (k < count && _owner[first + k] == OwnerFree) k++;
        return k;
    }

    /// <summary>Gives the free frames [first, first + count) to <paramref name="owner"/>, zeroed; their base.</summary>
    Mfn ClaimRun(ulong first, ulong count, ushort owner, FrameKind kind, uint refs)
    {
        for (ulong i = first; i < first + count; i++)
        {
            _owner[i] = owner;
            _kind[i] = kind;
            _count[i] = refs;
            _typeCount[i] = 0;
            _gfn[i] = NoGfn;
            Zero(_base + (i << Page.Shift));
        }
        _free -= count;
        return new Mfn(_firstFrame + first);
    }

    Mfn Take(ushort owner, FrameKind kind, ulong limit, uint refs)
    {
        ulong n = (ulong)_owner.Length;
        for (ulong k = 0; k < n; k++)
        {
            ulong i = (_hint + k) % n;
            if (_owner[i] != OwnerFree || _firstFrame + i >= limit) continue;
            _hint = i + 1;
            return ClaimRun(i, 1, owner, kind, refs);
        }
        return Mfn.Invalid;
    }

    public void Free(Mfn mfn)
    {
        if (!Contains(mfn)) return;
        ulong i = mfn.Value - _firstFrame;
        if (_owner[i] == OwnerFree) return;
        _owner[i] = OwnerFree;
        _kind[i] = FrameKind.Free;
        _count[i] = 0;
        _typeCount[i] = 0;
        _gfn[i] = NoGfn;
        _free++;
    }

    /// <summary>Xen's get_page: one more reference, only if <paramref name="owner"/> owns the live frame.</summary>
    public bool GetRef(Mfn mfn, ushort owner)
    {
        if (!Contains(mfn)) return false;
        ulong i = mfn.Value - _firstFrame;
        if (_owner[i] != owner || _owner[i] == OwnerFree || _count[i] == 0 || _count[i] == uint.MaxValue) return false;
        _count[i]++;
        return true;
    }

    /// <summary>Drops one reference; returns what is left (0: the caller frees the frame).</summary>
    internal uint DropRef(Mfn mfn)
    {
        if (!Contains(mfn)) return 0;
        ulong i = mfn.Value - _firstFrame;
        if (_count[i] != 0) _count[i]--;
        return _count[i];
    }

    /// <summary>Xen's get_page_type(PGT_writable_page).</summary>
    public bool GetWritableType(Mfn mfn)
    {
        if (!Contains(mfn)) return false;
        ulong i = mfn.Value - _firstFrame;
        if (_count[i] == 0 || _typeCount[i] == uint.MaxValue) return false;
        _typeCount[i]++;
        return true;
    }

    public void PutWritableType(Mfn mfn)
    {
        if (!Contains(mfn)) return;
        ulong i = mfn.Value - _firstFrame;
        if (_typeCount[i] != 0) _typeCount[i]--;
    }

    /// <summary>Hands a frame to another owner (grant transfer); the caller moves the accounting.</summary>
    internal void SetOwner(Mfn mfn, ushort owner)
    {
        if (Contains(mfn)) _owner[mfn.Value - _firstFrame] = owner;
    }

    static void Zero(byte* p)
    {
        ulong* q = (ulong*)p;
        for (int i = 0; i < (int)(Page.Size / 8); i++) q[i] = 0;
    }
}

namespace XenLite.Hv.Common.Memory;

/// <summary>
/// Host RAM handed to the hypervisor as frames, each with one owner. The image maps it
/// 1:1; the hosted build gives it a pinned block, so guest memory is plain bytes either way.
/// </summary>
public sealed unsafe class MachineMemory
{
    public const ushort OwnerFree = 0xFFFF;

    readonly byte* _base;
    readonly ulong _firstFrame;
    readonly ushort[] _owner;
    ulong _hint;
    ulong _free;

    /// <param name="hostBase">Where frame <paramref name="firstFrame"/> is addressable by the hypervisor.</param>
    public MachineMemory(byte* hostBase, ulong firstFrame, ulong frameCount)
    {
        _base = hostBase;
        _firstFrame = firstFrame;
        _owner = new ushort[frameCount];
        for (ulong i = 0; i < frameCount; i++) _owner[i] = OwnerFree;
        _free = frameCount;
    }

    public ulong FrameCount => (ulong)_owner.Length;
    public ulong FreeFrames => _free;
    public ulong FirstFrame => _firstFrame;

    public bool Contains(Mfn mfn) => mfn.Value >= _firstFrame && mfn.Value - _firstFrame < (ulong)_owner.Length;

    public ushort OwnerOf(Mfn mfn) => Contains(mfn) ? _owner[mfn.Value - _firstFrame] : OwnerFree;

    /// <summary>Hypervisor pointer to a frame; null when the frame is not RAM we manage.</summary>
    public byte* Map(Mfn mfn) => Contains(mfn) ? _base + ((mfn.Value - _firstFrame) << Page.Shift) : null;

    /// <summary>Takes one free frame for <paramref name="owner"/>, zeroed; Mfn.Invalid when RAM is exhausted.</summary>
    public Mfn Allocate(ushort owner)
    {
        ulong n = (ulong)_owner.Length;
        for (ulong k = 0; k < n; k++)
        {
            ulong i = (_hint + k) % n;
            if (_owner[i] != OwnerFree) continue;
            _owner[i] = owner;
            _hint = i + 1;
            _free--;
            var mfn = new Mfn(_firstFrame + i);
            Zero(Map(mfn));
            return mfn;
        }
        return Mfn.Invalid;
    }

    public void Free(Mfn mfn)
    {
        if (!Contains(mfn)) return;
        ulong i = mfn.Value - _firstFrame;
        if (_owner[i] == OwnerFree) return;
        _owner[i] = OwnerFree;
        _free++;
    }

    static void Zero(byte* p)
    {
        ulong* q = (ulong*)p;
        for (int i = 0; i < (int)(Page.Size / 8); i++) q[i] = 0;
    }
}

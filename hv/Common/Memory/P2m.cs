namespace XenLite.Hv.Common.Memory;

/// <summary>A domain's physical-to-machine map: guest frame → machine frame.</summary>
public sealed class P2m
{
    readonly ulong[] _entries;

    public P2m(ulong maxFrames)
    {
        _entries = new ulong[maxFrames];
        for (ulong i = 0; i < maxFrames; i++) _entries[i] = ulong.MaxValue;
    }

    public ulong Size => (ulong)_entries.Length;

    public Mfn Lookup(Gfn gfn) => gfn.Value < Size ? new Mfn(_entries[gfn.Value]) : Mfn.Invalid;

    public bool Set(Gfn gfn, Mfn mfn)
    {
        if (gfn.Value >= Size) return false;
        _entries[gfn.Value] = mfn.Value;
        return true;
    }

    public void Clear(Gfn gfn)
    {
        if (gfn.Value < Size) _entries[gfn.Value] = ulong.MaxValue;
    }
}

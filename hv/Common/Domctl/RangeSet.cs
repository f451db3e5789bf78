namespace XenLite.Hv.Common.Domctl;

/// <summary>
/// Xen's rangeset: a set of integers kept as sorted, disjoint, inclusive ranges. Domains hold
/// one per I/O resource (machine frames, IRQs, I/O ports) naming what they may access.
/// </summary>
public sealed class RangeSet
{
    ulong[] _start = new ulong[4];
    ulong[] _end = new ulong[4];
    int _count;

    public int Count => _count;

    /// <summary>True when every value in [s, e] is in the set.</summary>
    public bool ContainsAll(ulong s, ulong e)
    {
        for (int i = 0; i < _count; i++)
            if (_start[i] <= s && e <= _end[i]) return true;
        return false;
    }

    /// <summary>True when some value in [s, e] is in the set.</summary>
    public bool Overlaps(ulong s, ulong e)
    {
        for (int i = 0; i < _count; i++)
            if (_start[i] <= e && s <= _end[i]) return true;
        return false;
    }

    /// <summary>Adds [s, e], merging with ranges it touches or overlaps.</summary>
    public void Add(ulong s, ulong e)
    {
        Remove(s, e);
        int i = 0;
        while (i < _count && _start[i] < s) i++;
        Insert(i, s, e);
        // Merge with the neighbours when adjacent.
        if (i + 1 < _count && _end[i] != ulong.MaxValue && _end[i] + 1 == _start[i + 1])
        {
            _end[i] = _end[i + 1];
            RemoveAt(i + 1);
        }
        if (i > 0 && _end[i - 1] != ulong.MaxValue && _end[i - 1] + 1 == _start[i])
        {
            _end[i - 1] = _end[i];
            RemoveAt(i);
        }
    }

    /// <summary>Removes [s, e], splitting a range that contains it.</summary>
    public void Remove(ulong s, ulong e)
    {
        for (int i = 0; i < _count; i++)
        {
            if (_end[i] < s || _start[i] > e) continue;
            bool keepLow = _start[i] < s, keepHigh = _end[i] > e;
            ulong oldEnd = _end[i];
            if (keepLow && keepHigh)
            {
                _end[i] = s - 1;
                Insert(i + 1, e + 1, oldEnd);
                return;
            }
            if (keepLow) _end[i] = s - 1;
            else if (keepHigh) _start[i] = e + 1;
            else
            {
                RemoveAt(i);
                i--;
            }
        }
    }

    void Insert(int at, ulong s, ulong e)
    {
        if (_count == _start.Length)
        {
            // Heap (never freed in the image): doubling on privileged (domctl) paths only.
            var ns = new ulong[_count * 2];
            var ne = new ulong[_count * 2];
            for (int k = 0; k < _count; k++) { ns[k] = _start[k]; ne[k] = _end[k]; }
            _start = ns;
            _end = ne;
        }
        for (int k = _count; k > at; k--) { _start[k] = _start[k - 1]; _end[k] = _end[k - 1]; }
        _start[at] = s;
        _end[at] = e;
        _count++;
    }

    void RemoveAt(int at)
    {
        for (int k = at; k < _count - 1; k++) { _start[k] = _start[k + 1]; _end[k] = _end[k + 1]; }
        _count--;
    }
}

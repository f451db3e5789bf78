using XenLite.Hv.Abi;

namespace XenLite.Hv.Common.DmOp;

/// <summary>Xen's hvm_set_mem_pinned_cacheattr: a small list of gfn ranges with a pinned PAT type.</summary>
static class CacheAttr
{
    /// <summary>Guest frames must fit the physical address width (52 bits of address, 40 of frame).</summary>
    const int GfnBits = 40;

    public static long Pin(Domain d, ulong start, ulong end, uint type)
    {
        if (end < start || ((start | end) >> GfnBits) != 0) return -Errno.EINVAL;
        DmState s = d.Dm;
        if (type == XenDmop.DeleteMemCacheattr)
        {
            for (int i = 0; i < s.PinCount; i++)
            {
                if (s.PinStart[i] != start || s.PinEnd[i] != end) continue;
                s.PinCount--;
                s.PinStart[i] = s.PinStart[s.PinCount];
                s.PinEnd[i] = s.PinEnd[s.PinCount];
                s.PinType[i] = s.PinType[s.PinCount];
                return 0;
            }
            return -Errno.ENOENT;
        }
        // UC, WC, WT, WB, UC-: the types Xen lets a device model pin (not WP).
        if (type != 0 && type != 1 && type != 4 && type != 6 && type != 7) return -Errno.EINVAL;
        for (int i = 0; i < s.PinCount; i++)
        {
            if (s.PinStart[i] == start && s.PinEnd[i] == end)
            {
                s.PinType[i] = type;
                return 0;
            }
            if (start <= s.PinEnd[i] && end >= s.PinStart[i]) return -Errno.EBUSY;
        }
        if (s.PinCount == DmState.MaxPinnedRanges) return -Errno.ENOMEM;
        s.PinStart[s.PinCount] = start;
        s.PinEnd[s.PinCount] = end;
        s.PinType[s.PinCount] = type;
        s.PinCount++;
        return 0;
    }
}

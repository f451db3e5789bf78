namespace XenLite.Hv.Common.Events;

/// <summary>
/// Bit operations on memory the guest shares with us (bitmaps, event words, vcpu_info flags).
/// One place so they can become locked (atomic) instructions when several CPUs run guests.
/// </summary>
public static unsafe class GuestBits
{
    public static bool Test(byte* map, uint bit) => (map[bit >> 3] & (1 << (int)(bit & 7))) != 0;

    public static bool TestAndSet(byte* map, uint bit)
    {
        byte m = (byte)(1 << (int)(bit & 7));
        bool old = (map[bit >> 3] & m) != 0;
        map[bit >> 3] |= m;
        return old;
    }

    public static bool TestAndClear(byte* map, uint bit)
    {
        byte m = (byte)(1 << (int)(bit & 7));
        bool old = (map[bit >> 3] & m) != 0;
        map[bit >> 3] &= (byte)~m;
        return old;
    }

    public static void Set(byte* map, uint bit) => map[bit >> 3] |= (byte)(1 << (int)(bit & 7));

    public static void Clear(byte* map, uint bit) => map[bit >> 3] &= (byte)~(1 << (int)(bit & 7));
}

namespace XenLite.Hv.Common.Loader;

/// <summary>Unaligned little-endian reads from image bytes; callers have checked the bounds.</summary>
public static unsafe class LittleEndian
{
    public static ushort U16(byte* p) => (ushort)(p[0] | (p[1] << 8));

    public static uint U32(byte* p) => (uint)(p[0] | (p[1] << 8) | (p[2] << 16) | (p[3] << 24));

    public static ulong U64(byte* p) => U32(p) | ((ulong)U32(p + 4) << 32);

    /// <summary>A 1, 2, 4 or 8 byte value; 0 for any other size.</summary>
    public static ulong Sized(byte* p, uint size) => size switch
    {
        1 => p[0],
        2 => U16(p),
        4 => U32(p),
        8 => U64(p),
        _ => 0,
    };
}

namespace XenLite.Hv.Abi;

/// <summary>Reserved domain ids (public xen.h, DOMID_*). domid_t is 16 bits.</summary>
public static class DomId
{
    /// <summary>Ids at or above this cannot name an ordinary domain.</summary>
    public const ushort FirstReserved = 0x7FF0;
    public const ushort Self = 0x7FF0;
    public const ushort Io = 0x7FF1;
    public const ushort Xen = 0x7FF2;
    public const ushort Cow = 0x7FF3;
    public const ushort Invalid = 0x7FF4;
    public const ushort Any = 0x7FF5;
    public const ushort Idle = 0x7FFF;
    public const ushort Mask = 0x7FFF;
}

namespace XenLite.Hv.Abi;

/// <summary>The caller columns of Xen's hypercall-defs.c table, in its order.</summary>
public enum GuestMode : byte
{
    Pv32 = 0,
    Pv64 = 1,
    Hvm32 = 2,
    Hvm64 = 3,
    Arm = 4,
}

public static class GuestModes
{
    public const int Count = 5;

    public static bool Is32Bit(GuestMode m) => m == GuestMode.Pv32 || m == GuestMode.Hvm32;
    public static bool IsPv(GuestMode m) => m == GuestMode.Pv32 || m == GuestMode.Pv64;
    public static bool IsHvm(GuestMode m) => m == GuestMode.Hvm32 || m == GuestMode.Hvm64;
}

using System.Runtime.InteropServices;

namespace XenLite.Hv.Abi;

/// <summary>xenpmu_op sub-ops (public pmu.h, XENPMU_*).</summary>
public static class XenPmuOp
{
    public const int ModeGet = 0;
    public const int ModeSet = 1;
    public const int FeatureGet = 2;
    public const int FeatureSet = 3;
    public const int Init = 4;
    public const int Finish = 5;
    public const int LvtpcSet = 6;
    public const int Flush = 7;

    public const uint VersionMajor = 0;
    public const uint VersionMinor = 1;
}

/// <summary>xen_pmu_params_t: version, val, vcpu, pad (the same for every ABI).</summary>
[StructLayout(LayoutKind.Explicit, Size = 24)]
public struct XenPmuParams
{
    [FieldOffset(0)] public uint VersionMaj;
    [FieldOffset(4)] public uint VersionMin;
    [FieldOffset(8)] public ulong Val;
    [FieldOffset(16)] public uint Vcpu;
    [FieldOffset(20)] public uint Pad;
}

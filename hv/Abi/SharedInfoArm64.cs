using System.Runtime.InteropServices;

namespace XenLite.Hv.Abi;

// The shared info page on arm64: public xen.h with arch-arm.h. xen_ulong_t is 64-bit, there is
// one legacy vCPU slot, no PV upcall mask (that byte is padding), and arch_vcpu_info and
// arch_shared_info are empty C structs (size 0), so they have no field here.

/// <summary>vcpu_info for arm64 (48 bytes).</summary>
[StructLayout(LayoutKind.Explicit, Size = 48)]
public struct VcpuInfoArm64
{
    [FieldOffset(0)] public byte EvtchnUpcallPending;
    [FieldOffset(1)] public byte Pad0;
    [FieldOffset(8)] public ulong EvtchnPendingSel;
    [FieldOffset(16)] public VcpuTimeInfo Time;
}

/// <summary>shared_info for arm64.</summary>
[StructLayout(LayoutKind.Explicit, Size = 1088)]
public unsafe struct SharedInfoArm64
{
    public const int LegacyMaxVcpus = 1;
    public const int EvtchnWords = 64;

    [FieldOffset(0)] public VcpuInfoArm64 VcpuInfo;
    [FieldOffset(48)] public fixed ulong EvtchnPending[EvtchnWords];
    [FieldOffset(560)] public fixed ulong EvtchnMask[EvtchnWords];
    [FieldOffset(1072)] public uint WcVersion;
    [FieldOffset(1076)] public uint WcSec;
    [FieldOffset(1080)] public uint WcNsec;
    [FieldOffset(1084)] public uint WcSecHi;
}

using System.Runtime.InteropServices;

namespace XenLite.Hv.Abi;

// The shared info page as a 64-bit x86 guest (PV64 or HVM64) sees it: public xen.h with
// arch-x86/xen.h and arch-x86/xen-x86_64.h (unsigned long and xen_ulong_t are 64-bit).

/// <summary>arch_vcpu_info for x86_64.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct ArchVcpuInfoX86_64
{
    [FieldOffset(0)] public ulong Cr2;
    [FieldOffset(8)] public ulong Pad;
}

/// <summary>vcpu_info for x86_64 (64 bytes).</summary>
[StructLayout(LayoutKind.Explicit, Size = 64)]
public struct VcpuInfoX86_64
{
    [FieldOffset(0)] public byte EvtchnUpcallPending;
    [FieldOffset(1)] public byte EvtchnUpcallMask;
    [FieldOffset(8)] public ulong EvtchnPendingSel;
    [FieldOffset(16)] public ArchVcpuInfoX86_64 Arch;
    [FieldOffset(32)] public VcpuTimeInfo Time;
}

/// <summary>arch_shared_info for x86_64.</summary>
[StructLayout(LayoutKind.Explicit, Size = 48)]
public struct ArchSharedInfoX86_64
{
    [FieldOffset(0)] public ulong MaxPfn;
    [FieldOffset(8)] public ulong PfnToMfnFrameListList;
    [FieldOffset(16)] public ulong NmiReason;
    [FieldOffset(24)] public ulong P2mCr3;
    [FieldOffset(32)] public ulong P2mVaddr;
    [FieldOffset(40)] public ulong P2mGeneration;
}

/// <summary>shared_info for x86_64.</summary>
[StructLayout(LayoutKind.Explicit, Size = 3136)]
public unsafe struct SharedInfoX86_64
{
    /// <summary>XEN_LEGACY_MAX_VCPUS: vCPUs with a slot in this page.</summary>
    public const int LegacyMaxVcpus = 32;
    /// <summary>Bits in evtchn_pending/evtchn_mask: the 2-level event channel limit.</summary>
    public const int EvtchnWords = 64;

    /// <summary>The vcpu_info[LegacyMaxVcpus] array; use <see cref="Slot"/> to reach one entry.</summary>
    [FieldOffset(0)] public fixed byte VcpuInfo[LegacyMaxVcpus * 64];
    [FieldOffset(2048)] public fixed ulong EvtchnPending[EvtchnWords];
    [FieldOffset(2560)] public fixed ulong EvtchnMask[EvtchnWords];
    [FieldOffset(3072)] public uint WcVersion;
    [FieldOffset(3076)] public uint WcSec;
    [FieldOffset(3080)] public uint WcNsec;
    [FieldOffset(3084)] public uint WcSecHi;
    [FieldOffset(3088)] public ArchSharedInfoX86_64 Arch;

    /// <summary>vcpu_info[i] of the page at s; the caller keeps i below LegacyMaxVcpus.</summary>
    public static VcpuInfoX86_64* Slot(SharedInfoX86_64* s, int i) => (VcpuInfoX86_64*)s + i;
}

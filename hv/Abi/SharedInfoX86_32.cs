using System.Runtime.InteropServices;

namespace XenLite.Hv.Abi;

// The shared info page as a 32-bit x86 guest sees it (Xen's compat layout): public xen.h with
// arch-x86/xen.h and arch-x86/xen-x86_32.h. unsigned long and xen_ulong_t are 32-bit, and
// uint64_t is only 4-byte aligned inside structs (i386 ABI).

/// <summary>arch_vcpu_info for x86_32.</summary>
[StructLayout(LayoutKind.Explicit, Size = 24)]
public unsafe struct ArchVcpuInfoX86_32
{
    [FieldOffset(0)] public uint Cr2;
    [FieldOffset(4)] public fixed uint Pad[5];
}

/// <summary>vcpu_info for x86_32 (64 bytes, like x86_64, thanks to the larger arch padding).</summary>
[StructLayout(LayoutKind.Explicit, Size = 64)]
public struct VcpuInfoX86_32
{
    [FieldOffset(0)] public byte EvtchnUpcallPending;
    [FieldOffset(1)] public byte EvtchnUpcallMask;
    [FieldOffset(4)] public uint EvtchnPendingSel;
    [FieldOffset(8)] public ArchVcpuInfoX86_32 Arch;
    [FieldOffset(32)] public VcpuTimeInfo Time;
}

/// <summary>arch_shared_info for x86_32; it carries wc_sec_hi, which has no room elsewhere.</summary>
[StructLayout(LayoutKind.Explicit, Size = 28)]
public struct ArchSharedInfoX86_32
{
    [FieldOffset(0)] public uint MaxPfn;
    [FieldOffset(4)] public uint PfnToMfnFrameListList;
    [FieldOffset(8)] public uint NmiReason;
    [FieldOffset(12)] public uint P2mCr3;
    [FieldOffset(16)] public uint P2mVaddr;
    [FieldOffset(20)] public uint P2mGeneration;
    [FieldOffset(24)] public uint WcSecHi;
}

/// <summary>shared_info for x86_32 (compat).</summary>
[StructLayout(LayoutKind.Explicit, Size = 2344)]
public unsafe struct SharedInfoX86_32
{
    public const int LegacyMaxVcpus = 32;
    public const int EvtchnWords = 32;

    /// <summary>The vcpu_info[LegacyMaxVcpus] array; use <see cref="Slot"/> to reach one entry.</summary>
    [FieldOffset(0)] public fixed byte VcpuInfo[LegacyMaxVcpus * 64];
    [FieldOffset(2048)] public fixed uint EvtchnPending[EvtchnWords];
    [FieldOffset(2176)] public fixed uint EvtchnMask[EvtchnWords];
    [FieldOffset(2304)] public uint WcVersion;
    [FieldOffset(2308)] public uint WcSec;
    [FieldOffset(2312)] public uint WcNsec;
    [FieldOffset(2316)] public ArchSharedInfoX86_32 Arch;

    public static VcpuInfoX86_32* Slot(SharedInfoX86_32* s, int i) => (VcpuInfoX86_32*)s + i;
}

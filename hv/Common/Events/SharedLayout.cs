namespace XenLite.Hv.Common.Events;

/// <summary>
/// Where the event and time fields sit in shared_info and vcpu_info for one guest ABI
/// (hv/Abi/SharedInfo*.cs): 64-bit x86, 32-bit x86 (compat) or arm64. Bitmaps are arrays of
/// little-endian words, so port n is always bit n%8 of byte n/8; only the word size differs.
/// </summary>
public sealed class SharedLayout
{
    /// <summary>Bits per xen_ulong_t: one selector bit covers this many ports.</summary>
    public readonly int BitsPerWord;
    public readonly int LegacyMaxVcpus;
    public readonly int EvtchnPending;
    public readonly int EvtchnMask;
    public readonly int WcVersion;
    public readonly int WcSecHi;
    public readonly int VcpuInfoSize;
    /// <summary>Offset of evtchn_upcall_mask in vcpu_info; -1 where the ABI has none (arm).</summary>
    public readonly int UpcallMask;
    public readonly int PendingSel;
    public readonly int Time;

    SharedLayout(int bits, int legacy, int pending, int mask, int wc, int wcHi, int infoSize, int upcallMask, int sel, int time)
    {
        BitsPerWord = bits;
        LegacyMaxVcpus = legacy;
        EvtchnPending = pending;
        EvtchnMask = mask;
        WcVersion = wc;
        WcSecHi = wcHi;
        VcpuInfoSize = infoSize;
        UpcallMask = upcallMask;
        PendingSel = sel;
        Time = time;
    }

    /// <summary>Ports the 2-level ABI can name: one bit per port, BitsPerWord words of selector.</summary>
    public uint NrChannels2l => (uint)(BitsPerWord * BitsPerWord);

    /// <summary>Alignment of xen_ulong_t, which vcpu_info and runstate areas must respect.</summary>
    public uint WordAlign => (uint)(BitsPerWord / 8);

    // Offsets: SharedInfoX86_64, SharedInfoX86_32 (wc_sec_hi lives in its arch part) and SharedInfoArm64.
    public static readonly SharedLayout X86_64 = new(64, 32, 2048, 2560, 3072, 3084, 64, 1, 8, 32);
    public static readonly SharedLayout X86_32 = new(32, 32, 2048, 2176, 2304, 2316 + 24, 64, 1, 4, 32);
    public static readonly SharedLayout Arm64 = new(64, 1, 48, 560, 1072, 1084, 48, -1, 8, 16);
}

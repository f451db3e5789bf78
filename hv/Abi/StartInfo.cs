using System.Runtime.InteropServices;

namespace XenLite.Hv.Abi;

// start_info (public xen.h): what a PV guest finds at %rsi/%esi on entry. x86 only (arm has no
// PV entry). The console union is expressed as overlapping fields: ConsoleDomU* for ordinary
// guests, ConsoleDom0* for the initial domain.

/// <summary>Flags in start_info.flags and hvm_start_info.flags (public xen.h, SIF_*).</summary>
public static class StartInfoFlags
{
    public const uint Privileged = 1u << 0;
    public const uint InitDomain = 1u << 1;
    public const uint MultibootMod = 1u << 2;
    public const uint ModStartPfn = 1u << 3;
    public const uint VirtP2m4Tools = 1u << 4;
    public const uint PmMask = 0xFFu << 8;
}

/// <summary>start_info for x86_64 PV guests.</summary>
[StructLayout(LayoutKind.Explicit, Size = 1168)]
public unsafe struct StartInfoX86_64
{
    public const int MagicLen = 32;
    /// <summary>MAX_GUEST_CMDLINE.</summary>
    public const int MaxGuestCmdline = 1024;

    [FieldOffset(0)] public fixed byte Magic[MagicLen];   // "xen-<version>-<platform>"
    [FieldOffset(32)] public ulong NrPages;
    [FieldOffset(40)] public ulong SharedInfo;            // machine address
    [FieldOffset(48)] public uint Flags;                  // StartInfoFlags
    [FieldOffset(56)] public ulong StoreMfn;
    [FieldOffset(64)] public uint StoreEvtchn;
    [FieldOffset(72)] public ulong ConsoleDomUMfn;
    [FieldOffset(80)] public uint ConsoleDomUEvtchn;
    [FieldOffset(72)] public uint ConsoleDom0InfoOff;
    [FieldOffset(76)] public uint ConsoleDom0InfoSize;
    [FieldOffset(88)] public ulong PtBase;                // virtual address
    [FieldOffset(96)] public ulong NrPtFrames;
    [FieldOffset(104)] public ulong MfnList;              // virtual address
    [FieldOffset(112)] public ulong ModStart;             // virtual address, or PFN with ModStartPfn
    [FieldOffset(120)] public ulong ModLen;
    [FieldOffset(128)] public fixed byte CmdLine[MaxGuestCmdline];
    [FieldOffset(1152)] public ulong FirstP2mPfn;
    [FieldOffset(1160)] public ulong NrP2mFrames;
}

/// <summary>start_info for x86_32 PV guests (compat).</summary>
[StructLayout(LayoutKind.Explicit, Size = 1112)]
public unsafe struct StartInfoX86_32
{
    public const int MagicLen = 32;
    public const int MaxGuestCmdline = 1024;

    [FieldOffset(0)] public fixed byte Magic[MagicLen];
    [FieldOffset(32)] public uint NrPages;
    [FieldOffset(36)] public uint SharedInfo;
    [FieldOffset(40)] public uint Flags;
    [FieldOffset(44)] public uint StoreMfn;
    [FieldOffset(48)] public uint StoreEvtchn;
    [FieldOffset(52)] public uint ConsoleDomUMfn;
    [FieldOffset(56)] public uint ConsoleDomUEvtchn;
    [FieldOffset(52)] public uint ConsoleDom0InfoOff;
    [FieldOffset(56)] public uint ConsoleDom0InfoSize;
    [FieldOffset(60)] public uint PtBase;
    [FieldOffset(64)] public uint NrPtFrames;
    [FieldOffset(68)] public uint MfnList;
    [FieldOffset(72)] public uint ModStart;
    [FieldOffset(76)] public uint ModLen;
    [FieldOffset(80)] public fixed byte CmdLine[MaxGuestCmdline];
    [FieldOffset(1104)] public uint FirstP2mPfn;
    [FieldOffset(1108)] public uint NrP2mFrames;
}

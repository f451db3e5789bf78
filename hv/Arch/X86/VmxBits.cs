namespace XenLite.Hv.Arch.X86;

/// <summary>VMCS field encodings (Intel SDM vol. 3, appendix B). Segments go ES, CS, SS, DS, FS, GS, LDTR, TR: field + 2 × index.</summary>
public static class VmcsField
{
    // 16-bit.
    public const uint GuestSelector = 0x0800, HostEsSelector = 0x0C00, HostCsSelector = 0x0C02, HostSsSelector = 0x0C04;
    public const uint HostDsSelector = 0x0C06, HostFsSelector = 0x0C08, HostGsSelector = 0x0C0A, HostTrSelector = 0x0C0C;
    // 64-bit.
    public const uint ExitMsrStoreAddress = 0x2006, ExitMsrLoadAddress = 0x2008, EntryMsrLoadAddress = 0x200A;
    public const uint TscOffset = 0x2010, EptPointer = 0x201A, GuestPhysicalAddress = 0x2400;
    public const uint LinkPointer = 0x2800, GuestDebugCtl = 0x2802, GuestPat = 0x2804, GuestEfer = 0x2806;
    public const uint HostPat = 0x2C00, HostEfer = 0x2C02;
    // 32-bit control and read-only.
    public const uint PinControls = 0x4000, ProcControls = 0x4002, ExceptionBitmap = 0x4004, Cr3TargetCount = 0x400A;
    public const uint ExitControls = 0x400C, ExitMsrStoreCount = 0x400E, ExitMsrLoadCount = 0x4010;
    public const uint EntryControls = 0x4012, EntryMsrLoadCount = 0x4014, EntryInterruptInfo = 0x4016, EntryErrorCode = 0x4018;
    public const uint EntryInstructionLength = 0x401A, ProcControls2 = 0x401E;
    public const uint InstructionError = 0x4400, ExitReason = 0x4402, ExitInterruptInfo = 0x4404, ExitInterruptError = 0x4406;
    public const uint IdtVectoringInfo = 0x4408, IdtVectoringError = 0x440A, ExitInstructionLength = 0x440C;
    // 32-bit guest.
    public const uint GuestLimit = 0x4800, GuestGdtrLimit = 0x4810, GuestIdtrLimit = 0x4812, GuestAccessRights = 0x4814;
    public const uint GuestInterruptibility = 0x4824, GuestActivity = 0x4826, GuestSysenterCs = 0x482A, HostSysenterCs = 0x4C00;
    // Natural width.
    public const uint Cr0Mask = 0x6000, Cr4Mask = 0x6002, Cr0ReadShadow = 0x6004, Cr4ReadShadow = 0x6006;
    public const uint ExitQualification = 0x6400, GuestLinearAddress = 0x640A;
    public const uint GuestCr0 = 0x6800, GuestCr3 = 0x6802, GuestCr4 = 0x6804, GuestBase = 0x6806;
    public const uint GuestGdtrBase = 0x6816, GuestIdtrBase = 0x6818, GuestDr7 = 0x681A, GuestRsp = 0x681C, GuestRip = 0x681E;
    public const uint GuestRflags = 0x6820, GuestPendingDebug = 0x6822, GuestSysenterEsp = 0x6824, GuestSysenterEip = 0x6826;
    public const uint HostCr0 = 0x6C00, HostCr3 = 0x6C02, HostCr4 = 0x6C04, HostFsBase = 0x6C06, HostGsBase = 0x6C08;
    public const uint HostTrBase = 0x6C0A, HostGdtrBase = 0x6C0C, HostIdtrBase = 0x6C0E, HostSysenterEsp = 0x6C10;
    public const uint HostSysenterEip = 0x6C12, HostRsp = 0x6C14, HostRip = 0x6C16;

    public const int Es = 0, Cs = 1, Ss = 2, Ds = 3, Fs = 4, Gs = 5, Ldtr = 6, Tr = 7;
}

/// <summary>The VMX capability MSRs and IA32_FEATURE_CONTROL (SDM vol. 3, appendix A).</summary>
public static class VmxMsr
{
    public const uint FeatureControl = 0x3A, Basic = 0x480, Pin = 0x481, Proc = 0x482, Exit = 0x483, Entry = 0x484;
    public const uint Cr0Fixed0 = 0x486, Cr0Fixed1 = 0x487, Cr4Fixed0 = 0x488, Cr4Fixed1 = 0x489, Proc2 = 0x48B, EptVpidCap = 0x48C;
    public const uint TruePin = 0x48D, TrueProc = 0x48E, TrueExit = 0x48F, TrueEntry = 0x490;
    public const ulong FeatureLock = 1, FeatureVmxOutsideSmx = 1 << 2;
    /// <summary>IA32_VMX_BASIC bit 55: the TRUE_* MSRs exist and may allow more default-1 controls to be 0.</summary>
    public const ulong BasicTrueControls = 1UL << 55;
    /// <summary>IA32_VMX_EPT_VPID_CAP: 4-level walks (bit 6), write-back EPT structures (bit 14), INVEPT (20), single-context INVEPT (25).</summary>
    public const ulong EptWalk4 = 1UL << 6, EptWb = 1UL << 14, Invept = 1UL << 20, InveptSingle = 1UL << 25;
}

/// <summary>Control bits (SDM vol. 3, 25.6–25.8) we ask for.</summary>
public static class VmxCtl
{
    public const uint PinExternalInterrupt = 1u << 0, PinNmi = 1u << 3;
    public const uint ProcTscOffset = 1u << 3, ProcHlt = 1u << 7, ProcCr3Load = 1u << 15, ProcCr3Store = 1u << 16;
    public const uint ProcUnconditionalIo = 1u << 24, ProcMwait = 1u << 10, ProcMonitor = 1u << 29, ProcSecondary = 1u << 31;
    public const uint Proc2Ept = 1u << 1, Proc2Wbinvd = 1u << 6, Proc2Unrestricted = 1u << 7;
    public const uint ExitHost64 = 1u << 9, ExitSavePat = 1u << 18, ExitLoadPat = 1u << 19, ExitSaveEfer = 1u << 20, ExitLoadEfer = 1u << 21;
    public const uint EntryIa32e = 1u << 9, EntryLoadPat = 1u << 14, EntryLoadEfer = 1u << 15;
}

/// <summary>Basic exit reasons (SDM vol. 3, appendix C); bit 31 of the reason field marks a failed VM entry.</summary>
public static class VmxExit
{
    public const uint ExceptionNmi = 0, ExternalInterrupt = 1, TripleFault = 2, Init = 3, Sipi = 4, InterruptWindow = 7;
    public const uint TaskSwitch = 9, Cpuid = 10, Getsec = 11, Hlt = 12, Invd = 13, Invlpg = 14, Rdpmc = 15, Rdtsc = 16;
    public const uint Vmcall = 18, Vmclear = 19, Vmlaunch = 20, Vmptrld = 21, Vmptrst = 22, Vmread = 23, Vmresume = 24;
    public const uint Vmwrite = 25, Vmxoff = 26, Vmxon = 27, CrAccess = 28, DrAccess = 29, Io = 30, Rdmsr = 31, Wrmsr = 32;
    public const uint InvalidGuestState = 33, MsrLoading = 34, Mwait = 36, MonitorTrap = 37, Monitor = 39, Pause = 40;
    public const uint MachineCheck = 41, EptViolation = 48, EptMisconfig = 49, Invept = 50, Rdtscp = 51, Invvpid = 53;
    public const uint Wbinvd = 54, Xsetbv = 55, Rdrand = 57, Invpcid = 58, Vmfunc = 59, Rdseed = 61;
    public const uint TableSize = 70;
    public const uint EntryFailed = 1u << 31;
}

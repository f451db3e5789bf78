namespace XenLite.Hv.Abi;

/// <summary>HVM_PARAM_* indexes for HVMOP_set_param/get_param (public hvm/params.h).</summary>
public static class HvmParam
{
    public const uint CallbackIrq = 0;
    public const uint StorePfn = 1;
    public const uint StoreEvtchn = 2;
    public const uint PaeEnabled = 4;            // deprecated
    public const uint IoreqPfn = 5;
    public const uint BufioreqPfn = 6;
    public const uint Viridian = 9;
    public const uint TimerMode = 10;
    public const uint HpetEnabled = 11;
    public const uint IdentPt = 12;
    public const uint DmDomain = 13;             // deprecated
    public const uint AcpiSState = 14;
    public const uint Vm86Tss = 15;
    public const uint VptAlign = 16;
    public const uint ConsolePfn = 17;
    public const uint ConsoleEvtchn = 18;
    public const uint AcpiIoportsLocation = 19;
    public const uint MemoryEventCr0 = 20;       // deprecated 20..25
    public const uint MemoryEventCr3 = 21;
    public const uint MemoryEventCr4 = 22;
    public const uint MemoryEventInt3 = 23;
    public const uint NestedHvm = 24;
    public const uint MemoryEventSingleStep = 25;
    public const uint BufioreqEvtchn = 26;       // deprecated
    public const uint PagingRingPfn = 27;
    public const uint MonitorRingPfn = 28;
    public const uint SharingRingPfn = 29;
    public const uint MemoryEventMsr = 30;       // deprecated
    public const uint TripleFaultReason = 31;
    public const uint IoreqServerPfn = 32;
    public const uint NrIoreqServerPages = 33;
    public const uint VmGenerationIdAddr = 34;
    public const uint Altp2m = 35;
    public const uint X87FipWidth = 36;
    public const uint Vm86TssSized = 37;
    public const uint McaCap = 38;

    /// <summary>HVM_NR_PARAMS.</summary>
    public const uint NrParams = 39;

    /// <summary>HVM_PARAM_CALLBACK_IRQ's type field (bits 63:56): GSI, PCI INTx, vector (x86) / PPI (arm).</summary>
    public const int CallbackTypeShift = 56;
    public const ulong CallbackTypeGsi = 0;
    public const ulong CallbackTypePciIntx = 1;
    public const ulong CallbackTypeVector = 2;
    public const ulong CallbackTypePpi = 2;

    /// <summary>HVMPTM_*: the largest TIMER_MODE value.</summary>
    public const ulong TimerModeMax = 3;
    /// <summary>XEN_ALTP2M_limited: the largest ALTP2M mode.</summary>
    public const ulong Altp2mLimited = 3;
    /// <summary>XEN_HVM_MCA_CAP_LMCE (the only MCA_CAP bit).</summary>
    public const ulong McaCapLmce = 1;
}

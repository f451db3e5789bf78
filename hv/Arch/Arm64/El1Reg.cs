namespace XenLite.Hv.Arch.Arm64;

/// <summary>
/// The EL1 (and EL0 thread) system registers a vCPU owns, in the order the world-switch helpers
/// save and load them (GuestContext.El1). They live in hardware while the vCPU is loaded.
/// </summary>
public static class El1Reg
{
    public const int Sctlr = 0, Ttbr0 = 1, Ttbr1 = 2, Tcr = 3, Mair = 4, Amair = 5, Vbar = 6, Contextidr = 7;
    public const int TpidrEl1 = 8, TpidrEl0 = 9, TpidrroEl0 = 10, SpEl1 = 11, Elr = 12, Spsr = 13, Esr = 14, Far = 15;
    public const int Afsr0 = 16, Afsr1 = 17, Par = 18, Cpacr = 19, Cntkctl = 20, Csselr = 21, CntvCtl = 22, CntvCval = 23;
    public const int Count = 24;
}

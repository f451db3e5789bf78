namespace XenLite.Hv.Arch.Arm64;

/// <summary>Exception classes of ESR_EL2 (Arm ARM D17.2.37) the exit table knows.</summary>
public static class Ec
{
    public const uint Unknown = 0x00, Wfx = 0x01, Hvc64 = 0x16, Smc64 = 0x17, Sysreg = 0x18, Sve = 0x19;
    public const uint IabtLower = 0x20, IabtCurrent = 0x21, DabtLower = 0x24, DabtCurrent = 0x25;
    public const int TableSize = 64;
}

/// <summary>Fields of an exception syndrome (ESR_EL2 for exits, ESR_EL1 for what we inject).</summary>
public static class Esr
{
    public const ulong Il = 1UL << 25;

    public static uint Class(ulong esr) => (uint)(esr >> 26) & 0x3F;

    public static uint Iss(ulong esr) => (uint)esr & 0x1FF_FFFF;

    /// <summary>The 16-bit immediate of HVC/SMC.</summary>
    public static uint Immediate(ulong esr) => (uint)esr & 0xFFFF;

    /// <summary>Instruction length: 4 bytes unless IL says a 16-bit (T32) instruction.</summary>
    public static ulong Length(ulong esr) => (esr & Il) != 0 ? 4UL : 2UL;

    // Data abort ISS (ISV = 1 gives the access the hardware decoded).
    public static bool Isv(ulong esr) => (esr & (1UL << 24)) != 0;
    public static int AccessBytes(ulong esr) => 1 << (int)((esr >> 22) & 3);
    public static bool SignExtend(ulong esr) => (esr & (1UL << 21)) != 0;
    public static int Register(ulong esr) => (int)((esr >> 16) & 31);
    public static bool SixtyFour(ulong esr) => (esr & (1UL << 15)) != 0;
    public static bool Write(ulong esr) => (esr & (1UL << 6)) != 0;
    public static uint FaultStatus(ulong esr) => (uint)esr & 0x3F;

    /// <summary>Translation fault at any level (DFSC/IFSC 0b0001xx).</summary>
    public static bool IsTranslationFault(ulong esr) => (FaultStatus(esr) & 0x3C) == 0x04;

    /// <summary>WFI/WFE ISS bit 0: 1 = WFE.</summary>
    public static bool IsWfe(ulong esr) => (esr & 1) != 0;
}

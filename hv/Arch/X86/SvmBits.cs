namespace XenLite.Hv.Arch.X86;

/// <summary>VMCB offset 0x00C intercept bits (APM vol. 2, table B-1).</summary>
public static class SvmIntercept1
{
    public const uint Intr = 1u << 0, Nmi = 1u << 1, Smi = 1u << 2, Init = 1u << 3;
    public const uint Cpuid = 1u << 18, Intn = 1u << 21, Invd = 1u << 22, Hlt = 1u << 24, Invlpga = 1u << 26;
    public const uint IoioProt = 1u << 27, MsrProt = 1u << 28, Shutdown = 1u << 31;
}

/// <summary>VMCB offset 0x010 intercept bits.</summary>
public static class SvmIntercept2
{
    public const uint Vmrun = 1u << 0, Vmmcall = 1u << 1, Vmload = 1u << 2, Vmsave = 1u << 3;
    public const uint Stgi = 1u << 4, Clgi = 1u << 5, Skinit = 1u << 6, Icebp = 1u << 8;
    public const uint Wbinvd = 1u << 9, Monitor = 1u << 10, Mwait = 1u << 11, Xsetbv = 1u << 13, Rdpru = 1u << 14;
}

/// <summary>#VMEXIT codes (APM vol. 2, appendix C).</summary>
public static class SvmExit
{
    public const uint ExceptionBase = 0x40;
    public const uint Intr = 0x60, Nmi = 0x61, Smi = 0x62, Init = 0x63;
    public const uint Cpuid = 0x72, Swint = 0x75, Invd = 0x76, Hlt = 0x78, Invlpga = 0x7A, Ioio = 0x7B, Msr = 0x7C;
    public const uint Shutdown = 0x7F;
    public const uint Vmrun = 0x80, Vmmcall = 0x81, Vmload = 0x82, Vmsave = 0x83, Stgi = 0x84, Clgi = 0x85;
    public const uint Skinit = 0x86, Icebp = 0x88, Wbinvd = 0x89, Monitor = 0x8A, Mwait = 0x8B, MwaitCond = 0x8C;
    public const uint Xsetbv = 0x8D, Rdpru = 0x8E;
    /// <summary>One past the last code of the contiguous instruction/event range the exit table covers.</summary>
    public const uint TableSize = 0xA5;
    public const uint Npf = 0x400;
    /// <summary>VMEXIT_INVALID (-1): VMRUN refused the VMCB.</summary>
    public const ulong Invalid = ulong.MaxValue;
}

/// <summary>EVENTINJ / EXITINTINFO encoding: vector 0–7, type 8–10, EV 11, V 31, error code 32–63.</summary>
public static class SvmEvent
{
    public const ulong TypeException = 3UL << 8;
    public const ulong ErrorCodeValid = 1UL << 11;
    public const ulong Valid = 1UL << 31;

    public const byte VectorUd = 6, VectorGp = 13;

    public static ulong Exception(byte vector) => Valid | TypeException | vector;

    public static ulong Exception(byte vector, uint errorCode) =>
        Valid | TypeException | ErrorCodeValid | vector | ((ulong)errorCode << 32);
}

/// <summary>Architectural register bits the exit handlers use.</summary>
public static class X86Bits
{
    public const ulong Cr0Pe = 1UL << 0, Cr0Mp = 1UL << 1, Cr0Et = 1UL << 4, Cr0Ne = 1UL << 5, Cr0Wp = 1UL << 16, Cr0Pg = 1UL << 31;
    public const ulong Cr4Pse = 1UL << 4, Cr4Pae = 1UL << 5, Cr4Osfxsr = 1UL << 9, Cr4Osxmmexcpt = 1UL << 10;
    public const ulong Cr4La57 = 1UL << 12, Cr4Smap = 1UL << 21;
    public const ulong EferSce = 1UL << 0, EferLme = 1UL << 8, EferLma = 1UL << 10, EferNxe = 1UL << 11;
    public const ulong EferSvme = 1UL << 12;
    public const ulong RflagsFixed = 1UL << 1, RflagsIf = 1UL << 9, RflagsRf = 1UL << 16, RflagsAc = 1UL << 18;
}

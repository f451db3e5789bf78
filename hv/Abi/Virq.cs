namespace XenLite.Hv.Abi;

/// <summary>
/// Virtual IRQ numbers (public xen.h, VIRQ_*). Per-vCPU ("V"), global ("G") or per-domain ("D")
/// as Xen's comments mark them.
/// </summary>
public static class Virq
{
    public const int Timer = 0;      // V
    public const int Debug = 1;      // V
    public const int Console = 2;    // G
    public const int DomExc = 3;     // G
    public const int Tbuf = 4;       // G
    public const int Debugger = 6;   // G
    public const int Xenoprof = 7;   // V
    public const int ConRing = 8;    // G
    public const int PcpuState = 9;  // G
    public const int MemEvent = 10;  // G
    public const int Argo = 11;      // D
    public const int Enomem = 12;    // G
    public const int Xenpmu = 13;    // V

    // Architecture-specific range VIRQ_ARCH_0..7.
    public const int Arch0 = 16;
    public const int Arch1 = 17;
    public const int Arch2 = 18;
    public const int Arch3 = 19;
    public const int Arch4 = 20;
    public const int Arch5 = 21;
    public const int Arch6 = 22;
    public const int Arch7 = 23;
    /// <summary>x86 VIRQ_MCA (arch-x86/xen-mca.h), global, dom0 only.</summary>
    public const int Mca = Arch0;

    public const int NrVirqs = 24;
}

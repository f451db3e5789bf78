namespace XenLite.Hv.Arch.Arm64;

/// <summary>
/// The emulated distributor's per-domain state for the shared interrupts we offer (SPIs 32–63:
/// TYPER.ITLinesNumber = 1). SPIs are delivered to vCPU 0.
/// </summary>
public sealed class VgicDist
{
    public const int Spis = 32, FirstSpi = 32, Lines = 64;

    public readonly int Version;
    public uint Ctlr;
    public uint Enabled, Pending, Group;
    public readonly byte[] Priority = new byte[Spis];
    public readonly byte[] Targets = new byte[Spis];
    public readonly uint[] Config = new uint[2];
    public readonly ulong[] Router = new ulong[Spis];

    public VgicDist(int version) => Version = version;

    /// <summary>Forwarding to the CPU interfaces is on (GICv2 EnableGrp0/1, GICv3 EnableGrp1).</summary>
    public bool Forwarding => (Ctlr & 3) != 0;
}

/// <summary>
/// One vCPU's banked interrupts (SGIs and PPIs 0–31), which INTIDs sit in a list register, and
/// the virtual CPU interface state kept while another vCPU is loaded.
/// </summary>
public sealed class VgicCpu
{
    public const int MaxListRegisters = 16;
    public const byte DefaultPriority = 0xA0;

    public uint Enabled, Pending, Group;
    public uint Config1 = 0xAAAA_AAAA;   // PPIs level-sensitive unless the guest says otherwise (ICFGR1)
    public readonly byte[] Priority = new byte[32];
    /// <summary>INTID in each list register, -1 when free.</summary>
    public readonly int[] LrIntid = new int[MaxListRegisters];
    /// <summary>List registers as saved when the vCPU was switched out.</summary>
    public readonly ulong[] LrSaved = new ulong[MaxListRegisters];
    /// <summary>INTIDs 0–63 currently held by a list register.</summary>
    public ulong InLr;
    public ulong Vmcr, Apr;
    /// <summary>GICR_WAKER.ProcessorSleep (GICv3): set until the guest wakes its redistributor.</summary>
    public bool Asleep = true;

    public VgicCpu()
    {
        for (int i = 0; i < MaxListRegisters; i++) LrIntid[i] = -1;
        for (int i = 0; i < 32; i++) Priority[i] = DefaultPriority;
    }
}

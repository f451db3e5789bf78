namespace XenLite.Hv.Common.Domctl;

/// <summary>
/// What the toolstack sets on a domain through domctl, beyond what other parts own: the
/// controller's pause count, creation flags and label, debugging, time offset, I/O
/// permissions and per-vCPU affinity.
/// </summary>
public sealed class DomainControl
{
    /// <summary>Xen's controller_pause_count: createdomain leaves 1; the first unpause to 0 finishes creation.</summary>
    public int PauseCount;
    public bool CreationFinished = true;
    public bool DebuggerAttached;
    /// <summary>XEN_DOMCTL_settimeoffset: seconds added to the domain's wallclock (Xen's time_offset.seconds).</summary>
    public long TimeOffsetSeconds;
    public bool TimeOffsetSet;
    /// <summary>The security label given at createdomain.</summary>
    public uint Ssidref;
    /// <summary>XEN_DOMCTL_CDF_* the domain was created with.</summary>
    public uint CreateFlags;
    /// <summary>xen_arch_domainconfig as given (x86: 8 bytes, arm: 16), echoed by getdomaininfo.</summary>
    public readonly byte[] ArchConfig = new byte[16];

    /// <summary>I/O the domain may access (Xen's iomem_caps, irq_caps, arch.ioport_caps).</summary>
    public readonly RangeSet Iomem = new();
    public readonly RangeSet Irqs = new();
    public readonly RangeSet Ioports = new();
    bool _hardwareCapsGiven;

    /// <summary>Hard and soft affinity per vCPU, one bit per physical CPU.</summary>
    public readonly ulong[] HardAffinity;
    public readonly ulong[] SoftAffinity;

    public DomainControl(int vcpus)
    {
        HardAffinity = new ulong[vcpus];
        SoftAffinity = new ulong[vcpus];
        for (int i = 0; i < vcpus; i++) HardAffinity[i] = SoftAffinity[i] = ulong.MaxValue;
    }

    public bool Paused => PauseCount > 0;

    /// <summary>The hardware domain starts with access to every frame, IRQ and port (as Xen's dom0 setup grants).</summary>
    public void GiveHardwareCaps(Domain d)
    {
        if (_hardwareCapsGiven || !d.IsHardware) return;
        _hardwareCapsGiven = true;
        Iomem.Add(0, ulong.MaxValue);
        Irqs.Add(0, IoCaps.NrIrqs - 1);
        Ioports.Add(0, IoCaps.MaxIoports - 1);
    }
}

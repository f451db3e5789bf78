namespace XenLite.Hv.Common.DmOp;

/// <summary>
/// What a device model has told the hypervisor about its domain through dm_op: the PCI link
/// routes, one pending event injection per vCPU, and pinned cache attributes of gfn ranges.
/// </summary>
public sealed class DmState
{
    public const int MaxPinnedRanges = 16;

    /// <summary>XEN_DMOP_set_pci_link_route: ISA IRQ of PCI links A–D (0: disabled).</summary>
    public readonly byte[] PciLinkRoute = new byte[4];
    /// <summary>XEN_DMOP_inject_event: one pending event per vCPU until the arch code delivers it.</summary>
    public readonly bool[] EventPending;
    public readonly byte[] EventVector;
    public readonly byte[] EventType;
    public readonly uint[] EventErrorCode;
    /// <summary>XEN_DMOP_pin_memory_cacheattr: [start, end] gfn ranges and their PAT type.</summary>
    public readonly ulong[] PinStart = new ulong[MaxPinnedRanges];
    public readonly ulong[] PinEnd = new ulong[MaxPinnedRanges];
    public readonly uint[] PinType = new uint[MaxPinnedRanges];
    public int PinCount;

    public DmState(int vcpus)
    {
        EventPending = new bool[vcpus];
        EventVector = new byte[vcpus];
        EventType = new byte[vcpus];
        EventErrorCode = new uint[vcpus];
    }
}

namespace XenLite.Hv.Common.Physdev;

/// <summary>
/// A domain's physdev_op bookkeeping. XenLite's machine gives guests no interrupt sources
/// (no IO-APIC GSIs, no PCI devices, nr_irqs_gsi = 0), so a domain's PIRQs can only be
/// reserved (PHYSDEVOP_get_free_pirq), never bound to a machine IRQ.
/// </summary>
public sealed class PhysdevState
{
    /// <summary>Xen's extra_domU_pirqs default and the hardware domain's share (nr_pirqs with no GSIs).</summary>
    public const int DomUPirqs = 32;
    public const int HardwarePirqs = 256;

    /// <summary>PIRQs handed out by get_free_pirq (Xen's PIRQ_ALLOCATED), one bit each.</summary>
    public readonly ulong[] Allocated = new ulong[HardwarePirqs / 64];
    /// <summary>PHYSDEVOP_pirq_eoi_gmfn_v1/v2: the guest frame of the PIRQ EOI bitmap (set once), and v1's auto-unmask.</summary>
    public bool EoiMapSet;
    public ulong EoiMapGfn;
    public bool AutoUnmask;
    /// <summary>PV vCPUs: PHYSDEVOP_set_iopl and set_iobitmap.</summary>
    public readonly uint[] Iopl;
    public readonly ulong[] IoBitmap;
    public readonly uint[] IoBitmapPorts;

    public PhysdevState(int vcpus)
    {
        Iopl = new uint[vcpus];
        IoBitmap = new ulong[vcpus];
        IoBitmapPorts = new uint[vcpus];
    }

    public static int NrPirqs(Domain d) => d.IsHardware ? HardwarePirqs : DomUPirqs;

    public bool IsAllocated(int pirq) => (Allocated[pirq >> 6] & (1UL << (pirq & 63))) != 0;

    /// <summary>Xen's get_free_pirq with no GSIs: the highest free PIRQ, or -1.</summary>
    public int AllocateHighest(int nrPirqs)
    {
        for (int p = nrPirqs - 1; p >= 0; p--)
        {
            if (IsAllocated(p)) continue;
            Allocated[p >> 6] |= 1UL << (p & 63);
            return p;
        }
        return -1;
    }
}

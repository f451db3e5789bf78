using XenLite.Hv.Abi;

namespace XenLite.Hv.Common.Sched;

/// <summary>
/// SCHEDOP_pin_override: the hardware domain pins its current vCPU to one pCPU for a while
/// (Xen's vcpu_temporary_affinity with VCPU_AFFINITY_OVERRIDE); a negative pCPU ends the pinning.
/// </summary>
public static class PinOverride
{
    /// <summary>Xen's VCPU_AFFINITY_OVERRIDE bit of affinity_broken.</summary>
    public const byte AffinityOverride = 1;

    /// <summary>CPUs the scheduler can use (Xen's nr_cpu_ids). Only the boot CPU runs guests so far.</summary>
    public const int OnlineCpus = 1;

    /// <summary>NR_CPUS of the image for the guest's architecture (Xen's Kconfig defaults: x86 256, arm 128).</summary>
    public static int NrCpus(Domain d) => d.Mode == GuestMode.Arm ? 128 : 256;

    public static long Apply(Vcpu v, int pcpu)
    {
        if (pcpu >= NrCpus(v.Domain)) return -Errno.EINVAL;
        if (pcpu < 0) return Release(v);
        if (pcpu >= OnlineCpus) return -Errno.EINVAL;
        if ((v.AffinityBroken & AffinityOverride) != 0) return -Errno.EBUSY;
        v.AffinityBroken |= AffinityOverride;
        v.TemporaryCpu = pcpu;
        return 0;
    }

    /// <summary>Ending a pinning that is not in force is -EINVAL.</summary>
    static long Release(Vcpu v)
    {
        if ((v.AffinityBroken & AffinityOverride) == 0) return -Errno.EINVAL;
        v.AffinityBroken &= unchecked((byte)~AffinityOverride);
        return 0;
    }
}

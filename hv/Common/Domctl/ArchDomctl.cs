using XenLite.Hv.Abi;
using XenLite.Hv.Common.Memory;

namespace XenLite.Hv.Common.Domctl;

/// <summary>The arch domctls: hypercall_init (x86) and set/get_address_size.</summary>
public static class ArchDomctl
{
    /// <summary>
    /// XEN_DOMCTL_hypercall_init: fill guest frame gmfn of d with hypercall stubs. -EINVAL when d
    /// has no such frame of its own. HVM domains get the SVM stubs (HypercallPageWriter); the PV
    /// stubs are not written yet (-EOPNOTSUPP). arm has no hypercall page (-ENOSYS).
    /// </summary>
    public static long HypercallInit(Vcpu caller, Domain d, ulong gmfn)
    {
        if (caller.Mode == GuestMode.Arm) return -Errno.ENOSYS;
        Mfn mfn = d.P2m.Lookup(new Gfn(gmfn));
        if (!mfn.IsValid || d.P2m.TypeOf(new Gfn(gmfn)) != P2mType.RamRw || d.Hv.Memory.OwnerOf(mfn) != d.Id) return -Errno.EINVAL;
        if (!GuestModes.IsHvm(d.Mode)) return -Errno.EOPNOTSUPP;
        // The frame is guest-physical: the writer reaches it through the p2m, whatever the target vCPU's paging.
        return Arch.X86.HypercallPageWriter.Install(d.Vcpus[0], gmfn << Page.Shift) ? 0 : -Errno.EINVAL;
    }

    /// <summary>
    /// x86: HVM has no address size (-EOPNOTSUPP); PV 64 stays 64; PV 32 would need an empty
    /// domain (-EACCES once it has memory) and XenLite cannot switch a domain's width (-EOPNOTSUPP).
    /// arm: 64 is what our vCPUs run; 32 is refused as on a CPU without AArch32 EL1.
    /// </summary>
    public static long SetAddressSize(Vcpu caller, Domain d, uint size)
    {
        if (caller.Mode == GuestMode.Arm)
            return size == 64 ? 0 : -Errno.EINVAL;
        if (!GuestModes.IsPv(d.Mode)) return -Errno.EOPNOTSUPP;
        bool is32 = d.Mode == GuestMode.Pv32;
        if ((size == 64 && !is32) || (size == 32 && is32)) return 0;
        if (size != 32) return -Errno.EINVAL;
        if (d.TotPages != 0) return -Errno.EACCES;
        return -Errno.EOPNOTSUPP;
    }

    /// <summary>x86 PV: 32 or 64; HVM: -EOPNOTSUPP; arm: -ENOSYS (Xen's arm handles only the set).</summary>
    public static long GetAddressSize(Vcpu caller, Domain d, out uint size)
    {
        size = 0;
        if (caller.Mode == GuestMode.Arm) return -Errno.ENOSYS;
        if (!GuestModes.IsPv(d.Mode)) return -Errno.EOPNOTSUPP;
        size = d.Mode == GuestMode.Pv32 ? 32u : 64u;
        return 0;
    }
}

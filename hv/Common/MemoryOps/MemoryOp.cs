using XenLite.Hv.Abi;
using XenLite.Hv.Common.Memory;
using XenLite.Hv.Dispatch;

namespace XenLite.Hv.Common.MemoryOps;

/// <summary>
/// memory_op (12): memory_op(cmd, arg). The low 6 bits of cmd are the sub-op; the rest is the
/// extent to start from when a long operation continues (Xen's MEMOP_EXTENT_SHIFT).
/// Sub-ops not listed answer -ENOSYS: machphys_mfn_list, machphys_compat_mfn_list,
/// machphys_mapping, set/get_pod_target, get_sharing_freed/shared_pages, paging_op,
/// access_op, sharing_op, get_vnumainfo, reserved_device_memory_map.
/// </summary>
public static class MemoryOp
{
    public static long Handle(Vcpu v, ref HypercallArgs a) => Op(v, a[0], a[1], false);

    public static long HandleCompat(Vcpu v, ref HypercallArgs a) => Op(v, a[0], a[1], true);

    /// <summary>Xen's hvm_memory_op: no machphys mapping for HVM; 32-bit HVM callers use the compat layouts.</summary>
    public static long HandleHvm(Vcpu v, ref HypercallArgs a)
    {
        if ((a[0] & XenMem.CmdMask) == XenMem.MachphysMapping) return -Errno.ENOSYS;
        return Op(v, a[0], a[1], GuestModes.Is32Bit(v.Mode));
    }

    static long Op(Vcpu v, ulong cmd, ulong arg, bool compat)
    {
        ulong start = cmd >> XenMem.ExtentShift;
        int op = (int)(cmd & XenMem.CmdMask);
        bool x86 = v.Mode != GuestMode.Arm;
        switch (op)
        {
            case XenMem.IncreaseReservation:
            case XenMem.DecreaseReservation:
            case XenMem.PopulatePhysmap:
                return Reservation.Handle(v, op, start, arg, compat);
            case XenMem.Exchange:
                if (start != 0) return -Errno.EINVAL;
                return Exchange.Handle(v, arg, compat);
            case XenMem.MaximumRamPage:
                if (start != 0) return -Errno.EINVAL;
                return (long)v.Hv.Memory.MaxPage;
            case XenMem.CurrentReservation:
            case XenMem.MaximumReservation:
            case XenMem.MaximumGpfn:
                if (start != 0) return -Errno.EINVAL;
                return DomainStat(v, op, arg);
            case XenMem.AddToPhysmap:
                return PhysmapOps.AddToPhysmap(v, start, arg, compat);
            case XenMem.AddToPhysmapBatch:
                return PhysmapOps.AddToPhysmapBatch(v, start, arg, compat);
            case XenMem.RemoveFromPhysmap:
                if (start != 0) return -Errno.EINVAL;
                return PhysmapOps.RemoveFromPhysmap(v, arg, compat);
            case XenMem.ClaimPages:
                if (start != 0) return -Errno.EINVAL;
                return Reservation.Claim(v, arg, compat);
            case XenMem.AcquireResource:
                return AcquireResource.Handle(v, start, arg, compat);
            case XenMem.MemoryMap:
                if (!x86) return -Errno.ENOSYS;
                return MemoryMaps.Get(v, cmd, arg, compat);
            case XenMem.MachineMemoryMap:
                if (!x86) return -Errno.ENOSYS;
                return MemoryMaps.Machine(v, cmd, arg, compat);
            case XenMem.SetMemoryMap:
                if (!x86) return -Errno.ENOSYS;
                return MemoryMaps.Set(v, cmd, arg, compat);
            default:
                return -Errno.ENOSYS;
        }
    }

    /// <summary>current_reservation, maximum_reservation, maximum_gpfn: a count or frame as the return value.</summary>
    static long DomainStat(Vcpu v, int op, ulong arg)
    {
        if (GuestMemory.Read(v, arg, out XenMemoryDomain md) != 0) return -Errno.EFAULT;
        Domain d = v.Hv.LookupOrSelf(v, md.DomId);
        if (d == null) return -Errno.ESRCH;
        int rc = v.Hv.Xsm.MemoryStatReservation(v.Domain, d);
        if (rc != 0) return rc;
        return op switch
        {
            XenMem.CurrentReservation => (long)d.TotPages,
            XenMem.MaximumReservation => (long)d.MaxPages,
            _ => (long)d.P2m.MaxMappedGfn,
        };
    }

    /// <summary>Asks for memory_op to be re-executed with <paramref name="op"/> and <paramref name="start"/> encoded in cmd.</summary>
    internal static long Continue(Vcpu v, int op, ulong start, ulong arg)
    {
        var args = HypercallArgs.Of((ulong)(uint)op | (start << XenMem.ExtentShift), arg);
        return Continuation.Create(v, HypercallNumber.MemoryOp, in args);
    }
}

using XenLite.Hv.Abi;
using XenLite.Hv.Common.Memory;

namespace XenLite.Hv.Common.XenVersion;

/// <summary>
/// XENVER_get_features: the XENFEAT_* bits of submap 0, which depend on the calling domain's
/// kind (PV, HVM, arm) and role. There is only one submap; any other index is -EINVAL.
/// </summary>
internal static class GuestFeatures
{
    public static long Handle(Vcpu v, ulong arg)
    {
        if (GuestMemory.Read(v, arg, out XenFeatureInfo fi) != 0) return -Errno.EFAULT;
        if (fi.SubmapIdx != 0) return -Errno.EINVAL;
        fi.Submap = Submap0(v.Domain);
        return GuestMemory.Write(v, arg, fi) != 0 ? -Errno.EFAULT : 0;
    }

    public static uint Submap0(Domain d)
    {
        bool arm = d.Mode == GuestMode.Arm;
        bool pv = GuestModes.IsPv(d.Mode);
        // HVM and arm guests have their physical address space translated by the hypervisor.
        bool translated = !pv;

        uint map = Bit(XenFeat.MemoryOpVnodeSupported) | Bit(XenFeat.RunstatePhysArea);
        if (!arm) map |= Bit(XenFeat.VcpuTimePhysArea);
        if ((d.VmAssist & (1UL << VmAssistType.PaeExtendedCr3)) != 0) map |= Bit(XenFeat.PaePgdirAbove4gb);
        if (translated) map |= Bit(XenFeat.WritablePageTables) | Bit(XenFeat.AutoTranslatedPhysmap);
        if (d.IsHardware) map |= Bit(XenFeat.Dom0);
        if (arm)
        {
            map |= Bit(XenFeat.ArmSmcccSupported);
        }
        else
        {
            // No HVM domain here has emulated PIRQs (PVH-style), so XENFEAT_hvm_pirqs stays clear.
            map |= pv
                ? Bit(XenFeat.MmuPtUpdatePreserveAd) | Bit(XenFeat.HighmemAssist) | Bit(XenFeat.GnttabMapAvailBits)
                : Bit(XenFeat.HvmSafePvclock) | Bit(XenFeat.HvmCallbackVector);
            map |= Bit(XenFeat.DmMsixAllWrites);
        }
        // PV guests see machine frames; translated guests here never get a 1:1 p2m.
        map |= translated ? Bit(XenFeat.NotDirectMapped) : Bit(XenFeat.DirectMapped);
        return map;
    }

    static uint Bit(int n) => 1U << n;
}

using XenLite.Hv.Abi;
using XenLite.Hv.Common.Memory;

namespace XenLite.Hv.Common.XenVersion;

/// <summary>
/// XENVER_platform_parameters: where the hypervisor's part of a PV guest's address space
/// starts. Only PV guests share page tables with Xen; everyone else gets 0. 32-bit callers
/// get the compat layout (a 32-bit virt_start), others a xen_ulong_t.
/// </summary>
internal static class PlatformParameters
{
    /// <summary>HYPERVISOR_VIRT_START of x86_64 PV guests (what a release build of Xen reports).</summary>
    const ulong VirtStart64 = 0xFFFF_8000_0000_0000;
    /// <summary>__HYPERVISOR_COMPAT_VIRT_START: the default split of 32-bit PV guests.</summary>
    const uint CompatVirtStart = 0xF580_0000;

    public static long Write(Vcpu v, ulong arg)
    {
        bool pv = GuestModes.IsPv(v.Mode);
        int rc = GuestModes.Is32Bit(v.Mode)
            ? GuestMemory.Write(v, arg, new XenPlatformParametersCompat { VirtStart = pv ? CompatVirtStart : 0 })
            : GuestMemory.Write(v, arg, new XenPlatformParameters { VirtStart = pv ? VirtStart64 : 0 });
        return rc != 0 ? -Errno.EFAULT : 0;
    }
}

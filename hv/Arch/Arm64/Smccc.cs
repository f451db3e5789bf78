using XenLite.Hv.Common;

namespace XenLite.Hv.Arch.Arm64;

/// <summary>
/// SMC Calling Convention calls from guests, over SMC #0 or HVC #0 (Xen's vsmccc_handle_call):
/// the Arm architecture service (SMCCC_VERSION 1.2, ARCH_FEATURES with no workarounds offered)
/// and PSCI in the standard service range. Anything else answers NOT_SUPPORTED (-1) in x0.
/// </summary>
public static class Smccc
{
    public const uint VersionFid = 0x8000_0000, ArchFeaturesFid = 0x8000_0001;
    public const int Version12 = 0x1_0002, NotSupported = -1;

    /// <summary>Handles the call in x0; the caller has checked the immediate is 0.</summary>
    public static void Call(Arm64Host host, Vcpu v)
    {
        uint fid = (uint)v.Regs[0];
        switch (fid)
        {
            case VersionFid: v.Regs[0] = Version12; return;
            case ArchFeaturesFid: v.Regs[0] = unchecked((ulong)(long)NotSupported); return;
        }
        if (Psci.Call(host, v, fid)) return;
        v.Regs[0] = unchecked((ulong)(long)NotSupported);
    }
}

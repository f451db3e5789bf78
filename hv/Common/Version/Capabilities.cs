using XenLite.Hv.Abi;

namespace XenLite.Hv.Common.XenVersion;

/// <summary>
/// XENVER_capabilities: the guest ABIs this hypervisor runs, in the order and form Xen builds
/// its xen_cap_info at boot (each name followed by a space). An x86 build runs 64- and 32-bit
/// PV and HVM guests; an arm64 build AArch64 guests and, where the CPU has AArch32, armv7l.
/// </summary>
internal static class Capabilities
{
    const string X86 = "xen-3.0-x86_64 xen-3.0-x86_32p hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64 ";
    const string Arm = "xen-3.0-aarch64 xen-3.0-armv7l ";

    /// <summary>The list of the architecture <paramref name="d"/> runs on (hosted, both exist side by side).</summary>
    public static string For(Domain d) => d.Mode == GuestMode.Arm ? Arm : X86;
}

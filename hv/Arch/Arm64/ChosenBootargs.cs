namespace XenLite.Hv.Arch.Arm64;

/// <summary>
/// Whose command line each string of the host's /chosen node is, by Xen's rules for the device
/// tree a boot loader hands it (docs/misc/arm/device-tree/booting.txt, "Command lines"):
/// <c>xen,xen-bootargs</c> is the hypervisor's and <c>xen,dom0-bootargs</c> dom0's; plain
/// <c>bootargs</c> is the hypervisor's unless <c>xen,xen-bootargs</c> is given, and then dom0's
/// when it has no <c>xen,dom0-bootargs</c>. One difference from Xen: with neither xen,* property,
/// Xen hands <c>bootargs</c> to dom0 and takes no options itself; here they stay the hypervisor's
/// (QEMU <c>-append</c> is how our hypervisor is given its options) and dom0 has no command line.
/// A dom0 kernel with bootargs of its own (an embedded privileged module) keeps them.
/// Strings are NUL-terminated with their length excluding the NUL; null when absent.
/// </summary>
public sealed unsafe class ChosenBootargs
{
    public byte* Bootargs;
    public int BootargsLength;
    public byte* XenBootargs;
    public int XenBootargsLength;
    public byte* Dom0Bootargs;
    public int Dom0BootargsLength;

    /// <summary>The hypervisor's command line: xen,xen-bootargs, else bootargs (null and 0 when neither).</summary>
    public byte* Hypervisor(out int length)
    {
        if (XenBootargs != null)
        {
            length = XenBootargsLength;
            return XenBootargs;
        }
        length = Bootargs != null ? BootargsLength : 0;
        return Bootargs;
    }

    /// <summary>Dom0's command line: xen,dom0-bootargs, else bootargs when the hypervisor took xen,xen-bootargs, else none.</summary>
    public byte* Dom0(out int length)
    {
        if (Dom0Bootargs != null)
        {
            length = Dom0BootargsLength;
            return Dom0Bootargs;
        }
        if (XenBootargs != null && Bootargs != null)
        {
            length = BootargsLength;
            return Bootargs;
        }
        length = 0;
        return null;
    }

    /// <summary>Gives <paramref name="dom0"/> dom0's command line unless its kernel came with one.</summary>
    public void ApplyTo(Arm64GuestSpec dom0)
    {
        if (dom0 == null || (dom0.Bootargs != null && dom0.BootargsLength > 0)) return;
        dom0.Bootargs = Dom0(out dom0.BootargsLength);
    }
}

namespace XenLite.Hv.Arch.Arm64;

/// <summary>A blob handed over by the boot loader (bytes in hypervisor memory).</summary>
public unsafe struct Arm64Blob
{
    public byte* Data;
    public ulong Length;
}

/// <summary>
/// A guest to build, as the image found it: the initrd (initial domain) or a dom0less
/// /chosen/domU* node (compatible "xen,domain": memory, cpus, vpl011, multiboot modules).
/// </summary>
public sealed unsafe class Arm64GuestSpec
{
    /// <summary>How the console names it: "initrd" or the node name.</summary>
    public byte* Name;
    public int NameLength;
    public Arm64Blob Kernel;
    public Arm64Blob Ramdisk;
    /// <summary>A multiboot,device-tree module (partial device tree), if given.</summary>
    public Arm64Blob DeviceTree;
    /// <summary>An embedded guest's image-config label (its security label under Flask); null otherwise.</summary>
    public byte* Label;
    public int LabelLength;
    public byte* Bootargs;
    public int BootargsLength;
    /// <summary>RAM in KiB; 0 = the default.</summary>
    public ulong MemoryKiB;
    public int Cpus = 1;
    public bool Vpl011;
    /// <summary>The host PCI bridge this guest owns: only the hardware domain may (see <see cref="HardwareDomainPci"/>).</summary>
    public HostPci Pci;
    /// <summary>Why the node cannot be built (from the device-tree reader), or null.</summary>
    public string Problem;
}

namespace XenLite.Hv.Common.Loader;

/// <summary>A boot module for a domain (an initrd, say): bytes in hypervisor memory and its own command line.</summary>
public unsafe struct BootModule
{
    public byte* Data;
    public ulong Length;
    /// <summary>Optional; the builder adds the NUL.</summary>
    public byte* Cmdline;
    public ulong CmdlineLength;
}

/// <summary>What the vCPU needs to start a PVH guest: EIP and EBX (hvm_start_info's address).</summary>
public struct PvhBoot
{
    public uint Entry;
    public ulong StartInfoGpa;
}

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

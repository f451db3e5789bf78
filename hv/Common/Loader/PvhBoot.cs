namespace XenLite.Hv.Common.Loader;

/// <summary>What the vCPU needs to start a PVH guest: EIP and EBX (hvm_start_info's address).</summary>
public struct PvhBoot
{
    public uint Entry;
    public ulong StartInfoGpa;
}

namespace XenLite.Hv.Abi;

/// <summary>Feature bit numbers reported by XENVER_get_features (public features.h, XENFEAT_*).</summary>
public static class XenFeat
{
    public const int WritablePageTables = 0;
    public const int WritableDescriptorTables = 1;
    public const int AutoTranslatedPhysmap = 2;
    public const int SupervisorModeKernel = 3;
    public const int PaePgdirAbove4gb = 4;
    public const int MmuPtUpdatePreserveAd = 5;
    public const int HighmemAssist = 6;
    public const int GnttabMapAvailBits = 7;
    public const int HvmCallbackVector = 8;
    public const int HvmSafePvclock = 9;
    public const int HvmPirqs = 10;
    public const int Dom0 = 11;
    // 12 was XENFEAT_grant_map_identity, retired (commented out in features.h): never report it.
    public const int MemoryOpVnodeSupported = 13;
    public const int ArmSmcccSupported = 14;
    public const int LinuxRsdpUnrestricted = 15;
    public const int NotDirectMapped = 16;
    public const int DirectMapped = 17;
    public const int RunstatePhysArea = 18;
    public const int VcpuTimePhysArea = 19;
    public const int DmMsixAllWrites = 20;

    /// <summary>XENFEAT_NR_SUBMAPS: how many 32-bit submaps exist (valid submap_idx values).</summary>
    public const int NrSubmaps = 1;
}

namespace XenLite.Hv.Abi;

/// <summary>vm_assist commands (public xen.h, VMASST_CMD_*).</summary>
public static class VmAssistCmd
{
    public const int Enable = 0;
    public const int Disable = 1;
}

/// <summary>vm_assist types (public xen.h, VMASST_TYPE_*): bit numbers in a domain's assist mask.</summary>
public static class VmAssistType
{
    public const int FourGbSegments = 0;        // x86/32 PV only
    public const int FourGbSegmentsNotify = 1;  // x86/32 PV only
    public const int WritablePagetables = 2;
    public const int PaeExtendedCr3 = 3;
    public const int ArchitecturalIopl = 4;
    public const int RunstateUpdateFlag = 5;
    public const int M2pStrict = 32;            // x86/64 PV only; beyond a 32-bit mask

    /// <summary>MAX_VMASST_TYPE: the old limit, defined only for interface versions before 4.6.</summary>
    public const int MaxVmasstType = 3;
}

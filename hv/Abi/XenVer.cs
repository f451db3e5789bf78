namespace XenLite.Hv.Abi;

/// <summary>xen_version sub-ops and buffer sizes (public version.h, XENVER_*).</summary>
public static class XenVer
{
    public const int Version = 0;             // returns major << 16 | minor
    public const int Extraversion = 1;        // xen_extraversion_t
    public const int CompileInfo = 2;         // xen_compile_info_t
    public const int Capabilities = 3;        // xen_capabilities_info_t
    public const int Changeset = 4;           // xen_changeset_info_t
    public const int PlatformParameters = 5;  // xen_platform_parameters_t
    public const int GetFeatures = 6;         // xen_feature_info_t
    public const int Pagesize = 7;            // returns the page size
    public const int GuestHandle = 8;         // xen_domain_handle_t
    public const int Commandline = 9;         // xen_commandline_t
    public const int BuildId = 10;            // xen_varbuf_t (xen_build_id_t)
    // Non-truncating variants of 1, 3, 4 and 9: arg is a xen_varbuf_t, NULL asks for the size.
    public const int Extraversion2 = 11;
    public const int Capabilities2 = 12;
    public const int Changeset2 = 13;
    public const int Commandline2 = 14;

    public const int ExtraversionLen = 16;     // XEN_EXTRAVERSION_LEN
    public const int CapabilitiesInfoLen = 1024; // XEN_CAPABILITIES_INFO_LEN
    public const int ChangesetInfoLen = 64;    // XEN_CHANGESET_INFO_LEN
    public const int CommandlineLen = 1024;    // sizeof(xen_commandline_t)
    public const int DomainHandleLen = 16;     // sizeof(xen_domain_handle_t)
}

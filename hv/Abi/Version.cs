using System.Runtime.InteropServices;

namespace XenLite.Hv.Abi;

// Argument layouts of the xen_version sub-ops (public version.h). Text buffers are C chars:
// NUL-terminated (or truncated) ASCII.

/// <summary>xen_extraversion_t (XENVER_extraversion).</summary>
[StructLayout(LayoutKind.Explicit, Size = XenVer.ExtraversionLen)]
public unsafe struct XenExtraversion
{
    [FieldOffset(0)] public fixed byte Text[XenVer.ExtraversionLen];
}

/// <summary>xen_compile_info_t (XENVER_compile_info).</summary>
[StructLayout(LayoutKind.Explicit, Size = 144)]
public unsafe struct XenCompileInfo
{
    [FieldOffset(0)] public fixed byte Compiler[64];
    [FieldOffset(64)] public fixed byte CompileBy[16];
    [FieldOffset(80)] public fixed byte CompileDomain[32];
    [FieldOffset(112)] public fixed byte CompileDate[32];
}

/// <summary>xen_capabilities_info_t (XENVER_capabilities).</summary>
[StructLayout(LayoutKind.Explicit, Size = XenVer.CapabilitiesInfoLen)]
public unsafe struct XenCapabilitiesInfo
{
    [FieldOffset(0)] public fixed byte Text[XenVer.CapabilitiesInfoLen];
}

/// <summary>xen_changeset_info_t (XENVER_changeset).</summary>
[StructLayout(LayoutKind.Explicit, Size = XenVer.ChangesetInfoLen)]
public unsafe struct XenChangesetInfo
{
    [FieldOffset(0)] public fixed byte Text[XenVer.ChangesetInfoLen];
}

/// <summary>xen_commandline_t (XENVER_commandline).</summary>
[StructLayout(LayoutKind.Explicit, Size = XenVer.CommandlineLen)]
public unsafe struct XenCommandline
{
    [FieldOffset(0)] public fixed byte Text[XenVer.CommandlineLen];
}

/// <summary>xen_domain_handle_t (XENVER_guest_handle): the domain's UUID bytes.</summary>
[StructLayout(LayoutKind.Explicit, Size = XenVer.DomainHandleLen)]
public unsafe struct XenDomainHandle
{
    [FieldOffset(0)] public fixed byte Bytes[XenVer.DomainHandleLen];
}

/// <summary>xen_platform_parameters_t for 64-bit callers (x86_64, arm64: xen_ulong_t is 64-bit).</summary>
[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct XenPlatformParameters
{
    [FieldOffset(0)] public ulong VirtStart;
}

/// <summary>xen_platform_parameters_t for 32-bit x86 callers (compat).</summary>
[StructLayout(LayoutKind.Explicit, Size = 4)]
public struct XenPlatformParametersCompat
{
    [FieldOffset(0)] public uint VirtStart;
}

/// <summary>xen_feature_info_t (XENVER_get_features); same on every arch.</summary>
[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct XenFeatureInfo
{
    [FieldOffset(0)] public uint SubmapIdx; // IN
    [FieldOffset(4)] public uint Submap;    // OUT
}

/// <summary>
/// xen_varbuf_t header (XENVER_build_id and the *2 sub-ops): the buffer's length, followed by
/// the buffer itself at <see cref="BufOffset"/> (a C flexible array, so not a field here).
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 4)]
public struct XenVarbuf
{
    public const int BufOffset = 4;

    [FieldOffset(0)] public uint Len; // IN: size of the buffer in bytes
}

/// <summary>xen_build_id_t: the older name of the same layout as <see cref="XenVarbuf"/>.</summary>
[StructLayout(LayoutKind.Explicit, Size = 4)]
public struct XenBuildId
{
    public const int BufOffset = 4;

    [FieldOffset(0)] public uint Len;
}

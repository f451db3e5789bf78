using System.Runtime.InteropServices;

namespace XenLite.Flask;

/// <summary>Numbers of public/xsm/flask_op.h (the xsm_op argument) and the limits of xsm/flask/flask_op.c.</summary>
public static class FlaskOpAbi
{
    public const uint InterfaceVersion = 1;

    public const uint Load = 1;
    public const uint GetEnforce = 2;
    public const uint SetEnforce = 3;
    public const uint ContextToSid = 4;
    public const uint SidToContext = 5;
    public const uint Access = 6;
    public const uint Create = 7;
    public const uint Relabel = 8;
    /// <summary>No longer implemented by Xen either.</summary>
    public const uint User = 9;
    public const uint PolicyVers = 10;
    public const uint GetBool = 11;
    public const uint SetBool = 12;
    public const uint CommitBools = 13;
    public const uint Mls = 14;
    /// <summary>No longer implemented by Xen either.</summary>
    public const uint Disable = 15;
    public const uint GetAvcThreshold = 16;
    public const uint SetAvcThreshold = 17;
    public const uint AvcHashStats = 18;
    public const uint AvcCacheStats = 19;
    public const uint Member = 20;
    public const uint AddOcontext = 21;
    public const uint DelOcontext = 22;
    public const uint GetPeerSid = 23;
    public const uint RelabelDomain = 24;
    public const uint DevicetreeLabel = 25;

    /// <summary>Sub-ops whose struct goes back to the guest on success (Xen's FLASK_COPY_OUT).</summary>
    public static bool CopiesOut(uint cmd) => cmd switch
    {
        ContextToSid or SidToContext or Access or Create or Relabel or User or GetBool or SetBool
            or AvcHashStats or AvcCacheStats or Member or GetPeerSid => true,
        _ => false,
    };

    /// <summary>MAX_POLICY_SIZE: the largest blob FLASK_LOAD reads.</summary>
    public const uint MaxPolicySize = 0x4000000;
    /// <summary>Strings (contexts, boolean names, device-tree paths) are read up to a page (safe_copy_string_from_guest).</summary>
    public const uint MaxString = 4096;
    /// <summary>POLICYDB_VERSION_MAX (POLICYDB_VERSION_XEN_DEVICETREE): what FLASK_POLICYVERS answers.</summary>
    public const int PolicyDbVersionMax = 30;
    /// <summary>AVC_DEF_CACHE_THRESHOLD and AVC_CACHE_SLOTS of avc.c.</summary>
    public const uint AvcDefaultThreshold = 512;
    public const uint AvcCacheSlots = 512;
    /// <summary>bool_id asking for lookup by name.</summary>
    public const uint BoolByName = 0xFFFFFFFF;

    /// <summary>The 32-bit layout differs only where a sub-op holds a guest handle (4 bytes instead of 8).</summary>
    public static void Widen(in FlaskOpCompat c, out FlaskOp op)
    {
        op = default;
        op.Cmd = c.Cmd;
        op.InterfaceVersion = c.InterfaceVersion;
        op.Raw = c.Raw;
        switch (c.Cmd)
        {
            case Load: op.LoadBuffer = c.LoadBuffer; op.LoadSize = c.LoadSize; break;
            case ContextToSid: case SidToContext: op.SidContextSid = c.SidContextSid; op.SidContextSize = c.SidContextSize; op.SidContextContext = c.SidContextContext; break;
            case GetBool: case SetBool: op.BoolId = c.BoolId; op.BoolEnforcing = c.BoolEnforcing; op.BoolPending = c.BoolPending; op.BoolNewValue = c.BoolNewValue; op.BoolCommit = c.BoolCommit; op.BoolSize = c.BoolSize; op.BoolName = c.BoolName; break;
            case DevicetreeLabel: op.DtSid = c.DtSid; op.DtLength = c.DtLength; op.DtPath = c.DtPath; break;
        }
    }

    /// <summary>The compat struct a 32-bit guest gets back; handles keep the value it passed in.</summary>
    public static void Narrow(in FlaskOp op, ref FlaskOpCompat c)
    {
        switch (op.Cmd)
        {
            case ContextToSid: case SidToContext: c.SidContextSid = op.SidContextSid; c.SidContextSize = op.SidContextSize; break;
            case GetBool: case SetBool: c.BoolId = op.BoolId; c.BoolEnforcing = op.BoolEnforcing; c.BoolPending = op.BoolPending; c.BoolSize = op.BoolSize; break;
            default: c.Raw = op.Raw; break;
        }
    }
}

/// <summary>32 bytes: the union of xen_flask_op, copied as a whole where both layouts agree.</summary>
[StructLayout(LayoutKind.Sequential, Size = 32)]
public struct FlaskOpUnion
{
    public ulong A, B, C, D;
}

/// <summary>
/// xen_flask_op_t for 64-bit guests and arm (handles are 8 bytes): cmd, interface_version and the
/// union at offset 8, each sub-op's fields named after its struct.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 40)]
public struct FlaskOp
{
    [FieldOffset(0)] public uint Cmd;
    [FieldOffset(4)] public uint InterfaceVersion;
    [FieldOffset(8)] public FlaskOpUnion Raw;

    // xen_flask_load
    [FieldOffset(8)] public ulong LoadBuffer;
    [FieldOffset(16)] public uint LoadSize;
    // xen_flask_setenforce
    [FieldOffset(8)] public uint Enforcing;
    // xen_flask_sid_context
    [FieldOffset(8)] public uint SidContextSid;
    [FieldOffset(12)] public uint SidContextSize;
    [FieldOffset(16)] public ulong SidContextContext;
    // xen_flask_access
    [FieldOffset(8)] public uint AccessSsid;
    [FieldOffset(12)] public uint AccessTsid;
    [FieldOffset(16)] public uint AccessTclass;
    [FieldOffset(20)] public uint AccessReq;
    [FieldOffset(24)] public uint AccessAllowed;
    [FieldOffset(28)] public uint AccessAuditAllow;
    [FieldOffset(32)] public uint AccessAuditDeny;
    [FieldOffset(36)] public uint AccessSeqno;
    // xen_flask_transition
    [FieldOffset(8)] public uint TransitionSsid;
    [FieldOffset(12)] public uint TransitionTsid;
    [FieldOffset(16)] public uint TransitionTclass;
    [FieldOffset(20)] public uint TransitionNewsid;
    // xen_flask_boolean
    [FieldOffset(8)] public uint BoolId;
    [FieldOffset(12)] public byte BoolEnforcing;
    [FieldOffset(13)] public byte BoolPending;
    [FieldOffset(14)] public byte BoolNewValue;
    [FieldOffset(15)] public byte BoolCommit;
    [FieldOffset(16)] public uint BoolSize;
    [FieldOffset(24)] public ulong BoolName;
    // xen_flask_setavc_threshold
    [FieldOffset(8)] public uint Threshold;
    // xen_flask_hash_stats
    [FieldOffset(8)] public uint HashEntries;
    [FieldOffset(12)] public uint HashBucketsUsed;
    [FieldOffset(16)] public uint HashBucketsTotal;
    [FieldOffset(20)] public uint HashMaxChainLen;
    // xen_flask_cache_stats
    [FieldOffset(8)] public uint CacheCpu;
    [FieldOffset(12)] public uint CacheLookups;
    [FieldOffset(16)] public uint CacheHits;
    [FieldOffset(20)] public uint CacheMisses;
    [FieldOffset(24)] public uint CacheAllocations;
    [FieldOffset(28)] public uint CacheReclaims;
    [FieldOffset(32)] public uint CacheFrees;
    // xen_flask_ocontext
    [FieldOffset(8)] public uint Ocon;
    [FieldOffset(12)] public uint OconSid;
    [FieldOffset(16)] public ulong OconLow;
    [FieldOffset(24)] public ulong OconHigh;
    // xen_flask_peersid
    [FieldOffset(8)] public uint PeerEvtchn;
    [FieldOffset(12)] public uint PeerSid;
    // xen_flask_relabel
    [FieldOffset(8)] public uint RelabelDomid;
    [FieldOffset(12)] public uint RelabelSid;
    // xen_flask_devicetree_label
    [FieldOffset(8)] public uint DtSid;
    [FieldOffset(12)] public uint DtLength;
    [FieldOffset(16)] public ulong DtPath;
}

/// <summary>
/// compat_flask_op_t (x86_32): handles are 4 bytes and 64-bit fields 4-aligned. Only the
/// sub-ops holding a handle differ from <see cref="FlaskOp"/>; xsm_op's others share its layout
/// (Xen CHECKs that for access, transition, ocontext, peersid, relabel and the stats).
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 40)]
public struct FlaskOpCompat
{
    [FieldOffset(0)] public uint Cmd;
    [FieldOffset(4)] public uint InterfaceVersion;
    [FieldOffset(8)] public FlaskOpUnion Raw;

    [FieldOffset(8)] public uint LoadBuffer;
    [FieldOffset(12)] public uint LoadSize;

    [FieldOffset(8)] public uint SidContextSid;
    [FieldOffset(12)] public uint SidContextSize;
    [FieldOffset(16)] public uint SidContextContext;

    [FieldOffset(8)] public uint BoolId;
    [FieldOffset(12)] public byte BoolEnforcing;
    [FieldOffset(13)] public byte BoolPending;
    [FieldOffset(14)] public byte BoolNewValue;
    [FieldOffset(15)] public byte BoolCommit;
    [FieldOffset(16)] public uint BoolSize;
    [FieldOffset(20)] public uint BoolName;

    [FieldOffset(8)] public uint Ocon;
    [FieldOffset(12)] public uint OconSid;
    [FieldOffset(16)] public ulong OconLow;
    [FieldOffset(24)] public ulong OconHigh;

    [FieldOffset(8)] public uint DtSid;
    [FieldOffset(12)] public uint DtLength;
    [FieldOffset(16)] public uint DtPath;
}

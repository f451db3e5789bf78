namespace XenLite.Flask;

/// <summary>
/// The compiled policy blob (written by policies/Engine, read by <see cref="PolicyReader"/>).
/// Little-endian u32 words: a header of <see cref="HeaderWords"/> words, then the sections in the
/// order listed below, then the string pool (NUL-terminated names, padded to 4 bytes).
/// The CRC-32 covers the whole blob with the checksum word read as zero.
/// </summary>
public static class PolicyFormat
{
    /// <summary>"XLFP" read as a little-endian u32.</summary>
    public const uint Magic = 0x50464C58;
    public const uint Version = 1;

    // Header word indexes.
    public const int HMagic = 0;
    public const int HVersion = 1;
    public const int HSize = 2;
    public const int HChecksum = 3;
    public const int HFlags = 4;
    public const int HTypes = 5;
    public const int HClasses = 6;
    public const int HPermissions = 7;
    public const int HBools = 8;
    public const int HRows = 9;
    public const int HAvs = 10;
    public const int HCondRules = 11;
    public const int HCondTokens = 12;
    public const int HTransitions = 13;
    public const int HOcontexts = 14;
    public const int HLabels = 15;
    public const int HStrings = 16;
    public const int HeaderWords = 17;

    /// <summary>Flags bit: the policy starts enforcing.</summary>
    public const uint FlagEnforcing = 1;

    // Sections after the header, in this order (sizes in u32 words):
    //   type names      nTypes            string offsets
    //   permissive      nTypes            1 = denials of this subject type are only logged
    //   initial SIDs    InitialSidCount   type index, or NoType
    //   bools           nBools * 2        (name offset, default value)
    //   pair rows       nTypes * nTypes   row index for (subject, object); row 0 is all zero
    //   rows            nRows * nClasses  av index per class; av 0 is all zero
    //   avs             nAvs * 3          (allowed, auditallow, dontaudit)
    //   cond tokens     nCondTokens       boolean expressions in postfix (see Tok*)
    //   cond rules      nCondRules * 9    (first token, token count, branch, s, t, class, allowed, auditallow, dontaudit)
    //   transitions     nTransitions * 4  (s, t, class, new type), sorted by (s, t, class)
    //   ocontexts       nOcontexts * 6    (kind, low lo, low hi, high lo, high hi, type)
    //   labels          nLabels * 2       (name offset, type): image-config domain labels
    public const int BoolWords = 2;
    public const int AvWords = 3;
    public const int CondRuleWords = 9;
    public const int TransitionWords = 4;
    public const int OcontextWords = 6;
    public const int LabelWords = 2;

    /// <summary>No type (an initial SID the policy leaves unset).</summary>
    public const uint NoType = 0xFFFFFFFF;

    // Postfix tokens: below TokNot, push the value of that boolean.
    public const uint TokNot = 0x80000001;
    public const uint TokAnd = 0x80000002;
    public const uint TokOr = 0x80000003;

    // Ocontext kinds (Xen's OCON_*: pirq, ioport, iomem, device, dtree).
    public const uint OconIrq = 1;
    public const uint OconIoport = 2;
    public const uint OconIomem = 3;
    public const uint OconDevice = 4;
    /// <summary>Device-tree path: "low lo" is the path's string offset.</summary>
    public const uint OconDtree = 5;

    // Xen's initial SIDs (SECINITSID_*), numbered from 1; index = SID - 1.
    public const int InitialSidCount = 13;
    public const uint SidXenboot = 1;
    public const uint SidXen = 2;
    public const uint SidDom0 = 3;
    public const uint SidDomio = 4;
    public const uint SidDomxen = 5;
    public const uint SidUnlabeled = 6;
    public const uint SidSecurity = 7;
    public const uint SidIoport = 8;
    public const uint SidIomem = 9;
    public const uint SidIrq = 10;
    public const uint SidDevice = 11;
    public const uint SidDomU = 12;
    public const uint SidDomDm = 13;

    /// <summary>Initial SID names in SID order, each followed by NUL.</summary>
    public const string InitialSidNames = "xenboot\0xen\0dom0\0domio\0domxen\0unlabeled\0security\0ioport\0iomem\0irq\0device\0domU\0domDM\0";
}

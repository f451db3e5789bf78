namespace XenLite.Hv.Common.Loader;

/// <summary>XEN_ELFNOTE_* note types (public elfnote.h), carried in notes named "Xen".</summary>
public static class XenElfNote
{
    public const uint Info = 0;
    public const uint Entry = 1;
    public const uint HypercallPage = 2;
    public const uint VirtBase = 3;
    public const uint PaddrOffset = 4;
    public const uint XenVersion = 5;
    public const uint GuestOs = 6;
    public const uint GuestVersion = 7;
    public const uint Loader = 8;
    public const uint PaeMode = 9;
    public const uint Features = 10;
    public const uint BsdSymtab = 11;
    public const uint HvStartLow = 12;
    public const uint L1MfnValid = 13;
    public const uint SuspendCancel = 14;
    public const uint InitP2m = 15;
    public const uint ModStartPfn = 16;
    public const uint SupportedFeatures = 17;
    public const uint Phys32Entry = 18;
    public const uint Phys32Reloc = 19;
    public const uint Max = Phys32Reloc;

    /// <summary>How libelf reads each type's descriptor; Unknown types are skipped.</summary>
    public enum Kind : byte { Unknown, Numeric, String, Name }

    // Indexed by note type; INFO (0) is not one libelf reads.
    static readonly byte[] Kinds =
    {
        (byte)Kind.Unknown, (byte)Kind.Numeric, (byte)Kind.Numeric, (byte)Kind.Numeric, (byte)Kind.Numeric,
        (byte)Kind.String, (byte)Kind.String, (byte)Kind.String, (byte)Kind.String, (byte)Kind.String,
        (byte)Kind.String, (byte)Kind.String, (byte)Kind.Numeric, (byte)Kind.Name, (byte)Kind.Numeric,
        (byte)Kind.Numeric, (byte)Kind.Numeric, (byte)Kind.Numeric, (byte)Kind.Numeric, (byte)Kind.Name,
    };

    public static Kind KindOf(uint type) => type <= Max ? (Kind)Kinds[type] : Kind.Unknown;
}

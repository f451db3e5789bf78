using System.Runtime.InteropServices;

namespace XenLite.Plugin.Hypfs;

/// <summary>Numbers and limits of public/hypfs.h.</summary>
public static class HypfsAbi
{
    public const int OpGetVersion = 0;
    public const int OpRead = 1;
    public const int OpWriteContents = 2;

    public const int Version = 1;
    public const int MaxPathLen = 1024;

    public const byte TypeDir = 0;
    public const byte TypeBlob = 1;
    public const byte TypeString = 2;
    public const byte TypeUint = 3;
    public const byte TypeInt = 4;
    public const byte TypeBool = 5;

    public const byte EncPlain = 0;
    public const byte EncGzip = 1;

    /// <summary>offsetof(xen_hypfs_dirlistentry, name): the direntry, then the 16-bit off_next.</summary>
    public const uint DirlistNameOffset = 14;

    /// <summary>Xen's DIRENTRY_SIZE: the name and its NUL padded to the direntry's 4-byte alignment.</summary>
    public static uint DirlistEntrySize(int nameLength) => DirlistNameOffset + (((uint)nameLength + 1 + 3) & ~3u);

    /// <summary>Xen's MAX_PARAM_SIZE: the longest value a custom parameter write accepts.</summary>
    public const uint MaxParamSize = 128;
}

/// <summary>xen_hypfs_direntry: what read returns ahead of the contents, and what each directory entry starts with.</summary>
[StructLayout(LayoutKind.Explicit, Size = 12)]
public struct HypfsDirentry
{
    [FieldOffset(0)] public byte Type;
    [FieldOffset(1)] public byte Encoding;
    [FieldOffset(2)] public ushort Pad;
    [FieldOffset(4)] public uint ContentLen;
    /// <summary>0 when the entry is read-only.</summary>
    [FieldOffset(8)] public uint MaxWriteLen;
}

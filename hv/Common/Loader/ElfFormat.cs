namespace XenLite.Hv.Common.Loader;

/// <summary>
/// ELF numbers and field offsets (System V gABI). Offsets are read byte by byte, little-endian,
/// so an image is parsed the same way whatever its alignment in memory.
/// </summary>
public static class ElfFormat
{
    public const int IdentSize = 16;
    public const int IdentClass = 4, IdentData = 5, IdentVersion = 6;
    public const byte Class32 = 1, Class64 = 2;
    public const byte DataLittleEndian = 1;
    public const uint VersionCurrent = 1;

    public const ushort MachineI386 = 3;
    public const ushort MachineArm = 40;
    public const ushort MachineX86_64 = 62;
    public const ushort MachineAarch64 = 183;

    public const uint PtLoad = 1, PtNote = 4;
    public const uint ShtNote = 7;
    public const uint PfX = 1, PfW = 2, PfR = 4;

    // Header sizes and the file-header fields whose place differs between the classes.
    public const int Ehdr32Size = 52, Ehdr64Size = 64;
    public const int Phdr32Size = 32, Phdr64Size = 56;
    public const int Shdr32Size = 40, Shdr64Size = 64;
    public const int NoteHeaderSize = 12;

    public const int EMachine = 18, EVersion = 20, EEntry = 24;
    public const int E32PhOff = 28, E32ShOff = 32, E32PhEntSize = 42, E32PhNum = 44, E32ShEntSize = 46, E32ShNum = 48;
    public const int E64PhOff = 32, E64ShOff = 40, E64PhEntSize = 54, E64PhNum = 56, E64ShEntSize = 58, E64ShNum = 60;
}

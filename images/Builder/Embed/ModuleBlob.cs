using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace XenLite.ImageBuilder.Embed;

/// <summary>What an embedded module is (the image treats each kind differently).</summary>
public enum ModuleKind : uint
{
    Guest = 1,
    BootPolicy = 2,
    /// <summary>Hypervisor command-line defaults (the loader's command line follows them, so it wins).</summary>
    CommandLine = 3,
    /// <summary>Text lines `key=value` describing the build (arch, config, plugins) for `xenlite image inspect`.</summary>
    Manifest = 4,
}

/// <summary>A guest's kind as the image's domain builders name it.</summary>
public enum GuestKind : uint { None = 0, Pvh = 1, Pv = 2, Arm = 3 }

/// <summary>One module to embed, or one read back from an image.</summary>
public sealed record EmbeddedModule(ModuleKind Kind, string Name, byte[] Data, string Cmdline = "",
    GuestKind Guest = GuestKind.None, bool Privileged = false, uint MemoryMiB = 0, uint Vcpus = 0, ulong MemoryBase = 0)
{
    /// <summary>Read back: the checksum stored in the header (compare with <see cref="Crc32.Compute"/> of Data).</summary>
    public uint StoredCrc { get; init; }
    /// <summary>Read back: where the data sits in the blob.</summary>
    public ulong Offset { get; init; }
}

/// <summary>
/// The embedded-module blob: a header, a fixed-size entry per module (name, kind, size, CRC-32,
/// command line, guest settings), the strings, then each module's data on a 4 KiB boundary.
/// Little-endian. The image reads it with images/Builder/ImageSide/EmbeddedModules.cs (keep the
/// two in step: offsets are named the same there).
/// </summary>
public static class ModuleBlob
{
    public static ReadOnlySpan<byte> Magic => "XLMODS1\0"u8;
    public const int HeaderSize = 32;
    public const int EntrySize = 64;
    public const int DataAlign = 4096;
    public const uint FlagPrivileged = 1;

    // Header: magic[8], version u32 @8, count u32 @12, entry size u32 @16, reserved u32 @20, total size u64 @24.
    // Entry: kind u32 @0, flags u32 @4, offset u64 @8, size u64 @16, crc32 u32 @24, guest kind u32 @28,
    //        memory MiB u32 @32, vcpus u32 @36, string offset u32 @40, name length u32 @44,
    //        cmdline length u32 @48 (the cmdline follows the name and one space), reserved u32 @52, memory base u64 @56.
    public const uint Version = 1;

    public static byte[] Write(IReadOnlyList<EmbeddedModule> modules)
    {
        var strings = new MemoryStream();
        var stringAt = new int[modules.Count];
        for (int i = 0; i < modules.Count; i++)
        {
            stringAt[i] = HeaderSize + modules.Count * EntrySize + (int)strings.Length;
            byte[] s = Encoding.UTF8.GetBytes(modules[i].Name + " " + modules[i].Cmdline + "\0");
            strings.Write(s);
        }
        long at = Align(HeaderSize + modules.Count * EntrySize + strings.Length);
        var dataAt = new long[modules.Count];
        for (int i = 0; i < modules.Count; i++)
        {
            dataAt[i] = at;
            at = Align(at + modules[i].Data.Length);
        }
        long total = modules.Count == 0 ? HeaderSize : at;
        var blob = new byte[total];
        Magic.CopyTo(blob);
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(8), Version);
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(12), (uint)modules.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(16), EntrySize);
        BinaryPrimitives.WriteUInt64LittleEndian(blob.AsSpan(24), (ulong)total);
        for (int i = 0; i < modules.Count; i++)
        {
            EmbeddedModule m = modules[i];
            Span<byte> e = blob.AsSpan(HeaderSize + i * EntrySize, EntrySize);
            BinaryPrimitives.WriteUInt32LittleEndian(e, (uint)m.Kind);
            BinaryPrimitives.WriteUInt32LittleEndian(e[4..], m.Privileged ? FlagPrivileged : 0);
            BinaryPrimitives.WriteUInt64LittleEndian(e[8..], (ulong)dataAt[i]);
            BinaryPrimitives.WriteUInt64LittleEndian(e[16..], (ulong)m.Data.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(e[24..], Crc32.Compute(m.Data));
            BinaryPrimitives.WriteUInt32LittleEndian(e[28..], (uint)m.Guest);
            BinaryPrimitives.WriteUInt32LittleEndian(e[32..], m.MemoryMiB);
            BinaryPrimitives.WriteUInt32LittleEndian(e[36..], m.Vcpus);
            BinaryPrimitives.WriteUInt32LittleEndian(e[40..], (uint)stringAt[i]);
            BinaryPrimitives.WriteUInt32LittleEndian(e[44..], (uint)Encoding.UTF8.GetByteCount(m.Name));
            BinaryPrimitives.WriteUInt32LittleEndian(e[48..], (uint)Encoding.UTF8.GetByteCount(m.Cmdline));
            BinaryPrimitives.WriteUInt64LittleEndian(e[56..], m.MemoryBase);
            m.Data.CopyTo(blob.AsSpan((int)dataAt[i]));
        }
        strings.ToArray().CopyTo(blob.AsSpan(HeaderSize + modules.Count * EntrySize));
        return blob;
    }

    /// <summary>Reads a blob back (for `xenlite image inspect` and tests); null when it is not one.</summary>
    public static List<EmbeddedModule> Read(ReadOnlySpan<byte> blob)
    {
        if (blob.Length < HeaderSize || !blob[..8].SequenceEqual(Magic)) return null;
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(blob[12..]);
        if (BinaryPrimitives.ReadUInt32LittleEndian(blob[8..]) != Version || (ulong)HeaderSize + count * EntrySize > (ulong)blob.Length) return null;
        var list = new List<EmbeddedModule>();
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> e = blob.Slice(HeaderSize + i * EntrySize, EntrySize);
            ulong offset = BinaryPrimitives.ReadUInt64LittleEndian(e[8..]);
            ulong size = BinaryPrimitives.ReadUInt64LittleEndian(e[16..]);
            int str = (int)BinaryPrimitives.ReadUInt32LittleEndian(e[40..]);
            int nameLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(e[44..]);
            int cmdLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(e[48..]);
            if (offset + size > (ulong)blob.Length || str + nameLength + 1 + cmdLength > blob.Length) return null;
            list.Add(new EmbeddedModule(
                (ModuleKind)BinaryPrimitives.ReadUInt32LittleEndian(e),
                Encoding.UTF8.GetString(blob.Slice(str, nameLength)),
                blob.Slice((int)offset, (int)size).ToArray(),
                Encoding.UTF8.GetString(blob.Slice(str + nameLength + 1, cmdLength)),
                (GuestKind)BinaryPrimitives.ReadUInt32LittleEndian(e[28..]),
                (BinaryPrimitives.ReadUInt32LittleEndian(e[4..]) & FlagPrivileged) != 0,
                BinaryPrimitives.ReadUInt32LittleEndian(e[32..]),
                BinaryPrimitives.ReadUInt32LittleEndian(e[36..]),
                BinaryPrimitives.ReadUInt64LittleEndian(e[56..]))
            {
                StoredCrc = BinaryPrimitives.ReadUInt32LittleEndian(e[24..]),
                Offset = offset,
            });
        }
        return list;
    }

    static long Align(long v) => (v + DataAlign - 1) & ~(long)(DataAlign - 1);
}

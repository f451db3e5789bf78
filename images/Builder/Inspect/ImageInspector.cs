using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using XenLite.ImageBuilder.Embed;

namespace XenLite.ImageBuilder.Inspect;

/// <summary>What `xenlite image inspect` reports about a built image.</summary>
public sealed record ImageReport(string Arch, IReadOnlyList<(string Name, ulong Size)> Sections, IReadOnlyList<EmbeddedModule> Modules, ulong BlobSize)
{
    public Dictionary<string, string> Manifest => Modules.Where(m => m.Kind == ModuleKind.Manifest)
        .SelectMany(m => Encoding.UTF8.GetString(m.Data).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        .Select(l => l.Split('=', 2)).Where(kv => kv.Length == 2).ToDictionary(kv => kv[0], kv => kv[1]);

    public string[] Plugins => Manifest.TryGetValue("plugins", out string p) && p.Length > 0 ? p.Split(',') : Array.Empty<string>();
}

/// <summary>
/// Reads a hypervisor ELF: the machine, the allocated sections, and the embedded-module blob
/// found through the xl_embedded_blob symbol (boot/build-image.sh's embedding step).
/// </summary>
public static class ImageInspector
{
    const ushort MachineX86_64 = 62, MachineAarch64 = 183;
    const uint SectionSymtab = 2, SectionNobits = 8;
    const ulong FlagAlloc = 2;

    public static ImageReport Read(string path)
    {
        byte[] f = File.ReadAllBytes(path);
        if (f.Length < 64 || f[0] != 0x7F || f[1] != 'E' || f[2] != 'L' || f[3] != 'F' || f[4] != 2 || f[5] != 1)
            throw new InvalidDataException($"{path}: not a little-endian ELF64 file (arm64: inspect the .elf, not the flat .bin)");
        ReadOnlySpan<byte> s = f;
        ushort machine = U16(s, 18);
        string arch = machine switch { MachineX86_64 => "x86_64", MachineAarch64 => "arm64", _ => $"machine {machine}" };
        ulong shoff = U64(s, 40);
        int shentsize = U16(s, 58), shnum = U16(s, 60), shstrndx = U16(s, 62);
        var headers = new List<Section>();
        for (int i = 0; i < shnum; i++)
        {
            var h = s.Slice((int)shoff + i * shentsize, shentsize);
            headers.Add(new Section(U32(h, 0), U32(h, 4), U64(h, 8), U64(h, 16), U64(h, 24), U64(h, 32), U32(h, 40), U64(h, 56)));
        }
        ulong names = headers[shstrndx].Offset;
        var sections = new List<(string, ulong)>();
        foreach (Section h in headers)
            if ((h.Flags & FlagAlloc) != 0 && h.Size > 0) sections.Add((CString(f, (int)(names + h.NameAt)), h.Size));

        List<EmbeddedModule> modules = new();
        ulong blobSize = 0;
        ulong? blobAddr = FindSymbol(s, headers, "xl_embedded_blob");
        if (blobAddr is ulong addr)
        {
            Section holder = headers.FirstOrDefault(h => h.Type != SectionNobits && (h.Flags & FlagAlloc) != 0 && addr >= h.Addr && addr < h.Addr + h.Size);
            if (holder != null)
            {
                int at = (int)(holder.Offset + (addr - holder.Addr));
                ReadOnlySpan<byte> rest = s[at..];
                if (rest.Length >= ModuleBlob.HeaderSize && rest[..8].SequenceEqual(ModuleBlob.Magic))
                {
                    blobSize = Math.Min(U64(rest, 24), (ulong)rest.Length);
                    modules = ModuleBlob.Read(rest[..(int)blobSize]) ?? new List<EmbeddedModule>();
                }
            }
        }
        return new ImageReport(arch, sections, modules, blobSize);
    }

    /// <summary>The report as `xenlite image inspect` prints it.</summary>
    public static string Format(string path, ImageReport r)
    {
        var o = new StringBuilder();
        var manifest = r.Manifest;
        o.Append($"image: {path} ({new FileInfo(path).Length} bytes)\n");
        o.Append($"arch: {r.Arch}\n");
        o.Append($"config: {manifest.GetValueOrDefault("config", "(none embedded)")}\n");
        o.Append($"plugins: {(r.Plugins.Length == 0 ? "none" : string.Join(", ", r.Plugins))}\n");
        var guests = r.Modules.Where(m => m.Kind == ModuleKind.Guest).ToList();
        o.Append($"guests: {(guests.Count == 0 ? "none embedded" : guests.Count.ToString())}\n");
        foreach (var g in guests)
        {
            o.Append($"  {g.Name}: {g.Guest.ToString().ToLowerInvariant()}{(g.Privileged ? ", privileged" : "")}, ")
             .Append(g.MemoryMiB == 0 ? "default memory" : $"{g.MemoryMiB} MiB")
             .Append(g.MemoryBase != 0 ? $" at 0x{g.MemoryBase:x}" : "")
             .Append($", {g.Vcpus} vCPU(s), {g.Data.Length} bytes, crc32 {g.StoredCrc:x8} {CrcState(g)}")
             .Append(g.Cmdline.Length > 0 ? $", cmdline '{g.Cmdline}'" : "").Append('\n');
        }
        var policy = r.Modules.FirstOrDefault(m => m.Kind == ModuleKind.BootPolicy);
        o.Append(policy == null ? "boot policy: none\n"
            : $"boot policy: {policy.Name}, {policy.Data.Length} bytes, sha256 {Convert.ToHexStringLower(SHA256.HashData(policy.Data))} {CrcState(policy)}\n");
        var cmd = r.Modules.FirstOrDefault(m => m.Kind == ModuleKind.CommandLine);
        o.Append($"command line defaults: {(cmd == null ? "none" : Encoding.ASCII.GetString(cmd.Data))}\n");
        o.Append("sections:\n");
        foreach (var (name, size) in r.Sections) o.Append($"  {name,-12} {size,10} bytes\n");
        o.Append($"  {"(embedded)",-12} {r.BlobSize,10} bytes in {r.Modules.Count} module(s)\n");
        return o.ToString();
    }

    static string CrcState(EmbeddedModule m) => Crc32.Compute(m.Data) == m.StoredCrc ? "ok" : "MISMATCH";

    static ulong? FindSymbol(ReadOnlySpan<byte> s, List<Section> headers, string name)
    {
        foreach (Section symtab in headers.Where(h => h.Type == SectionSymtab))
        {
            Section strings = headers[(int)symtab.Link];
            for (ulong at = symtab.Offset; at + 24 <= symtab.Offset + symtab.Size; at += symtab.EntrySize == 0 ? 24 : symtab.EntrySize)
                if (CString(s, (int)(strings.Offset + U32(s, (int)at))) == name) return U64(s, (int)at + 8);
        }
        return null;
    }

    sealed record Section(uint NameAt, uint Type, ulong Flags, ulong Addr, ulong Offset, ulong Size, uint Link, ulong EntrySize);

    static string CString(ReadOnlySpan<byte> s, int at)
    {
        int end = s[at..].IndexOf((byte)0);
        return Encoding.ASCII.GetString(s.Slice(at, end < 0 ? 0 : end));
    }

    static ushort U16(ReadOnlySpan<byte> s, int at) => BinaryPrimitives.ReadUInt16LittleEndian(s[at..]);
    static uint U32(ReadOnlySpan<byte> s, int at) => BinaryPrimitives.ReadUInt32LittleEndian(s[at..]);
    static ulong U64(ReadOnlySpan<byte> s, int at) => BinaryPrimitives.ReadUInt64LittleEndian(s[at..]);
}

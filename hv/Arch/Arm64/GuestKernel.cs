using XenLite.Hv.Common;
using XenLite.Hv.Common.Loader;

namespace XenLite.Hv.Arch.Arm64;

/// <summary>
/// Places a guest kernel in its RAM as Xen's arm domain builder does (kernel.c): an arm64 Image
/// (64-byte header, magic "ARM\x64") at RAM base + text_offset, entered at its first byte; or an
/// ELF64 AArch64 image whose loadable segments go to their physical addresses, entered at e_entry.
/// Returns null when placed, or why the image was refused.
/// </summary>
public static unsafe class GuestKernel
{
    const uint ImageMagic = 0x644D_5241;   // "ARM\x64" at offset 56
    const ulong LegacyTextOffset = 0x8_0000;

    public static string Load(Domain d, ulong ramSize, byte* data, ulong length, out ulong entry, out ulong end, out bool isElf)
    {
        entry = 0;
        end = 0;
        isElf = length >= 4 && data[0] == 0x7F && data[1] == (byte)'E' && data[2] == (byte)'L' && data[3] == (byte)'F';
        if (isElf) return LoadElf(d, data, length, out entry, out end);
        if (length < 64) return "too short for an arm64 Image header (64 bytes) and not an ELF image";
        if (LittleEndian.U32(data + 56) != ImageMagic) return "not an arm64 Image (no \"ARM\\x64\" magic) and not an ELF image";
        ulong textOffset = LittleEndian.U64(data + 8);
        ulong imageSize = LittleEndian.U64(data + 16);
        ulong flags = LittleEndian.U64(data + 24);
        // image_size 0: a kernel older than 3.17, loaded at 0x80000 (Documentation/arch/arm64/booting.rst).
        if (imageSize == 0)
        {
            textOffset = LegacyTextOffset;
            imageSize = length;
        }
        if ((flags & 1) != 0) return "big-endian arm64 Image";
        if (imageSize < length) return "arm64 Image header gives an image_size smaller than the file";
        if (textOffset > ramSize || imageSize > ramSize - textOffset) return "arm64 Image does not fit in the domain's RAM";
        ulong load = GuestLayout.RamBase + textOffset;
        if (!BuildMemory.Copy(d, load, data, length) || !BuildMemory.Zero(d, load + length, imageSize - length))
            return "guest memory write failed while loading the Image";
        entry = load;
        end = load + imageSize;
        return null;
    }

    static string LoadElf(Domain d, byte* data, ulong length, out ulong entry, out ulong end)
    {
        entry = 0;
        end = 0;
        LoadRefusal r = ElfImage.Parse(data, length, ElfTarget.Arm64, out ElfImage img);
        if (r.Refused) return r.Message;
        bool entryInside = false;
        for (uint i = 0; i < img.PhNum; i++)
        {
            ElfSegment s = img.Segment(i);
            if (!s.IsLoadable) continue;
            if (!BuildMemory.IsRam(d, s.PAddr, s.MemSize)) return LoadRefusal.MessageFor(LoadError.SegmentOutsideRam);
            if (!BuildMemory.Copy(d, s.PAddr, data + s.Offset, s.FileSize)
                || !BuildMemory.Zero(d, s.PAddr + s.FileSize, s.MemSize - s.FileSize))
                return LoadRefusal.MessageFor(LoadError.WriteFault);
            if (img.Entry >= s.PAddr && img.Entry - s.PAddr < s.MemSize) entryInside = true;
            if (s.PAddr + s.MemSize > end) end = s.PAddr + s.MemSize;
        }
        if (!entryInside) return "ELF entry point lies outside the loaded segments";
        entry = img.Entry;
        return null;
    }
}

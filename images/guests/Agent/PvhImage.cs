// Loads a PVH ELF64 into a new domain's memory the way a toolstack does:
// every PT_LOAD at its p_paddr (filesz copied, the rest zeroed) through the
// window where the domain's frames are mapped in our physmap, and the entry
// from the Xen note XEN_ELFNOTE_PHYS32_ENTRY (18).
namespace XenLite.Guest
{
    public static unsafe class PvhImage
    {
        const uint PtLoad = 1, PtNote = 4, NotePhys32Entry = 18;

        /// <summary>Copies the image into <paramref name="window"/> (guest-physical 0 of the domain, <paramref name="bytes"/> long); its entry, or 0 when it is not a loadable PVH ELF64.</summary>
        public static uint Load(byte* elf, ulong size, byte* window, ulong bytes)
        {
            if (size < 64 || *(uint*)elf != 0x464C457F || elf[4] != 2) return 0;
            ulong phoff = *(ulong*)(elf + 0x20);
            int phentsize = *(ushort*)(elf + 0x36), phnum = *(ushort*)(elf + 0x38);
            if (phoff + (ulong)(phentsize * phnum) > size) return 0;
            uint entry = 0;
            for (int i = 0; i < phnum; i++)
            {
                byte* ph = elf + phoff + (ulong)(i * phentsize);
                uint type = *(uint*)ph;
                ulong offset = *(ulong*)(ph + 8), paddr = *(ulong*)(ph + 24), filesz = *(ulong*)(ph + 32), memsz = *(ulong*)(ph + 40);
                if (offset + filesz > size) return 0;
                if (type == PtNote) entry = Phys32Entry(elf + offset, filesz, entry);
                if (type != PtLoad) continue;
                if (paddr + memsz > bytes || filesz > memsz) return 0;
                for (ulong k = 0; k < filesz; k++) window[paddr + k] = elf[offset + k];
                for (ulong k = filesz; k < memsz; k++) window[paddr + k] = 0;
            }
            return entry;
        }

        static uint Phys32Entry(byte* notes, ulong length, uint found)
        {
            ulong at = 0;
            while (at + 12 <= length)
            {
                uint namesz = *(uint*)(notes + at), descsz = *(uint*)(notes + at + 4), type = *(uint*)(notes + at + 8);
                byte* name = notes + at + 12;
                ulong desc = at + 12 + ((namesz + 3) & ~3u);
                if (namesz == 4 && name[0] == (byte)'X' && name[1] == (byte)'e' && name[2] == (byte)'n' && type == NotePhys32Entry && descsz >= 4)
                    return *(uint*)(notes + desc);
                at = desc + ((descsz + 3) & ~3u);
            }
            return found;
        }
    }
}

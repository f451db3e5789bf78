using XenLite.Hv.Abi;
using XenLite.Hv.Common.Memory;

namespace XenLite.Hv.Common.Loader;

/// <summary>
/// Builds a PVH domain from an ELF kernel (Xen's pvh_load_kernel): checks everything first,
/// then loads the PT_LOAD segments at their p_paddr, places the modules, command line, module
/// list, memory map and hvm_start_info, and returns the entry point and the start info address.
/// A refusal leaves the domain's memory untouched.
/// </summary>
public static unsafe class PvhBuilder
{
    /// <param name="cmdline">The guest's command line (null: none, cmdline_paddr 0); the NUL is added here.</param>
    /// <param name="modules">May be null.</param>
    public static LoadRefusal Build(Domain d, byte* image, ulong length, byte* cmdline, ulong cmdlineLength,
        BootModule[] modules, out PvhBoot boot)
    {
        boot = default;
        LoadRefusal r = ElfImage.Parse(image, length, ElfTarget.X86, out ElfImage elf);
        if (r.Refused) return r;
        r = CheckKernel(d, in elf);
        if (r.Refused) return r;

        uint memmapEntries = CountRamRuns(d);
        if (!PvhLayout.Plan(modules, cmdline != null, cmdlineLength, memmapEntries, out PvhLayout layout))
            return new LoadRefusal(LoadError.NoRoomForStartInfo);
        if (!FindBase(d, in elf, layout.Size, out ulong baseGpa)) return new LoadRefusal(LoadError.NoRoomForStartInfo);

        if (!LoadSegments(d, in elf) ||
            !WriteBootData(d, baseGpa, in layout, cmdline, cmdlineLength, modules))
            return new LoadRefusal(LoadError.WriteFault);
        boot.Entry = elf.Notes.Phys32Entry;
        boot.StartInfoGpa = baseGpa + layout.StartInfo;
        return LoadRefusal.Ok;
    }

    // What pvh_load_kernel, elf_xen_addr_calc_check and initdom_check_parms refuse, plus our RAM check.
    static LoadRefusal CheckKernel(Domain d, in ElfImage elf)
    {
        XenNotes n = elf.Notes;
        if (!n.Has(XenElfNote.Phys32Entry)) return new LoadRefusal(LoadError.NoPhys32Entry);
        if (n.Phys32Entry < elf.LoadStart || n.Phys32Entry > elf.LoadEnd) return new LoadRefusal(LoadError.EntryOutsideImage);
        if (d.IsHardware && n.Has(XenElfNote.SupportedFeatures) && (n.FeaturesSupported & (1u << XenFeat.Dom0)) == 0)
            return new LoadRefusal(LoadError.NotDom0Capable);
        for (uint i = 0; i < elf.PhNum; i++)
        {
            ElfSegment s = elf.Segment(i);
            if (s.IsLoadable && !BuildMemory.IsRam(d, s.PAddr, s.MemSize))
                return new LoadRefusal(LoadError.SegmentOutsideRam, (int)i);
        }
        return LoadRefusal.Ok;
    }

    // Above the kernel if it fits, else just below it; never across the kernel.
    static bool FindBase(Domain d, in ElfImage elf, ulong size, out ulong baseGpa)
    {
        baseGpa = (elf.LoadEnd + Page.Mask) & ~Page.Mask;
        if (elf.LoadEnd <= PvhLayout.Limit && Fits(d, baseGpa, size)) return true;
        ulong kernelStart = elf.LoadStart & ~Page.Mask;
        if (kernelStart < size) return false;
        baseGpa = (kernelStart - size) & ~Page.Mask;
        return Fits(d, baseGpa, size);
    }

    static bool Fits(Domain d, ulong gpa, ulong size) =>
        gpa <= PvhLayout.Limit && size <= PvhLayout.Limit - gpa && BuildMemory.IsRam(d, gpa, size);

    static bool LoadSegments(Domain d, in ElfImage elf)
    {
        for (uint i = 0; i < elf.PhNum; i++)
        {
            ElfSegment s = elf.Segment(i);
            if (!s.IsLoadable) continue;
            if (!BuildMemory.Copy(d, s.PAddr, elf.Data + s.Offset, s.FileSize)) return false;
            if (!BuildMemory.Zero(d, s.PAddr + s.FileSize, s.MemSize - s.FileSize)) return false;
        }
        return true;
    }

    static bool WriteBootData(Domain d, ulong baseGpa, in PvhLayout l, byte* cmdline, ulong cmdlineLength, BootModule[] modules)
    {
        int count = modules == null ? 0 : modules.Length;
        ulong off = 0;
        for (int i = 0; i < count; i++)
        {
            BootModule m = modules[i];
            var entry = new HvmModlistEntry { Paddr = baseGpa + off, Size = m.Length };
            if (m.CmdlineLength != 0) entry.CmdlinePaddr = baseGpa + off + m.Length;
            if (!BuildMemory.Copy(d, entry.Paddr, m.Data, m.Length)) return false;
            if (m.CmdlineLength != 0 && !WriteString(d, entry.CmdlinePaddr, m.Cmdline, m.CmdlineLength)) return false;
            if (!BuildMemory.Copy(d, baseGpa + l.Modlist + (ulong)i * (ulong)sizeof(HvmModlistEntry), (byte*)&entry, (ulong)sizeof(HvmModlistEntry)))
                return false;
            PvhLayout.AdvanceModule(ref off, in m);
        }
        if (cmdline != null && !WriteString(d, baseGpa + l.Cmdline, cmdline, cmdlineLength)) return false;
        if (!WriteMemmap(d, baseGpa + l.Memmap)) return false;

        var si = new HvmStartInfo
        {
            Magic = HvmStartInfo.MagicValue,
            Version = HvmStartInfo.Version1,
            Flags = (d.IsPrivileged ? StartInfoFlags.Privileged : 0) | (d.IsHardware ? StartInfoFlags.InitDomain : 0),
            NrModules = (uint)count,
            ModlistPaddr = count != 0 ? baseGpa + l.Modlist : 0,
            CmdlinePaddr = cmdline != null ? baseGpa + l.Cmdline : 0,
            RsdpPaddr = 0,
            MemmapPaddr = baseGpa + l.Memmap,
            MemmapEntries = l.MemmapEntries,
        };
        return BuildMemory.Copy(d, baseGpa + l.StartInfo, (byte*)&si, (ulong)sizeof(HvmStartInfo));
    }

    static bool WriteString(Domain d, ulong gpa, byte* s, ulong length) =>
        BuildMemory.Copy(d, gpa, s, length) && BuildMemory.Zero(d, gpa + length, 1);

    // The memory map is the domain's RAM as the p2m has it: one E820 RAM entry per run of frames.
    static uint CountRamRuns(Domain d) => WalkRamRuns(d, 0, false);

    static bool WriteMemmap(Domain d, ulong gpa) => WalkRamRuns(d, gpa, true) != uint.MaxValue;

    static uint WalkRamRuns(Domain d, ulong gpa, bool write)
    {
        uint runs = 0;
        ulong size = d.P2m.Size;
        ulong g = 0;
        while (g < size)
        {
            if (BuildMemory.HostPage(d, g) == null) { g++; continue; }
            ulong start = g;
            while (g < size && BuildMemory.HostPage(d, g) != null) g++;
            if (write)
            {
                var e = new HvmMemmapTableEntry { Addr = start << Page.Shift, Size = (g - start) << Page.Shift, Type = HvmMemmapType.Ram };
                if (!BuildMemory.Copy(d, gpa + (ulong)runs * (ulong)sizeof(HvmMemmapTableEntry), (byte*)&e, (ulong)sizeof(HvmMemmapTableEntry)))
                    return uint.MaxValue;
            }
            runs++;
        }
        return runs;
    }
}

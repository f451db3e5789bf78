using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Loader;
using XenLite.Hv.Common.Memory;

namespace XenLite.Hv.Arch.X86;

/// <summary>What the vCPU needs to start a 64-bit PV guest, and the layout for the console.</summary>
public struct Pv64Boot
{
    public ulong Entry;
    /// <summary>rsp: the end of the bootstrap stack.</summary>
    public ulong StackTop;
    /// <summary>rsi: start_info's virtual address.</summary>
    public ulong StartInfo;
    /// <summary>cr3: the machine address of the L4 table (at <see cref="Pv64Layout.PtStart"/>).</summary>
    public Maddr PageTable;
    /// <summary>Virtual address of the hypercall page, 0 when the kernel named none.</summary>
    public ulong HypercallPage;
    public Pv64Layout Layout;
}

/// <summary>
/// Builds a 64-bit PV domain from an ELF kernel as Xen's dom0_construct_pv and libelf do: the
/// "Xen" notes are checked (LOADER "generic" or GUEST_OS "linux", XEN_VERSION "xen-3.0",
/// VIRT_BASE/PADDR_OFFSET/ENTRY bounds, dom0 capability), the segments are loaded at
/// p_paddr + VIRT_BASE - PADDR_OFFSET, the first extra module becomes the initrd, and the
/// phys-to-machine list, start_info, 4-level bootstrap page tables (holding machine frames; the
/// tables themselves mapped read-only) and the hypercall page (PV64 syscall stubs) are written.
/// Pseudo-physical frame n is the domain's p2m entry n, mapped at VIRT_BASE + n pages.
/// Everything is checked before the first byte is written; a refusal leaves memory untouched.
/// </summary>
public static unsafe class Pv64Builder
{
    const ulong Present = 1, Writable = 2, User = 4, Accessed = 0x20, Dirty = 0x40;
    /// <summary>Xen's 64-bit L1_PROT and L2-L4_PROT: guest kernels run in ring 3, so U is set.</summary>
    const ulong LeafFlags = Present | Writable | User | Accessed;
    const ulong TableFlags = Present | Writable | User | Accessed | Dirty;
    const int EvtchnUpcallMask = 1; // offset in vcpu_info

    /// <param name="cmdline">The guest's command line (null: none); start_info keeps up to 1023 bytes.</param>
    /// <param name="initrd">The initrd (the first extra module), or null.</param>
    public static LoadRefusal Build(Domain d, byte* image, ulong length, byte* cmdline, ulong cmdlineLength,
        BootModule* initrd, out Pv64Boot boot)
    {
        boot = default;
        LoadRefusal r = ElfImage.Parse(image, length, ElfTarget.X86, out ElfImage elf);
        if (r.Refused) return r;
        r = Check(d, in elf, initrd == null ? 0 : initrd->Length, out boot);
        if (r.Refused) return r;

        Pv64Layout l = boot.Layout;
        if (!LoadSegments(d, in elf, l.VStart, VirtOffset(in elf)) ||
            (initrd != null && !BuildMemory.Copy(d, l.InitrdStart - l.VStart, initrd->Data, initrd->Length)) ||
            !WritePhysmap(d, in l) ||
            !WritePageTables(d, in l, out boot.PageTable) ||
            !WriteStartInfo(d, in l, cmdline, cmdlineLength, initrd == null ? 0 : initrd->Length))
            return new LoadRefusal(LoadError.WriteFault);
        if (boot.HypercallPage != 0)
        {
            byte* page = BuildMemory.HostPage(d, l.PfnOf(boot.HypercallPage));
            if (page == null) return new LoadRefusal(LoadError.WriteFault);
            HypercallPageWriter.FillPv64(page);
        }
        MaskUpcalls(d);
        return LoadRefusal.Ok;
    }

    /// <summary>True when the kernel is a PV one by our boot rule: an ENTRY or VIRT_BASE note and no PHYS32_ENTRY.</summary>
    public static bool IsPvKernel(in ElfImage elf) =>
        !elf.Notes.Has(XenElfNote.Phys32Entry) &&
        (elf.Notes.Has(XenElfNote.Entry) || elf.Notes.Has(XenElfNote.VirtBase));

    /// <summary>virt_base - elf_paddr_offset, both defaulting to 0 (the ELF-notes interface).</summary>
    static ulong VirtOffset(in ElfImage elf)
    {
        XenNotes n = elf.Notes;
        ulong virtBase = n.Has(XenElfNote.VirtBase) ? n.VirtBase : 0;
        ulong paddrOffset = n.Has(XenElfNote.PaddrOffset) ? n.PaddrOffset : 0;
        return virtBase - paddrOffset;
    }

    // libelf's elf_xen_note_check and elf_xen_addr_calc_check, dom0_construct_pv's checks, and ours
    // (the whole area must be the domain's RAM; the hypercall page must lie inside the kernel).
    static LoadRefusal Check(Domain d, in ElfImage elf, ulong initrdLength, out Pv64Boot boot)
    {
        boot = default;
        if (!elf.Is64 || elf.Machine != ElfFormat.MachineX86_64) return new LoadRefusal(LoadError.Pv32NotSupported);
        XenNotes n = elf.Notes;
        if (n.Count == 0) return new LoadRefusal(LoadError.NotXenPvImage);
        if (!StartsWith(in elf, n, XenElfNote.Loader, n.Loader, "generic") && !StartsWith(in elf, n, XenElfNote.GuestOs, n.GuestOs, "linux"))
            return new LoadRefusal(LoadError.NotGenericLoader);
        if (!StartsWith(in elf, n, XenElfNote.XenVersion, n.XenVersion, "xen-3.0")) return new LoadRefusal(LoadError.NotXenVersion3);
        if (n.Has(XenElfNote.PaddrOffset) && !n.Has(XenElfNote.VirtBase)) return new LoadRefusal(LoadError.PaddrOffsetWithoutVirtBase);

        ulong virtBase = n.Has(XenElfNote.VirtBase) ? n.VirtBase : 0;
        ulong offset = VirtOffset(in elf);
        ulong kstart = elf.LoadStart + offset, kend = elf.LoadEnd + offset;
        ulong entry = n.Has(XenElfNote.Entry) ? n.Entry : elf.Entry;
        if (kstart > kend || entry < kstart || entry > kend || virtBase > kstart) return new LoadRefusal(LoadError.KernelOutOfBounds);
        if (d.IsHardware && n.Has(XenElfNote.SupportedFeatures) && (n.FeaturesSupported & (1u << XenFeat.Dom0)) == 0)
            return new LoadRefusal(LoadError.NotDom0Capable);
        if ((virtBase & Page.Mask) != 0) return new LoadRefusal(LoadError.VirtBaseNotAligned);

        if (!Pv64Layout.Plan(virtBase, kstart, kend, initrdLength, d.TotPages, out Pv64Layout l)) return new LoadRefusal(LoadError.TooBigForMemory);
        if (!PvPageWalk.RangeAllowed(GuestMode.Pv64, l.VStart, l.VEnd - 1)) return new LoadRefusal(LoadError.OverlapsXenArea);
        if (!BuildMemory.IsRam(d, 0, l.VEnd - l.VStart)) return new LoadRefusal(LoadError.TooBigForMemory);

        ulong hypercall = 0;
        if (n.Has(XenElfNote.HypercallPage))
        {
            hypercall = n.HypercallPage;
            ulong kernelPagesEnd = (kend + Page.Mask) & ~Page.Mask;
            if ((hypercall & Page.Mask) != 0 || hypercall < kstart || hypercall >= kernelPagesEnd)
                return new LoadRefusal(LoadError.BadHypercallPage);
        }
        boot.Entry = entry;
        boot.StackTop = l.StackEnd;
        boot.StartInfo = l.StartInfoStart;
        boot.HypercallPage = hypercall;
        boot.Layout = l;
        return LoadRefusal.Ok;
    }

    static bool StartsWith(in ElfImage elf, XenNotes n, uint type, ImageString s, string prefix)
    {
        if (!n.Has(type) || s.Length < (uint)prefix.Length) return false;
        byte* p = elf.Data + s.Offset;
        for (int i = 0; i < prefix.Length; i++)
            if (p[i] != (byte)prefix[i]) return false;
        return true;
    }

    // Segment p_paddr + virtOffset is a virtual address in the area; its offset from VStart is
    // the pseudo-physical address BuildMemory writes through the p2m.
    static bool LoadSegments(Domain d, in ElfImage elf, ulong vStart, ulong virtOffset)
    {
        for (uint i = 0; i < elf.PhNum; i++)
        {
            ElfSegment s = elf.Segment(i);
            if (!s.IsLoadable) continue;
            ulong at = s.PAddr + virtOffset - vStart;
            if (!BuildMemory.Copy(d, at, elf.Data + s.Offset, s.FileSize)) return false;
            if (!BuildMemory.Zero(d, at + s.FileSize, s.MemSize - s.FileSize)) return false;
        }
        return true;
    }

    /// <summary>The phys-to-machine list (mfn_list): one 8-byte machine frame number per pseudo-physical frame.</summary>
    static bool WritePhysmap(Domain d, in Pv64Layout l)
    {
        ulong pages = d.TotPages;
        ulong at = l.PhysmapStart - l.VStart;
        for (ulong pfn = 0; pfn < pages; pfn++, at += 8)
        {
            byte* page = BuildMemory.HostPage(d, at >> Page.Shift);
            if (page == null) return false;
            *(ulong*)(page + (at & Page.Mask)) = d.P2m.Lookup(new Gfn(pfn)).Value;
        }
        return true;
    }

    /// <summary>
    /// L4 at PtStart, the other tables after it, mapping every page of [VStart, VEnd) to its
    /// frame; the page-table pages read-only, as Xen maps them (xen.h: "the bootstrap page
    /// table ... is mapped read-only").
    /// </summary>
    static bool WritePageTables(Domain d, in Pv64Layout l, out Maddr root)
    {
        MachineMemory mem = d.Hv.Memory;
        ulong firstPt = l.PfnOf(l.PtStart);
        ulong used = 1;
        Mfn l4 = d.P2m.Lookup(new Gfn(firstPt));
        root = l4.ToMaddr();
        ulong* top = (ulong*)mem.Map(l4);
        if (top == null) return false;
        for (ulong pfn = 0; pfn < l.Pages; pfn++)
        {
            ulong va = l.VStart + (pfn << Page.Shift);
            ulong* table = top;
            for (int level = 4; level > 1; level--)
            {
                ulong* e = table + ((va >> (Page.Shift + 9 * (level - 1))) & 511);
                if ((*e & Present) == 0)
                {
                    if (used == l.PtFrames) return false;
                    Mfn fresh = d.P2m.Lookup(new Gfn(firstPt + used++));
                    *e = fresh.ToMaddr().Value | TableFlags;
                }
                table = (ulong*)mem.Map(new Maddr(*e & 0x000F_FFFF_FFFF_F000).Frame);
                if (table == null) return false;
            }
            bool isTable = pfn >= firstPt && pfn < firstPt + l.PtFrames;
            Mfn frame = d.P2m.Lookup(new Gfn(pfn));
            table[(va >> Page.Shift) & 511] = frame.ToMaddr().Value | (isTable ? LeafFlags & ~Writable : LeafFlags);
        }
        return true;
    }

    static bool WriteStartInfo(Domain d, in Pv64Layout l, byte* cmdline, ulong cmdlineLength, ulong initrdLength)
    {
        StartInfoX86_64 si = default;
        Put(si.Magic, StartInfoX86_64.MagicLen, "xen-3.0-x86_64");
        si.NrPages = d.TotPages;
        si.SharedInfo = d.SharedInfo.Frame.ToMaddr().Value;
        si.Flags = (d.IsPrivileged ? StartInfoFlags.Privileged : 0) | (d.IsHardware ? StartInfoFlags.InitDomain : 0);
        si.PtBase = l.PtStart;
        si.NrPtFrames = l.PtFrames;
        si.MfnList = l.PhysmapStart;
        if (initrdLength != 0)
        {
            si.ModStart = l.InitrdStart;
            si.ModLen = initrdLength;
        }
        ulong n = cmdlineLength < StartInfoX86_64.MaxGuestCmdline - 1 ? cmdlineLength : StartInfoX86_64.MaxGuestCmdline - 1;
        for (ulong i = 0; cmdline != null && i < n && cmdline[i] != 0; i++) si.CmdLine[i] = cmdline[i];
        si.FirstP2mPfn = d.TotPages;
        si.NrP2mFrames = 0;
        ulong at = l.StartInfoStart - l.VStart;
        return BuildMemory.Zero(d, at, Page.Size) && BuildMemory.Copy(d, at, (byte*)&si, (ulong)sizeof(StartInfoX86_64));
    }

    static void Put(byte* dst, int size, string s)
    {
        for (int i = 0; i < s.Length && i < size - 1; i++) dst[i] = (byte)s[i];
    }

    /// <summary>Xen starts every PV domain with all upcalls masked in shared_info.</summary>
    static void MaskUpcalls(Domain d)
    {
        for (int i = 0; i < d.Vcpus.Length; i++)
        {
            byte* slot = d.SharedInfo.VcpuSlot(i);
            if (slot != null) slot[EvtchnUpcallMask] = 1;
        }
    }
}

using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Loader;
using XenLite.Hv.Common.Memory;

namespace XenLite.Hv.Arch.X86;

/// <summary>What the vCPU needs to start a PV guest (either width), and the layout for the console.</summary>
public struct PvBoot
{
    public ulong Entry;
    /// <summary>rsp/esp: the end of the bootstrap stack.</summary>
    public ulong StackTop;
    /// <summary>rsi/esi: start_info's virtual address.</summary>
    public ulong StartInfo;
    /// <summary>cr3: the machine address of the top table (at <see cref="PvLayout.PtStart"/>): an L4, or a PAE L3.</summary>
    public Maddr PageTable;
    /// <summary>Virtual address of the hypercall page, 0 when the kernel named none.</summary>
    public ulong HypercallPage;
    public PvLayout Layout;
}

/// <summary>
/// The steps Xen's dom0_construct_pv and libelf take for every PV domain, whatever its width:
/// the "Xen" notes are checked (LOADER "generic" or GUEST_OS "linux", XEN_VERSION "xen-3.0",
/// VIRT_BASE/PADDR_OFFSET/ENTRY bounds, dom0 capability), the segments are loaded at
/// p_paddr + VIRT_BASE - PADDR_OFFSET, the first extra module becomes the initrd, and the
/// phys-to-machine list, the bootstrap page tables (holding machine frames; the tables
/// themselves mapped read-only), start_info and the hypercall page are written. What differs
/// by width (ELF class, start_info layout, table shape, hypercall stubs) is asked of
/// <see cref="Pv64Builder"/> or <see cref="Pv32Builder"/>. Pseudo-physical frame n is the
/// domain's p2m entry n, mapped at VIRT_BASE + n pages. Everything is checked before the first
/// byte is written; a refusal leaves memory untouched.
/// </summary>
public static unsafe class PvBuilder
{
    const ulong Present = 1, Writable = 2, User = 4, Accessed = 0x20, Dirty = 0x40;
    /// <summary>Xen's 64-bit L1_PROT and L2-L4_PROT: 64-bit guest kernels run in ring 3, so U is set.</summary>
    const ulong LeafFlags = Present | Writable | User | Accessed;
    const ulong TableFlags = Present | Writable | User | Accessed | Dirty;
    /// <summary>Xen's COMPAT_L1_PROT: a 32-bit kernel runs in ring 1, its pages are supervisor pages.</summary>
    const ulong CompatLeafFlags = Present | Writable | Accessed;
    /// <summary>A PAE page-directory-pointer entry: RW, U, A and D are reserved there.</summary>
    const ulong PaeL3Flags = Present;
    const int EvtchnUpcallMask = 1; // offset in vcpu_info (both widths)

    /// <summary>True when the kernel is a PV one by our boot rule: an ENTRY or VIRT_BASE note and no PHYS32_ENTRY.</summary>
    public static bool IsPvKernel(in ElfImage elf) =>
        !elf.Notes.Has(XenElfNote.Phys32Entry) &&
        (elf.Notes.Has(XenElfNote.Entry) || elf.Notes.Has(XenElfNote.VirtBase));

    /// <summary>
    /// Builds <paramref name="d"/>, whose mode must be <see cref="GuestMode.Pv32"/> (compat) or
    /// <see cref="GuestMode.Pv64"/> to match <paramref name="compat"/> (shared_info's layout follows the mode).
    /// </summary>
    internal static LoadRefusal Build(Domain d, bool compat, byte* image, ulong length, byte* cmdline, ulong cmdlineLength,
        BootModule* initrd, out PvBoot boot)
    {
        boot = default;
        LoadRefusal r = ElfImage.Parse(image, length, ElfTarget.X86, out ElfImage elf);
        if (r.Refused) return r;
        r = compat ? Pv32Builder.CheckImage(in elf) : Pv64Builder.CheckImage(in elf);
        if (r.Refused) return r;
        r = Check(d, in elf, compat, initrd == null ? 0 : initrd->Length, out boot);
        if (r.Refused) return r;

        PvLayout l = boot.Layout;
        ulong initrdLength = initrd == null ? 0 : initrd->Length;
        if (!LoadSegments(d, in elf, l.VStart, VirtOffset(in elf)) ||
            (initrd != null && !BuildMemory.Copy(d, l.InitrdStart - l.VStart, initrd->Data, initrdLength)) ||
            !WritePhysmap(d, in l) ||
            !WritePageTables(d, in l, out boot.PageTable) ||
            !(compat ? Pv32Builder.WriteStartInfo(d, in l, cmdline, cmdlineLength, initrdLength)
                     : Pv64Builder.WriteStartInfo(d, in l, cmdline, cmdlineLength, initrdLength)))
            return new LoadRefusal(LoadError.WriteFault);
        if (boot.HypercallPage != 0)
        {
            byte* page = BuildMemory.HostPage(d, l.PfnOf(boot.HypercallPage));
            if (page == null) return new LoadRefusal(LoadError.WriteFault);
            if (compat) HypercallPageWriter.FillPv32(page);
            else HypercallPageWriter.FillPv64(page);
        }
        MaskUpcalls(d);
        return LoadRefusal.Ok;
    }

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
    static LoadRefusal Check(Domain d, in ElfImage elf, bool compat, ulong initrdLength, out PvBoot boot)
    {
        boot = default;
        XenNotes n = elf.Notes;
        if (n.Count == 0) return new LoadRefusal(LoadError.NotXenPvImage);
        if (!StartsWith(in elf, n, XenElfNote.Loader, n.Loader, "generic") && !StartsWith(in elf, n, XenElfNote.GuestOs, n.GuestOs, "linux"))
            return new LoadRefusal(LoadError.NotGenericLoader);
        if (!StartsWith(in elf, n, XenElfNote.XenVersion, n.XenVersion, "xen-3.0")) return new LoadRefusal(LoadError.NotXenVersion3);
        if (n.Has(XenElfNote.PaddrOffset) && !n.Has(XenElfNote.VirtBase)) return new LoadRefusal(LoadError.PaddrOffsetWithoutVirtBase);
        if (compat && !IsPae(in elf)) return new LoadRefusal(LoadError.Pv32NotPae);

        ulong virtBase = n.Has(XenElfNote.VirtBase) ? n.VirtBase : 0;
        ulong offset = VirtOffset(in elf);
        ulong kstart = elf.LoadStart + offset, kend = elf.LoadEnd + offset;
        ulong entry = n.Has(XenElfNote.Entry) ? n.Entry : elf.Entry;
        if (kstart > kend || entry < kstart || entry > kend || virtBase > kstart) return new LoadRefusal(LoadError.KernelOutOfBounds);
        if (d.IsHardware && n.Has(XenElfNote.SupportedFeatures) && (n.FeaturesSupported & (1u << XenFeat.Dom0)) == 0)
            return new LoadRefusal(LoadError.NotDom0Capable);
        if ((virtBase & Page.Mask) != 0) return new LoadRefusal(LoadError.VirtBaseNotAligned);

        if (!PvLayout.Plan(virtBase, kstart, kend, initrdLength, d.TotPages, compat, out PvLayout l)) return new LoadRefusal(LoadError.TooBigForMemory);
        if (!PvPageWalk.RangeAllowed(compat ? GuestMode.Pv32 : GuestMode.Pv64, l.VStart, l.VEnd - 1)) return new LoadRefusal(LoadError.OverlapsXenArea);
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

    /// <summary>libelf's PAE_MODE values that make a 32-bit kernel PAE: "yes" (also "yes[extended-cr3]") and "bimodal".</summary>
    static bool IsPae(in ElfImage elf)
    {
        XenNotes n = elf.Notes;
        return StartsWith(in elf, n, XenElfNote.PaeMode, n.PaeMode, "yes") ||
               StartsWith(in elf, n, XenElfNote.PaeMode, n.PaeMode, "bimodal");
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

    /// <summary>The phys-to-machine list (mfn_list): one machine frame number per pseudo-physical frame, 8 bytes each (4 for compat).</summary>
    static bool WritePhysmap(Domain d, in PvLayout l)
    {
        ulong pages = d.TotPages;
        ulong size = l.Compat ? 4UL : 8UL;
        ulong at = l.PhysmapStart - l.VStart;
        for (ulong pfn = 0; pfn < pages; pfn++, at += size)
        {
            byte* page = BuildMemory.HostPage(d, at >> Page.Shift);
            if (page == null) return false;
            ulong mfn = d.P2m.Lookup(new Gfn(pfn)).Value;
            if (l.Compat) *(uint*)(page + (at & Page.Mask)) = (uint)mfn;
            else *(ulong*)(page + (at & Page.Mask)) = mfn;
        }
        return true;
    }

    /// <summary>
    /// The top table at PtStart (pv64: the L4; pv32: the PAE L3, all four of its entries given
    /// an L2 as Xen does), the other tables after it, mapping every page of [VStart, VEnd) to its
    /// frame; the page-table pages read-only, as Xen maps them (xen.h: "the bootstrap page
    /// table ... is mapped read-only").
    /// </summary>
    static bool WritePageTables(Domain d, in PvLayout l, out Maddr root)
    {
        MachineMemory mem = d.Hv.Memory;
        bool pae = l.Compat;
        ulong firstPt = l.PfnOf(l.PtStart);
        ulong used = 1;
        Mfn topFrame = d.P2m.Lookup(new Gfn(firstPt));
        root = topFrame.ToMaddr();
        ulong* top = (ulong*)mem.Map(topFrame);
        if (top == null) return false;
        if (pae)
            for (int i = 0; i < 4; i++, used++)
                top[i] = d.P2m.Lookup(new Gfn(firstPt + used)).ToMaddr().Value | PaeL3Flags;
        ulong leaf = pae ? CompatLeafFlags : LeafFlags;
        for (ulong pfn = 0; pfn < l.Pages; pfn++)
        {
            ulong va = l.VStart + (pfn << Page.Shift);
            ulong* table = top;
            for (int level = pae ? 3 : 4; level > 1; level--)
            {
                ulong index = pae && level == 3 ? (va >> 30) & 3 : (va >> (Page.Shift + 9 * (level - 1))) & 511;
                ulong* e = table + index;
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
            table[(va >> Page.Shift) & 511] = frame.ToMaddr().Value | (isTable ? leaf & ~Writable : leaf);
        }
        return true;
    }

    /// <summary>SIF_PRIVILEGED and SIF_INITDOMAIN as the domain is.</summary>
    internal static uint StartFlags(Domain d) =>
        (d.IsPrivileged ? StartInfoFlags.Privileged : 0) | (d.IsHardware ? StartInfoFlags.InitDomain : 0);

    /// <summary>Copies the command line up to its NUL, at most <paramref name="max"/> - 1 bytes (the rest stays 0).</summary>
    internal static void PutCmdline(byte* dst, int max, byte* cmdline, ulong length)
    {
        ulong n = length < (ulong)max - 1 ? length : (ulong)max - 1;
        for (ulong i = 0; cmdline != null && i < n && cmdline[i] != 0; i++) dst[i] = cmdline[i];
    }

    internal static void PutString(byte* dst, int size, string s)
    {
        for (int i = 0; i < s.Length && i < size - 1; i++) dst[i] = (byte)s[i];
    }

    /// <summary>Clears the start_info page and writes the structure at its start.</summary>
    internal static bool WriteStartPage(Domain d, in PvLayout l, byte* si, ulong size)
    {
        ulong at = l.StartInfoStart - l.VStart;
        return BuildMemory.Zero(d, at, Page.Size) && BuildMemory.Copy(d, at, si, size);
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

using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;

namespace XenLite.Hv.Arch.X86;

/// <summary>
/// Walks an HVM/PVH vCPU's own page tables for a hypercall buffer, as Xen's guest_walk_tables does
/// for hvm_copy_*_guest_linear under nested paging: the mode comes from the VMCB (CR0.PG, CR4.PAE,
/// EFER.LMA; CR4.PSE for 4 MiB pages), the tables from CR3, each table frame through the p2m. The
/// access is a supervisor data access (a kernel's hypercall): U/S only matters with CR4.SMAP and
/// RFLAGS.AC clear, a write to a read-only mapping fails only with CR0.WP. Reserved bits follow
/// Xen's guest_pt.h for an AMD host: above the CPU's physical-address width, NX without EFER.NXE,
/// L4 PS and G, L3 PS without 1 GiB page support, superpage alignment bits, PAE PDPTE control bits.
/// A successful walk sets the Accessed bits (and Dirty on the leaf for a write), as Xen does.
/// 5-level paging (CR4.LA57) is not supported: such a walk fails.
/// </summary>
public sealed unsafe class HvmPageWalk : GuestPaging
{
    const ulong P = 1, Rw = 2, Us = 4, A = 0x20, D = 0x40, Ps = 0x80, G = 0x100;
    const ulong Nx = 1UL << 63;
    const ulong Addr52 = 0x000F_FFFF_FFFF_F000;
    /// <summary>Bits 52–62: reserved in PAE L1/L2 entries (Xen's GUEST_L1/L2_PAGETABLE_RSVD for 3 levels).</summary>
    const ulong PaeHigh = 0x7FF0_0000_0000_0000;
    /// <summary>A PAE PDPTE: bits 52–63, G, PS, D, A, U/S and R/W are reserved.</summary>
    const ulong PdpteRsvd = 0xFFF0_0000_0000_0000 | G | Ps | D | A | Us | Rw;
    const ulong Pse36Field = 0x1FFUL << 13;

    /// <summary>Address bits at and above the physical-address width, up to bit 51.</summary>
    readonly ulong _physRsvd;
    readonly bool _page1Gb, _pse36;

    public HvmPageWalk(uint physAddrBits, bool page1Gb, bool pse36)
    {
        if (physAddrBits < 32 || physAddrBits > 52) physAddrBits = 36;
        _physRsvd = (((1UL << 52) - 1) & ~((1UL << (int)physAddrBits) - 1));
        _page1Gb = page1Gb;
        _pse36 = pse36;
    }

    /// <summary>The host's paging features, which the guest sees (CPUID passes them through).</summary>
    public static HvmPageWalk ForHost(X86Cpu cpu)
    {
        cpu.Cpuid(0x8000_0000, 0, out uint maxExt, out _, out _, out _);
        uint bits = 36;
        bool page1Gb = false;
        if (maxExt >= 0x8000_0001)
        {
            cpu.Cpuid(0x8000_0001, 0, out _, out _, out _, out uint e1d);
            page1Gb = (e1d & (1u << 26)) != 0;
        }
        if (maxExt >= 0x8000_0008)
        {
            cpu.Cpuid(0x8000_0008, 0, out uint e8a, out _, out _, out _);
            if ((e8a & 0xFF) != 0) bits = e8a & 0xFF;
        }
        cpu.Cpuid(1, 0, out _, out _, out _, out uint l1d);
        return new HvmPageWalk(bits, page1Gb, (l1d & (1u << 17)) != 0);
    }

    public override bool ToGuestPhysical(Vcpu v, ulong va, bool write, out Gpa gpa)
    {
        gpa = new Gpa(va);
        X86VcpuState x = v.X86;
        if (x == null || x.Vmcb == null) return true;   // no SVM state yet: as paging off
        Vmcb* vmcb = x.Vmcb;
        if ((vmcb->Cr0 & X86Bits.Cr0Pg) == 0) return true;

        var w = new Walk
        {
            Write = write,
            Wp = (vmcb->Cr0 & X86Bits.Cr0Wp) != 0,
            Smap = (vmcb->Cr4 & X86Bits.Cr4Smap) != 0 && (v.Regs.Flags & X86Bits.RflagsAc) == 0,
            Rights = Us | Rw,
        };
        ulong frame = 0;
        bool ok;
        Domain d = v.Domain;
        if ((vmcb->Efer & X86Bits.EferLma) != 0)
            ok = (vmcb->Cr4 & X86Bits.Cr4La57) == 0 && Walk4(d, vmcb->Cr3, va, Rsvd(vmcb, true), ref w, out frame);
        else if (va > 0xFFFF_FFFF)
        {
            frame = 0;   // a 32-bit linear address space
            ok = false;
        }
        else if ((vmcb->Cr4 & X86Bits.Cr4Pae) != 0)
            ok = Walk3(d, vmcb->Cr3, va, Rsvd(vmcb, true), ref w, out frame);
        else
            ok = Walk2(d, vmcb->Cr3, va, (vmcb->Cr4 & X86Bits.Cr4Pse) != 0, ref w, out frame);
        if (!ok || !Allowed(ref w)) return false;
        SetAccessed(ref w);
        gpa = new Gpa(frame | (va & Page.Mask));
        return true;
    }

    /// <summary>The entries of one walk (for the Accessed/Dirty update) and the rights gathered on the way.</summary>
    struct Walk
    {
        public bool Write, Wp, Smap;
        public ulong Rights;
        public ulong* E4, E3, E2, E1;
        public uint* E2Small, E1Small;
    }

    ulong Rsvd(Vmcb* vmcb, bool pae) =>
        _physRsvd | (pae && (vmcb->Efer & X86Bits.EferNxe) == 0 ? Nx : 0);

    static bool Allowed(ref Walk w)
    {
        if ((w.Rights & Us) != 0 && w.Smap) return false;
        if (w.Write && (w.Rights & Rw) == 0 && w.Wp) return false;
        return true;
    }

    // 4-level (long mode): L4 → L3 (1 GiB) → L2 (2 MiB) → L1.
    bool Walk4(Domain d, ulong cr3, ulong va, ulong rsvd, ref Walk w, out ulong frame)
    {
        frame = 0;
        long s = (long)va >> 47;
        if (s != 0 && s != -1) return false;   // non-canonical
        w.E4 = Entry(d, (cr3 & Addr52) + ((va >> 39) & 511) * 8);
        if (w.E4 == null) return false;
        ulong e = *w.E4;
        if ((e & P) == 0 || (e & (rsvd | Ps | G)) != 0) return false;
        w.Rights &= e;

        w.E3 = Entry(d, (e & Addr52) + ((va >> 30) & 511) * 8);
        if (w.E3 == null) return false;
        e = *w.E3;
        if ((e & P) == 0 || (e & (rsvd | (_page1Gb ? 0 : Ps))) != 0) return false;
        if ((e & Ps) != 0 && (e & SuperpageRsvd(30)) != 0) return false;
        w.Rights &= e;
        if ((e & Ps) != 0)
        {
            frame = (e & Addr52 & ~((1UL << 30) - 1)) + (va & ((1UL << 30) - 1) & ~Page.Mask);
            return true;
        }
        return WalkL2L1(d, e & Addr52, va, rsvd, ref w, out frame);
    }

    // PAE: four PDPTEs at CR3 (32-byte aligned), then L2 (2 MiB) → L1, 64-bit entries.
    bool Walk3(Domain d, ulong cr3, ulong va, ulong rsvd, ref Walk w, out ulong frame)
    {
        frame = 0;
        ulong* pdpte = Entry(d, (cr3 & 0xFFFF_FFE0) + ((va >> 30) & 3) * 8);
        if (pdpte == null) return false;
        ulong e = *pdpte;
        if ((e & P) == 0 || (e & (rsvd | PdpteRsvd)) != 0) return false;
        // A PDPTE carries no access rights and gets no Accessed bit.
        return WalkL2L1(d, e & Addr52, va, rsvd | PaeHigh, ref w, out frame);
    }

    bool WalkL2L1(Domain d, ulong l2, ulong va, ulong rsvd, ref Walk w, out ulong frame)
    {
        frame = 0;
        w.E2 = Entry(d, l2 + ((va >> 21) & 511) * 8);
        if (w.E2 == null) return false;
        ulong e = *w.E2;
        if ((e & P) == 0 || (e & rsvd) != 0) return false;
        if ((e & Ps) != 0 && (e & SuperpageRsvd(21)) != 0) return false;
        w.Rights &= e;
        if ((e & Ps) != 0)
        {
            frame = (e & Addr52 & ~((1UL << 21) - 1)) + (va & ((1UL << 21) - 1) & ~Page.Mask);
            return true;
        }
        w.E1 = Entry(d, (e & Addr52) + ((va >> 12) & 511) * 8);
        if (w.E1 == null) return false;
        e = *w.E1;
        if ((e & P) == 0 || (e & rsvd) != 0) return false;
        w.Rights &= e;
        frame = e & Addr52;
        return true;
    }

    // 2-level: 32-bit entries, L2 (4 MiB with CR4.PSE, PSE-36 when the CPU has it) → L1.
    bool Walk2(Domain d, ulong cr3, ulong va, bool pse, ref Walk w, out ulong frame)
    {
        frame = 0;
        w.E2Small = (uint*)Entry(d, (cr3 & 0xFFFF_F000) + ((va >> 22) & 1023) * 4);
        if (w.E2Small == null) return false;
        ulong e = *w.E2Small;
        if ((e & P) == 0) return false;
        if (!pse) e &= ~Ps;   // without CR4.PSE the bit is ignored
        w.Rights &= e;
        if ((e & Ps) != 0)
        {
            ulong rsvd = _pse36 ? FoldPse36(_physRsvd | (1UL << 40)) : SuperpageRsvd(22);
            if ((e & rsvd) != 0) return false;
            ulong base4M = (e & 0xFFC0_0000) | ((e & Pse36Field) << (32 - 13));
            frame = base4M + (va & ((1UL << 22) - 1) & ~Page.Mask);
            return true;
        }
        w.E1Small = (uint*)Entry(d, (e & 0xFFFF_F000) + ((va >> 12) & 1023) * 4);
        if (w.E1Small == null) return false;
        e = *w.E1Small;
        if ((e & P) == 0) return false;
        w.Rights &= e;
        frame = e & 0xFFFF_F000;
        return true;
    }

    /// <summary>Bits 13 up to the superpage's size: must be zero in a large-page entry (bit 12 is PAT).</summary>
    static ulong SuperpageRsvd(int shift) => ((1UL << shift) - 1) & ~0x1FFFUL;

    /// <summary>PSE-36 puts physical-address bits 32–40 in entry bits 13–21.</summary>
    static ulong FoldPse36(ulong v) => (v & ~Pse36Field) | ((v & (0x1FFUL << 32)) >> (32 - 13));

    static ulong* Entry(Domain d, ulong gpa) => (ulong*)TableEntry(d, gpa);

    // Accessed on every entry of the walk, Dirty on the leaf of a write (Xen's set_ad_bits), written
    // only when they change, so a walk over tables the guest already marked writes nothing.
    static void SetAccessed(ref Walk w)
    {
        bool leafSeen = false;
        Mark(w.E1, w.Write, ref leafSeen);
        Mark(w.E2, w.Write, ref leafSeen);
        Mark(w.E3, w.Write, ref leafSeen);
        Mark(w.E4, w.Write, ref leafSeen);
        if (w.E1Small != null) MarkSmall(w.E1Small, w.Write, ref leafSeen);
        if (w.E2Small != null) MarkSmall(w.E2Small, w.Write, ref leafSeen);
    }

    static void Mark(ulong* e, bool write, ref bool leafSeen)
    {
        if (e == null) return;
        ulong want = *e | A | (write && !leafSeen ? D : 0);
        leafSeen = true;
        if (want != *e) *e = want;
    }

    static void MarkSmall(uint* e, bool write, ref bool leafSeen)
    {
        uint want = *e | (uint)A | (write && !leafSeen ? (uint)D : 0);
        leafSeen = true;
        if (want != *e) *e = want;
    }
}

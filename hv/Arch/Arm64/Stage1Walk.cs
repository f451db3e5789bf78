using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;

namespace XenLite.Hv.Arch.Arm64;

/// <summary>
/// Translates a hypercall buffer address of an arm64 vCPU as its EL1 stage 1 does (Xen's
/// get_page_from_gva: the hardware AT S12E1R/W walk, guest_walk_ld in software): SCTLR_EL1.M off
/// means the address is the IPA; else TCR_EL1 and the TTBR that bit 55 selects (EPDn, TnSZ, TBIn,
/// IPS), long descriptors read through the p2m, an EL1 access: AP[2] or an APTable[1] on the way
/// makes a mapping read-only for a write, AP[1] (EL0 access) does not matter (no PAN for AT S12E1).
/// The access flag faults unless TCR_EL1.HA lets the walk set it; a read-only DBM entry is writable
/// with TCR_EL1.HD and becomes dirty (AP[2] cleared), as a hardware write would leave it.
/// Only the 4 KiB granule is supported: a TTBR using 16 KiB or 64 KiB pages gives -EFAULT.
/// The stage-2 check of the resulting IPA is GuestMemory's p2m lookup.
/// </summary>
public sealed unsafe class Stage1Walk : GuestPaging
{
    const ulong SctlrM = 1;
    const ulong Valid = 1, TableOrPage = 2, Af = 1UL << 10, ApRo = 1UL << 7, Dbm = 1UL << 51, ApTableRo = 1UL << 62;
    const ulong OaMask = 0x0000_FFFF_FFFF_F000;   // output address bits 47:12 (4 KiB granule)
    const ulong TcrEpd0 = 1UL << 7, TcrEpd1 = 1UL << 23, TcrTbi0 = 1UL << 37, TcrTbi1 = 1UL << 38;
    const ulong TcrHa = 1UL << 39, TcrHd = 1UL << 40;

    readonly Arm64Host _host;

    public Stage1Walk(Arm64Host host) => _host = host;

    public override bool ToGuestPhysical(Vcpu v, ulong va, bool write, out Gpa gpa)
    {
        gpa = new Gpa(va);
        if (v.Arm64 == null || v.Arm64.Ctx == null) return true;   // no context yet: as MMU off
        if ((_host.ReadEl1(v, El1Reg.Sctlr) & SctlrM) == 0) return true;
        ulong tcr = _host.ReadEl1(v, El1Reg.Tcr);
        ulong ipa;
        if (!Walk(v.Domain, va, write, tcr, _host.ReadEl1(v, El1Reg.Ttbr0), _host.ReadEl1(v, El1Reg.Ttbr1), out ipa)) return false;
        gpa = new Gpa(ipa);
        return true;
    }

    /// <summary>The walk itself, given the EL1 translation registers (public for tests).</summary>
    public static bool Walk(Domain d, ulong va, bool write, ulong tcr, ulong ttbr0, ulong ttbr1, out ulong ipa)
    {
        ipa = 0;
        bool upper = ((va >> 55) & 1) != 0;
        int tsz = (int)(upper ? (tcr >> 16) & 63 : tcr & 63);
        if ((tcr & (upper ? TcrEpd1 : TcrEpd0)) != 0) return false;
        if (!Granule4K(tcr, upper)) return false;
        int inputSize = 64 - tsz;
        if (inputSize > 48 || inputSize < 25) return false;

        // Bits from the input size up to the top (55 with top-byte-ignore, else 63) must all copy bit 55.
        int top = (tcr & (upper ? TcrTbi1 : TcrTbi0)) != 0 ? 55 : 63;
        ulong checkMask = (top == 63 ? ulong.MaxValue : (1UL << (top + 1)) - 1) & ~((1UL << inputSize) - 1);
        if ((va & checkMask) != (upper ? checkMask : 0)) return false;

        int ips = (int)((tcr >> 32) & 7);
        if (ips > 5) return false;   // 52-bit output is not supported (as Xen's walk)
        int outputSize = OutputSize(ips);
        ulong outRsvd = outputSize < 48 ? OaMask & ~((1UL << outputSize) - 1) : 0;

        ulong table = (upper ? ttbr1 : ttbr0) & OaMask;
        if ((table & outRsvd) != 0) return false;
        int level = 4 - (inputSize - 12 + 8) / 9;
        bool roTable = false;
        ulong* entryPtr;
        ulong e;
        while (true)
        {
            int shift = 12 + 9 * (3 - level);
            int width = inputSize - shift;
            if (width > 9) width = 9;
            ulong index = (va >> shift) & ((1UL << width) - 1);
            entryPtr = (ulong*)TableEntry(d, table + index * 8);
            if (entryPtr == null) return false;
            e = *entryPtr;
            if ((e & Valid) == 0) return false;
            if ((e & OaMask & outRsvd) != 0) return false;
            if (level == 3)
            {
                if ((e & TableOrPage) == 0) return false;   // a block at level 3 is reserved
                break;
            }
            if ((e & TableOrPage) == 0)
            {
                if (level == 0) return false;               // no level-0 blocks with 4 KiB pages
                break;
            }
            if ((e & ApTableRo) != 0) roTable = true;
            table = e & OaMask;
            level++;
        }

        if ((e & Af) == 0 && (tcr & TcrHa) == 0) return false;   // access flag fault
        bool ro = (e & ApRo) != 0;
        bool dirtyByHardware = ro && (e & Dbm) != 0 && (tcr & TcrHd) != 0;
        if (write && (roTable || (ro && !dirtyByHardware))) return false;

        ulong updated = e | Af;
        if (write && dirtyByHardware) updated &= ~ApRo;
        if (updated != e) *entryPtr = updated;

        ulong size = 1UL << (12 + 9 * (3 - level));
        ipa = (e & OaMask & ~(size - 1)) | (va & (size - 1));
        return true;
    }

    /// <summary>TG0: 0 = 4K, 1 = 64K, 2 = 16K; TG1: 1 = 16K, 2 = 4K, 3 = 64K; reserved values read as 4K (as Xen's walk).</summary>
    static bool Granule4K(ulong tcr, bool upper)
    {
        ulong tg = upper ? (tcr >> 30) & 3 : (tcr >> 14) & 3;
        return upper ? tg == 2 || tg == 0 : tg == 0 || tg == 3;
    }

    static int OutputSize(int ips) => ips switch { 0 => 32, 1 => 36, 2 => 40, 3 => 42, 4 => 44, _ => 48 };
}

namespace XenLite.Hv.Arch.X86;

/// <summary>
/// Emulated CR0/CR4 writes for the VMX CR-access exit (Xen's hvm_set_cr0/hvm_set_cr4, reduced):
/// reserved bits are #GP, and turning paging on or off with EFER.LME set enters or leaves long
/// mode (EFER.LMA; the next entry's "IA-32e mode guest" control follows it).
/// </summary>
public static unsafe class VmxCr
{
    const ulong Cr0Cd = 1UL << 30, Cr0Nw = 1UL << 29;

    public static bool WriteCr0(Vmcb* g, ulong value)
    {
        if ((value >> 32) != 0) return false;
        if ((value & X86Bits.Cr0Pg) != 0 && (value & X86Bits.Cr0Pe) == 0) return false;
        if ((value & Cr0Nw) != 0 && (value & Cr0Cd) == 0) return false;
        bool pagingOn = (value & X86Bits.Cr0Pg) != 0, wasOn = (g->Cr0 & X86Bits.Cr0Pg) != 0;
        if (pagingOn && !wasOn && (g->Efer & X86Bits.EferLme) != 0)
        {
            if ((g->Cr4 & X86Bits.Cr4Pae) == 0) return false;
            g->Efer |= X86Bits.EferLma;
        }
        else if (!pagingOn && wasOn) g->Efer &= ~X86Bits.EferLma;
        g->Cr0 = value | X86Bits.Cr0Et;
        return true;
    }

    /// <summary>CR4 bits the CPU cannot hold (outside IA32_VMX_CR4_FIXED1) are reserved; VMXE stays the host's.</summary>
    public static bool WriteCr4(Vmcb* g, ulong value, ulong fixed1)
    {
        const ulong Vmxe = 1UL << 13;
        if ((value & ~(fixed1 & ~Vmxe)) != 0) return false;
        if ((g->Efer & X86Bits.EferLma) != 0 && (value & X86Bits.Cr4Pae) == 0) return false;
        g->Cr4 = value;
        return true;
    }
}

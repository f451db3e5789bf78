using XenLite.Hv.Common;

namespace XenLite.Hv.Arch.X86;

/// <summary>
/// Guest MSRs. The MSR permission map lets the guest reach directly the MSRs whose state the
/// VMCB carries and VMLOAD/VMSAVE swap (as Xen does); every other access exits here. We emulate
/// EFER, PAT, TSC and Xen's hypercall-page MSR; anything else is #GP, as Xen does for MSRs it
/// does not know.
/// </summary>
public static unsafe class SvmMsrs
{
    public const uint Tsc = 0x10, SysenterCs = 0x174, SysenterEsp = 0x175, SysenterEip = 0x176, Pat = 0x277;
    public const uint Star = 0xC000_0081, Lstar = 0xC000_0082, Cstar = 0xC000_0083, Sfmask = 0xC000_0084;
    public const uint FsBase = 0xC000_0100, GsBase = 0xC000_0101, KernelGsBase = 0xC000_0102;
    /// <summary>Where the guest writes its hypercall page's address (CPUID 0x40000002 EBX).</summary>
    public const uint HypercallPage = 0x4000_0000;

    static readonly uint[] Direct =
    {
        FsBase, GsBase, KernelGsBase, Star, Lstar, Cstar, Sfmask, SysenterCs, SysenterEsp, SysenterEip,
    };

    // EFER bits a guest may set; LMA is the CPU's to change, SVME stays ours (nested SVM is hidden).
    const ulong EferWritable = X86Bits.EferSce | X86Bits.EferLme | X86Bits.EferLma | X86Bits.EferNxe;

    /// <summary>Clears the read and write intercepts of the MSRs the guest may use directly.</summary>
    public static void AllowDirect(byte* msrpm)
    {
        for (int i = 0; i < Direct.Length; i++)
        {
            long bit = PermissionBit(Direct[i]);
            if (bit >= 0) msrpm[bit / 8] &= (byte)~(3 << (int)(bit % 8));
        }
    }

    /// <summary>The read-intercept bit of an MSR in the map (write is the next bit); -1 outside its ranges.</summary>
    public static long PermissionBit(uint msr)
    {
        long area;
        if (msr <= 0x1FFF) area = 0;
        else if (msr - 0xC000_0000 <= 0x1FFF) { area = 0x800; msr -= 0xC000_0000; }
        else if (msr - 0xC001_0000 <= 0x1FFF) { area = 0x1000; msr -= 0xC001_0000; }
        else return -1;
        return area * 8 + (long)msr * 2;
    }

    public static bool Read(SvmHost host, Vmcb* vmcb, uint msr, out ulong value)
    {
        value = 0;
        switch (msr)
        {
            case SvmHost.MsrEfer: value = vmcb->Efer & ~X86Bits.EferSvme; return true;
            case Pat: value = vmcb->GPat; return true;
            case Tsc: value = host.Cpu.Rdtsc() + vmcb->TscOffset; return true;
            case HypercallPage: return true; // write-only: reads as zero
            default: return false;
        }
    }

    public static bool Write(SvmHost host, Vcpu v, Vmcb* vmcb, uint msr, ulong value)
    {
        switch (msr)
        {
            case SvmHost.MsrEfer: return WriteEfer(vmcb, value);
            case Pat:
                if (!PatValid(value)) return false;
                vmcb->GPat = value;
                return true;
            case Tsc: vmcb->TscOffset = value - host.Cpu.Rdtsc(); return true;
            case HypercallPage: return HypercallPageWriter.Install(v, value, host.Vmx != null);
            default: return false;
        }
    }

    static bool WriteEfer(Vmcb* vmcb, ulong value)
    {
        ulong old = vmcb->Efer;
        if ((value & ~EferWritable) != 0) return false;
        // LME may not change while paging is on (Xen's hvm_set_efer).
        if (((value ^ old) & X86Bits.EferLme) != 0 && (vmcb->Cr0 & X86Bits.Cr0Pg) != 0) return false;
        vmcb->Efer = (value & ~X86Bits.EferLma) | (old & X86Bits.EferLma) | X86Bits.EferSvme;
        return true;
    }

    /// <summary>Each PAT entry must be a defined memory type: UC, WC, WT, WP, WB or UC-.</summary>
    static bool PatValid(ulong pat)
    {
        for (int i = 0; i < 8; i++)
        {
            ulong t = (pat >> (8 * i)) & 0xFF;
            if (t == 2 || t == 3 || t > 7) return false;
        }
        return true;
    }
}

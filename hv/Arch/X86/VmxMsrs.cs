using XenLite.Hv.Common;

namespace XenLite.Hv.Arch.X86;

/// <summary>
/// Guest MSRs under VMX, where every RDMSR/WRMSR exits (no MSR bitmap). FS/GS bases and the
/// SYSENTER MSRs are VMCS guest state (through the record's segment and SYSENTER fields);
/// KERNEL_GS_BASE and the SYSCALL MSRs go through the record into the VM-entry MSR-load list
/// (<see cref="VmxMsrArea"/>). EFER, PAT, TSC and the hypercall-page MSR are SVM's
/// (<see cref="SvmMsrs"/>; PAT and the TSC offset reach their VMCS fields in VmxState).
/// A value the CPU would refuse is #GP at the WRMSR, as on hardware, instead of failing the
/// next VM entry: addresses must be canonical (the VMCS checks bases and SYSENTER ESP/EIP, the
/// MSR-load list is loaded as WRMSR would), and SFMASK's reserved bits 63:32 must be 0.
/// </summary>
public static unsafe class VmxMsrs
{
    public static bool Read(SvmHost host, Vmcb* g, uint msr, out ulong value)
    {
        switch (msr)
        {
            case SvmMsrs.FsBase: value = g->Fs.Base; return true;
            case SvmMsrs.GsBase: value = g->Gs.Base; return true;
            case SvmMsrs.KernelGsBase: value = g->KernelGsBase; return true;
            case SvmMsrs.Star: value = g->Star; return true;
            case SvmMsrs.Lstar: value = g->Lstar; return true;
            case SvmMsrs.Cstar: value = g->Cstar; return true;
            case SvmMsrs.Sfmask: value = g->Sfmask; return true;
            case SvmMsrs.SysenterCs: value = g->SysenterCs; return true;
            case SvmMsrs.SysenterEsp: value = g->SysenterEsp; return true;
            case SvmMsrs.SysenterEip: value = g->SysenterEip; return true;
            default: return SvmMsrs.Read(host, g, msr, out value);
        }
    }

    public static bool Write(SvmHost host, Vcpu v, Vmcb* g, uint msr, ulong value)
    {
        switch (msr)
        {
            case SvmMsrs.FsBase:
            case SvmMsrs.GsBase:
            case SvmMsrs.KernelGsBase:
            case SvmMsrs.Lstar:
            case SvmMsrs.Cstar:
            case SvmMsrs.SysenterEsp:
            case SvmMsrs.SysenterEip:
                if (!Canonical(value)) return false;
                break;
            case SvmMsrs.Sfmask:
                if ((value >> 32) != 0) return false;
                break;
        }
        switch (msr)
        {
            case SvmMsrs.FsBase: g->Fs.Base = value; return true;
            case SvmMsrs.GsBase: g->Gs.Base = value; return true;
            case SvmMsrs.KernelGsBase: g->KernelGsBase = value; return true;
            case SvmMsrs.Star: g->Star = value; return true;
            case SvmMsrs.Lstar: g->Lstar = value; return true;
            case SvmMsrs.Cstar: g->Cstar = value; return true;
            case SvmMsrs.Sfmask: g->Sfmask = value; return true;
            case SvmMsrs.SysenterCs: g->SysenterCs = value; return true;
            case SvmMsrs.SysenterEsp: g->SysenterEsp = value; return true;
            case SvmMsrs.SysenterEip: g->SysenterEip = value; return true;
            default: return SvmMsrs.Write(host, v, g, msr, value);
        }
    }

    /// <summary>48-bit canonical (5-level paging is not offered).</summary>
    static bool Canonical(ulong a) => (a >> 47) == 0 || (a >> 47) == 0x1FFFF;
}

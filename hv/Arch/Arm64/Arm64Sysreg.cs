using XenLite.Hv.Common;

namespace XenLite.Hv.Arch.Arm64;

/// <summary>
/// Trapped MSR/MRS/system instructions (EC 0x18). We trap set/way cache maintenance (HCR_EL2.TSW),
/// implementation-defined registers (TIDCP), the EL1 physical timer (CNTHCTL_EL2.EL1PCEN = 0) and,
/// under GICv3, SGI generation. Set/way operations are done for the guest (its RAM is coherent
/// write-back memory, so there is nothing to clean); SGIs are delivered; the rest is an undefined
/// instruction, as Xen answers registers it does not emulate.
/// </summary>
public static unsafe class Arm64Sysreg
{
    public static Arm64ExitResult Handle(Arm64Host host, Vcpu v, GuestContext* ctx)
    {
        ulong iss = Esr.Iss(ctx->Esr);
        // ISS: Op0[21:20] Op2[19:17] Op1[16:14] CRn[13:10] Rt[9:5] CRm[4:1] Direction[0] (1 = read).
        uint op0 = (uint)(iss >> 20) & 3, op2 = (uint)(iss >> 17) & 7, op1 = (uint)(iss >> 14) & 7;
        uint crn = (uint)(iss >> 10) & 15, crm = (uint)(iss >> 1) & 15;
        int rt = (int)(iss >> 5) & 31;
        bool read = (iss & 1) != 0;
        bool setWay = op0 == 1 && op1 == 0 && crn == 7 && op2 == 2 && (crm == 6 || crm == 10 || crm == 14);
        bool sgi1r = op0 == 3 && op1 == 0 && crn == 12 && crm == 11 && op2 == 5;
        if (setWay && !read) return Done(v, ctx);
        if (sgi1r && !read && host.GicVersion == 3)
        {
            Sgi.SendV3(v, rt == 31 ? 0 : v.Regs[rt]);
            return Done(v, ctx);
        }
        return GuestException.Undefined(host, v);
    }

    static Arm64ExitResult Done(Vcpu v, GuestContext* ctx)
    {
        v.Regs.Ip += Esr.Length(ctx->Esr);
        return Arm64ExitResult.Resume;
    }
}

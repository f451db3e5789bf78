using XenLite.Hv.Common;

namespace XenLite.Hv.Arch.Arm64;

/// <summary>
/// Stage-2 aborts (Xen's do_trap_stage2_abort_guest). A translation fault whose syndrome decodes
/// the access (ISV = 1) on an emulated device (vGIC distributor/redistributors, vpl011) is
/// emulated and the instruction completed; anything else (unmapped IPA, undecodable access,
/// instruction fetch) becomes an abort in the guest at the faulting virtual address. The host
/// never stops for a guest's bad access.
/// </summary>
public static unsafe class Arm64Abort
{
    public static Arm64ExitResult Handle(Arm64Host host, Vcpu v, GuestContext* ctx)
    {
        ulong esr = ctx->Esr;
        bool data = Esr.Class(esr) == Ec.DabtLower;
        host.Counters.Stage2Faults++;
        if (data && Esr.IsTranslationFault(esr) && Esr.Isv(esr) && Emulate(host, v, ctx->FaultIpa, esr))
        {
            v.Regs.Ip += Esr.Length(esr);
            return Arm64ExitResult.Resume;
        }
        return GuestException.Abort(host, v, !data, ctx->Far);
    }

    static bool Emulate(Arm64Host host, Vcpu v, ulong ipa, ulong esr)
    {
        Domain d = v.Domain;
        int size = Esr.AccessBytes(esr);
        int rt = Esr.Register(esr);
        bool write = Esr.Write(esr);
        ulong value = write ? (rt == 31 ? 0 : v.Regs[rt]) : 0;
        if (size < 8) value &= (1UL << (8 * size)) - 1;
        if (VgicMmio.ClaimsDistributor(d, ipa))
        {
            if (write) VgicMmio.DistWrite(v, ipa - GuestLayout.GicdBase, size, value);
            else value = VgicMmio.DistRead(v, ipa - GuestLayout.GicdBase, size);
        }
        else if (VgicMmio.ClaimsRedistributor(d, ipa))
        {
            if (write) VgicMmio.RedistWrite(v, ipa - GuestLayout.Gicv3GicrBase, size, value);
            else value = VgicMmio.RedistRead(v, ipa - GuestLayout.Gicv3GicrBase, size);
        }
        else if (d.Arm64.Uart != null && Vpl011.Claims(ipa))
        {
            if (write) d.Arm64.Uart.Write(v, ipa - GuestLayout.Pl011Base, value);
            else value = d.Arm64.Uart.Read(ipa - GuestLayout.Pl011Base);
        }
        else return false;
        if (!write && rt != 31) v.Regs[rt] = Load(value, size, Esr.SignExtend(esr), Esr.SixtyFour(esr));
        return true;
    }

    /// <summary>A load's register value: sign-extended when SSE says so, 32-bit destinations zero-extended (SF = 0).</summary>
    public static ulong Load(ulong value, int size, bool signExtend, bool sixtyFour)
    {
        if (size < 8) value &= (1UL << (8 * size)) - 1;
        if (signExtend && size < 8 && (value & (1UL << (8 * size - 1))) != 0) value |= ~((1UL << (8 * size)) - 1);
        return sixtyFour ? value : (uint)value;
    }
}

using XenLite.Hv.Common;

namespace XenLite.Hv.Arch.Arm64;

/// <summary>
/// The guest's virtual timer (CNTV) runs in hardware against CNTVCT = CNTPCT − CNTVOFF (per domain).
/// Its firing reaches the hypervisor as the host's virtual-timer PPI while the vCPU runs, or as a
/// deadline the idle loop waits for while it sleeps in WFI; either way the timer is masked (IMASK,
/// as Xen's vtimer_interrupt does) and the guest gets PPI 27.
/// </summary>
public static class Vtimer
{
    public const ulong Enable = 1, Imask = 2, Istatus = 4;

    /// <summary>The host's virtual-timer PPI fired while <paramref name="v"/> ran.</summary>
    public static void Fired(Arm64Host host, Vcpu v)
    {
        ulong ctl = host.ReadEl1(v, El1Reg.CntvCtl);
        if ((ctl & Enable) == 0 || (ctl & Imask) != 0) return;
        host.WriteEl1(v, El1Reg.CntvCtl, ctl | Imask);
        Vgic.Raise(v, GuestLayout.TimerVirtPpi);
    }

    /// <summary>The physical count at which the vCPU's timer fires, or ulong.MaxValue when it is off or masked.</summary>
    public static ulong Deadline(Arm64Host host, Vcpu v)
    {
        ulong ctl = host.ReadEl1(v, El1Reg.CntvCtl);
        if ((ctl & Enable) == 0 || (ctl & Imask) != 0) return ulong.MaxValue;
        ulong cval = host.ReadEl1(v, El1Reg.CntvCval);
        ulong at = cval + v.Domain.Arm64.Cntvoff;
        return at < cval ? ulong.MaxValue : at;
    }

    /// <summary>Fires every waiting vCPU's timer that is due at <paramref name="now"/>.</summary>
    public static void Expire(Arm64Host host, ulong now)
    {
        Hypervisor hv = host.Hv;
        for (uint id = 0; id < Hypervisor.MaxDomains; id++)
        {
            Domain d = hv.Lookup(id);
            if (d == null || d.Arm64 == null) continue;
            for (int i = 0; i < d.Vcpus.Length; i++)
            {
                Vcpu v = d.Vcpus[i];
                if (v.IsUp && v.Arm64 != null && Deadline(host, v) <= now) Fired(host, v);
            }
        }
    }
}

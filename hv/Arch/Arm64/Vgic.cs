using XenLite.Hv.Common;
using XenLite.Hv.Common.Events;
using XenLite.Hv.Common.Sched;

namespace XenLite.Hv.Arch.Arm64;

/// <summary>
/// Virtual interrupt delivery through the list registers of the host's virtual CPU interface
/// (GICv2 GICH_LR, GICv3 ICH_LR&lt;n&gt;_EL2): pending, enabled interrupts go into free list
/// registers before the vCPU runs; list registers the guest finished (state 0) are freed after.
/// </summary>
public static unsafe class Vgic
{
    /// <summary>
    /// Makes an interrupt pending for a vCPU (SGI/PPI) or its domain (SPI, delivered to vCPU 0) and
    /// wakes the vCPU it goes to, as Xen's vgic_inject_irq ends with vcpu_kick: a WFI or block ends,
    /// and the next entry delivers it (or the vCPU, finding nothing it can take, waits again).
    /// </summary>
    public static void Raise(Vcpu v, uint intid)
    {
        if (intid < 32) RaiseLocal(v, 1u << (int)intid);
        else if (intid < VgicDist.Lines) RaiseShared(v.Domain, 1u << (int)(intid - 32));
    }

    /// <summary>SGIs/PPIs <paramref name="bits"/> (bit n = INTID n) pending on <paramref name="v"/> (GICD/GICR_ISPENDR0 too).</summary>
    public static void RaiseLocal(Vcpu v, uint bits)
    {
        if (bits == 0) return;
        v.Arm64.Vgic.Pending |= bits;
        VcpuWake.Unblock(v);
    }

    /// <summary>SPIs <paramref name="spis"/> (bit n = INTID 32 + n) pending on the domain; vCPU 0 takes them.</summary>
    public static void RaiseShared(Domain d, uint spis)
    {
        if (spis == 0) return;
        d.Arm64.Dist.Pending |= spis;
        VcpuWake.Unblock(d.Vcpus[0]);
    }

    /// <summary>True when an enabled interrupt waits for or sits in a list register (Xen's vgic_vcpu_pending_irq).</summary>
    public static bool HasPending(Vcpu v)
    {
        VgicCpu c = v.Arm64.Vgic;
        VgicDist dist = v.Domain.Arm64.Dist;
        if ((c.Pending & c.Enabled) != 0 || c.InLr != 0) return true;
        return v.Id == 0 && (dist.Pending & dist.Enabled) != 0;
    }

    /// <summary>Before entry: level sources re-asserted, then pending interrupts moved into free list registers.</summary>
    public static void Flush(Arm64Host host, Vcpu v)
    {
        VgicCpu c = v.Arm64.Vgic;
        VgicDist dist = v.Domain.Arm64.Dist;
        // The event-channel PPI is level: asserted while evtchn_upcall_pending is set.
        if (Upcall.IsPending(v) && (c.InLr & (1UL << (int)GuestLayout.EvtchnPpi)) == 0) c.Pending |= 1u << (int)GuestLayout.EvtchnPpi;
        if (v.Events != null) v.Events.UpcallWanted = false;
        if (!dist.Forwarding) return;
        uint ready = c.Pending & c.Enabled;
        for (int i = 0; i < 32 && ready != 0; i++)
        {
            if ((ready & (1u << i)) == 0) continue;
            ready &= ~(1u << i);
            if (Inject(host, c, i, c.Priority[i])) c.Pending &= ~(1u << i);
        }
        if (v.Id != 0) return;
        uint spis = dist.Pending & dist.Enabled;
        for (int i = 0; i < VgicDist.Spis && spis != 0; i++)
        {
            if ((spis & (1u << i)) == 0) continue;
            spis &= ~(1u << i);
            if (Inject(host, c, i + 32, dist.Priority[i])) dist.Pending &= ~(1u << i);
        }
    }

    /// <summary>After an exit: list registers the guest has finished with (invalid state) are free again.</summary>
    public static void Sync(Arm64Host host, Vcpu v)
    {
        VgicCpu c = v.Arm64.Vgic;
        for (int i = 0; i < host.ListRegisters; i++)
        {
            int intid = c.LrIntid[i];
            if (intid < 0) continue;
            if (State(host, host.Cpu.ReadLr(i)) != 0) continue;
            c.LrIntid[i] = -1;
            c.InLr &= ~(1UL << intid);
        }
    }

    /// <summary>vCPU switched out: its list registers and interface state leave the hardware.</summary>
    public static void Save(Arm64Host host, Vcpu v)
    {
        VgicCpu c = v.Arm64.Vgic;
        for (int i = 0; i < host.ListRegisters; i++)
        {
            c.LrSaved[i] = host.Cpu.ReadLr(i);
            host.Cpu.WriteLr(i, 0);
        }
        host.Cpu.SaveVirtualInterface(out c.Vmcr, out c.Apr);
    }

    public static void Load(Arm64Host host, Vcpu v)
    {
        VgicCpu c = v.Arm64.Vgic;
        for (int i = 0; i < host.ListRegisters; i++) host.Cpu.WriteLr(i, c.LrIntid[i] < 0 ? 0 : c.LrSaved[i]);
        host.Cpu.LoadVirtualInterface(c.Vmcr, c.Apr);
    }

    static bool Inject(Arm64Host host, VgicCpu c, int intid, byte priority)
    {
        if ((c.InLr & (1UL << intid)) != 0) return true;   // already there: pending again while active folds into it
        for (int i = 0; i < host.ListRegisters; i++)
        {
            if (c.LrIntid[i] >= 0) continue;
            host.Cpu.WriteLr(i, Encode(host.GicVersion, (uint)intid, priority));
            c.LrIntid[i] = intid;
            c.InLr |= 1UL << intid;
            return true;
        }
        return false;   // all list registers busy: stays pending for the next entry
    }

    /// <summary>A pending, software (HW = 0) list register: GICv3 group 1, GICv2 group 0 (what a GICC_IAR read acknowledges).</summary>
    public static ulong Encode(int gicVersion, uint intid, byte priority)
    {
        if (gicVersion == 3) return (1UL << 62) | (1UL << 60) | ((ulong)priority << 48) | intid;
        return (1UL << 28) | ((ulong)(priority >> 3) << 23) | (intid & 0x3FF);
    }

    /// <summary>The list register's state: 0 invalid, 1 pending, 2 active, 3 both.</summary>
    public static uint State(Arm64Host host, ulong lr) => host.GicVersion == 3 ? (uint)(lr >> 62) & 3 : (uint)(lr >> 28) & 3;
}

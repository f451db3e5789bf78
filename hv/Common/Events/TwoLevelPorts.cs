namespace XenLite.Hv.Common.Events;

/// <summary>
/// The 2-level ABI (Xen's event_2l.c): a pending and a mask bit per port in shared_info, and a
/// selector word in vcpu_info with one bit per word of pending bits.
/// </summary>
public sealed unsafe class TwoLevelPorts : PortOps
{
    public static readonly TwoLevelPorts Instance = new();

    /// <summary>Pending, then (if unmasked) the selector bit, then the upcall; pollers wake on a new event.</summary>
    public override void SetPending(EventChannels e, Vcpu v, uint port)
    {
        SharedInfoPage s = e.Domain.SharedInfo;
        if (GuestBits.TestAndSet(s.PendingBits, port)) return;
        if (!GuestBits.Test(s.MaskBits, port) && !SetSelector(s, v, port)) Upcall.MarkEventsPending(v);
        Sched.VcpuWake.CheckPollers(e.Domain, port);
    }

    public override void ClearPending(EventChannels e, uint port) => GuestBits.Clear(e.Domain.SharedInfo.PendingBits, port);

    /// <summary>Clears the mask; an event that arrived while masked is then announced to the port's vCPU.</summary>
    public override void Unmask(EventChannels e, uint port)
    {
        SharedInfoPage s = e.Domain.SharedInfo;
        Vcpu v = e.Domain.Vcpus[e[port].NotifyVcpu];
        if (GuestBits.TestAndClear(s.MaskBits, port) && GuestBits.Test(s.PendingBits, port) && !SetSelector(s, v, port))
            Upcall.MarkEventsPending(v);
    }

    public override bool IsPending(EventChannels e, uint port)
    {
        SharedInfoPage s = e.Domain.SharedInfo;
        return port < s.Layout.NrChannels2l && GuestBits.Test(s.PendingBits, port);
    }

    public override bool IsMasked(EventChannels e, uint port)
    {
        SharedInfoPage s = e.Domain.SharedInfo;
        return port >= s.Layout.NrChannels2l || GuestBits.Test(s.MaskBits, port);
    }

    /// <summary>Sets the selector bit for the port's word; returns its old value. A vCPU without vcpu_info has none (reads as set).</summary>
    static bool SetSelector(SharedInfoPage s, Vcpu v, uint port)
    {
        byte* info = v.Events.Info;
        if (info == null) return true;
        return GuestBits.TestAndSet(info + s.Layout.PendingSel, port / (uint)s.Layout.BitsPerWord);
    }
}

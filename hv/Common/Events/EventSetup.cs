using XenLite.Hv.Abi;
using XenLite.Hv.Common.Vcpus;

namespace XenLite.Hv.Common.Events;

/// <summary>
/// Gives a new domain its shared_info page, event channels and per-vCPU event and vcpu_op
/// state, and takes them down when it is destroyed (Xen's evtchn_init / evtchn_destroy).
/// </summary>
public static unsafe class EventSetup
{
    /// <param name="maxEvtchnPort">The domain's port limit; 0 takes Xen's default (unlimited for privileged domains, else 1023).</param>
    public static bool Create(Domain d, uint maxEvtchnPort)
    {
        SharedInfoPage shared = SharedInfoPage.Create(d);
        if (shared == null) return false;
        if (maxEvtchnPort == 0) maxEvtchnPort = d.IsPrivileged ? EventChannels.UnlimitedMaxPort : EventChannels.DefaultMaxPort;
        d.SharedInfo = shared;
        d.Events = new EventChannels(d, maxEvtchnPort);
        ulong now = d.Hv.Platform.NowNs();
        for (int i = 0; i < d.Vcpus.Length; i++)
        {
            Vcpu v = d.Vcpus[i];
            v.Events = new VcpuEvents(v) { Info = shared.VcpuSlot(i) };
            v.VcpuOp = new VcpuOpState
            {
                Initialised = i == 0,
                RunStateEntry = now,
                PeriodicPeriod = GuestModes.IsPv(d.Mode) ? PeriodicTimer.PvDefaultPeriodNs : 0,
            };
        }
        shared.WriteWallclock();
        for (int i = 0; i < d.Vcpus.Length; i++) VcpuTime.Update(d.Vcpus[i]);
        return true;
    }

    /// <summary>Closes every port (peers of interdomain channels become unbound), drops VIRQ handling and frees shared_info.</summary>
    public static void Destroy(Domain d)
    {
        EventChannels e = d.Events;
        if (e == null) return;
        for (uint port = e.ValidPorts - 1; port > 0; port--) ChannelOps.Close(d, port);
        d.Hv.GlobalVirqs.Clear(d);
        FifoSetup.Destroy(d);
        d.SharedInfo.Release();
    }
}

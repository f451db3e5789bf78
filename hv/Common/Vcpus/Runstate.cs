using XenLite.Hv.Abi;
using XenLite.Hv.Common.Memory;

namespace XenLite.Hv.Common.Vcpus;

/// <summary>
/// Runstate accounting (Xen's vcpu_runstate_change / vcpu_runstate_get / update_runstate_area):
/// time in running, runnable, blocked and offline, mirrored into the guest's registered area.
/// The scheduler calls <see cref="Change"/>; vcpu_op calls <see cref="Observe"/> so the state
/// also follows the vCPU's flags when no scheduler has said anything.
/// </summary>
public static unsafe class Runstate
{
    public static void Change(Vcpu v, int state, ulong now)
    {
        VcpuOpState s = v.VcpuOp;
        if (s.RunState == state) return;
        if (now > s.RunStateEntry) s.RunStateTime[s.RunState] += now - s.RunStateEntry;
        s.RunState = state;
        s.RunStateEntry = now;
        UpdateGuestAreas(v);
    }

    /// <summary>The state the vCPU is in by its flags: the caller runs, a down vCPU is offline.</summary>
    public static void Observe(Vcpu v, Vcpu caller, ulong now)
    {
        int state = !v.IsUp || v.PausedForShutdown ? RunstateState.Offline
            : v == caller ? RunstateState.Running
            : v.Blocked ? RunstateState.Blocked
            : RunstateState.Runnable;
        Change(v, state, now);
    }

    /// <summary>Xen's vcpu_runstate_get: the record with the current state's time counted up to now.</summary>
    public static VcpuRunstateInfo Get(Vcpu v, ulong now)
    {
        VcpuOpState s = v.VcpuOp;
        VcpuRunstateInfo r = default;
        r.State = s.RunState;
        r.StateEntryTime = s.RunStateEntry;
        for (int i = 0; i < RunstateState.Count; i++) r.Time[i] = s.RunStateTime[i];
        if (now > s.RunStateEntry) r.Time[s.RunState] += now - s.RunStateEntry;
        return r;
    }

    /// <summary>The record without the running delta (what Xen copies for the current vCPU).</summary>
    public static VcpuRunstateInfo Recorded(Vcpu v) => Get(v, v.VcpuOp.RunStateEntry);

    public static VcpuRunstateInfoCompat ToCompat(in VcpuRunstateInfo r)
    {
        VcpuRunstateInfoCompat c = default;
        c.State = r.State;
        c.StateEntryTime = r.StateEntryTime;
        for (int i = 0; i < RunstateState.Count; i++) c.Time[i] = r.Time[i];
        return c;
    }

    /// <summary>Rewrites the registered areas (phys first, else the virtual one); faults are ignored.</summary>
    public static void UpdateGuestAreas(Vcpu v)
    {
        VcpuOpState s = v.VcpuOp;
        VcpuRunstateInfo r = Recorded(v);
        if (s.RunstateArea != null)
        {
            if (s.RunstateAreaCompat) *(VcpuRunstateInfoCompat*)s.RunstateArea = ToCompat(r);
            else *(VcpuRunstateInfo*)s.RunstateArea = r;
            return;
        }
        if (s.RunstateGuest == 0) return;
        if (s.RunstateGuestCompat) GuestMemory.Write(v, s.RunstateGuest, ToCompat(r));
        else GuestMemory.Write(v, s.RunstateGuest, r);
    }
}

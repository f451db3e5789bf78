using XenLite.Hv.Abi;

namespace XenLite.Hv.Common.Domctl;

/// <summary>getvcpuinfo and set/getvcpuaffinity (Xen's vcpu_affinity_domctl) on our one physical CPU.</summary>
public static class VcpuControl
{
    public static bool IsRunning(Vcpu v) => v.VcpuOp != null && v.VcpuOp.RunState == RunstateState.Running;

    /// <summary>Nanoseconds the vCPU has spent running, up to now (Xen's vcpu_runstate_get_running).</summary>
    public static unsafe ulong RunningTime(Vcpu v, ulong now)
    {
        if (v.VcpuOp == null) return 0;
        VcpuRunstateInfo r = Vcpus.Runstate.Get(v, now);
        return r.Time[RunstateState.Running];
    }

    /// <summary>-ENOENT for a vCPU the domain does not have.</summary>
    public static long GetInfo(Vcpu caller, Domain d, ref DomctlGetVcpuInfo info)
    {
        if (info.Vcpu >= (uint)d.Vcpus.Length) return -Errno.ENOENT;
        Vcpu v = d.Vcpus[info.Vcpu];
        info.Online = (byte)(v.IsUp ? 1 : 0);
        info.Blocked = (byte)(v.Blocked ? 1 : 0);
        info.Running = (byte)(IsRunning(v) ? 1 : 0);
        info.CpuTime = RunningTime(v, caller.Hv.Platform.NowNs());
        info.Cpu = 0;
        return 0;
    }

    /// <summary>
    /// Hard affinity must leave the vCPU some CPU of its pool (-EINVAL); what is reported back on
    /// set is the effective mask (new affinity ∩ the pool's CPUs; soft also ∩ hard), on get the
    /// masks as stored. FORCE undoes a SCHEDOP_pin_override.
    /// </summary>
    public static long Affinity(Vcpu caller, Domain d, uint cmd, ref DomctlVcpuAffinity a)
    {
        if (a.Vcpu >= (uint)d.Vcpus.Length) return -Errno.EINVAL;
        if (a.Flags == 0
            || ((a.Flags & XenScheduler.AffinityHard) != 0 && a.CpumapHard.Bitmap == 0)
            || ((a.Flags & XenScheduler.AffinitySoft) != 0 && a.CpumapSoft.Bitmap == 0))
            return -Errno.EINVAL;
        DomainControl ctl = d.Control;
        int i = (int)a.Vcpu;
        uint n = Sysctl.HostTopology.NrCpus;
        ulong online = Sysctl.HostTopology.OnlineMask;
        if (cmd == DomctlCmd.GetVcpuAffinity)
        {
            int hrc = 0, src = 0;
            if ((a.Flags & XenScheduler.AffinityHard) != 0) hrc = XenctlBitmaps.ToGuest(caller, a.CpumapHard, ctl.HardAffinity[i], n);
            if ((a.Flags & XenScheduler.AffinitySoft) != 0) src = XenctlBitmaps.ToGuest(caller, a.CpumapSoft, ctl.SoftAffinity[i], n);
            return hrc != 0 ? hrc : src;
        }

        if ((a.Flags & XenScheduler.AffinityForce) != 0)
            d.Vcpus[i].AffinityBroken &= unchecked((byte)~Sched.PinOverride.AffinityOverride);
        ulong oldHard = ctl.HardAffinity[i];
        if ((a.Flags & XenScheduler.AffinityHard) != 0)
        {
            int rc = XenctlBitmaps.FromGuest(caller, a.CpumapHard, n, out ulong hard);
            if (rc == 0 && (hard & online) == 0) rc = -Errno.EINVAL;
            if (rc != 0) return rc;
            ctl.HardAffinity[i] = hard;
            rc = XenctlBitmaps.ToGuest(caller, a.CpumapHard, hard & online, n);
            if (rc != 0) return rc;
        }
        if ((a.Flags & XenScheduler.AffinitySoft) != 0)
        {
            int rc = XenctlBitmaps.FromGuest(caller, a.CpumapSoft, n, out ulong soft);
            if (rc != 0)
            {
                ctl.HardAffinity[i] = oldHard;
                return rc;
            }
            ctl.SoftAffinity[i] = soft;
            return XenctlBitmaps.ToGuest(caller, a.CpumapSoft, soft & online & ctl.HardAffinity[i], n);
        }
        return 0;
    }
}

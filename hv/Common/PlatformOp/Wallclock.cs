namespace XenLite.Hv.Common.PlatformOp;

/// <summary>Xen's do_settime: the wall time at system time 0, then every domain's shared_info.</summary>
public static class Wallclock
{
    const ulong NsPerSecond = 1_000_000_000;

    /// <summary>(secs, nsecs) was the wall time at system time <paramref name="systemTimeBase"/>.</summary>
    public static void Set(Hypervisor hv, ulong secs, uint nsecs, ulong systemTimeBase)
    {
        ulong x = secs * NsPerSecond + nsecs - systemTimeBase;
        hv.Clock.WallclockSec = x / NsPerSecond;
        hv.Clock.WallclockNsec = (uint)(x % NsPerSecond);
        for (uint id = 0; id < Hypervisor.MaxDomains; id++)
        {
            Domain d = hv.Lookup(id);
            if (d != null && d.SharedInfo != null) d.SharedInfo.WriteWallclock();
        }
    }
}

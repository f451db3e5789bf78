using XenLite.Hv.Abi;

namespace XenLite.Hv.Common.Sysctl;

/// <summary>
/// The machine as the toolstack sees it: guests run on one physical CPU (one thread, core and
/// socket) in one NUMA node, in one CPU pool (0) under one scheduler. That scheduler is our
/// round-robin, reported as XEN_SCHEDULER_NULL: like Xen's null scheduler it has no
/// per-domain parameters.
/// </summary>
public static class HostTopology
{
    public const uint NrCpus = 1;
    public const ulong OnlineMask = 1;
    public const uint NrNodes = 1;
    public const uint PoolId = 0;
    public const uint SchedulerId = XenScheduler.Null;
    /// <summary>Xen's MAX_NUMNODES for a build without NUMA.</summary>
    public const uint MaxNumNodes = 1;
    /// <summary>FSCAPINTS: words in an x86 featureset (public arch-x86/cpufeatureset.h, words 0–18).</summary>
    public const uint FeaturesetWords = 19;

    /// <summary>Nanoseconds CPU 0 spent idle: the time no vCPU was running.</summary>
    public static ulong IdleTime(Hypervisor hv)
    {
        ulong now = hv.Platform.NowNs(), busy = 0;
        for (uint id = 0; id < Hypervisor.MaxDomains; id++)
        {
            Domain d = hv.Lookup(id);
            if (d == null) continue;
            for (int i = 0; i < d.Vcpus.Length; i++)
                busy += Domctl.VcpuControl.RunningTime(d.Vcpus[i], now);
        }
        return busy >= now ? 0 : now - busy;
    }
}

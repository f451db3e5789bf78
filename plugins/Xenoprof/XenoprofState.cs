using XenLite.Hv.Common;
using XenLite.Hv.Dispatch;

namespace XenLite.Plugin.Xenoprof;

/// <summary>xenoprof's profiling state machine (XENOPROF_IDLE … XENOPROF_PROFILING).</summary>
public enum XenoprofPhase : byte
{
    Idle = 0,
    Initialized = 1,
    CountersReserved = 2,
    Ready = 3,
    Profiling = 4,
}

/// <summary>
/// xenoprof's globals (xenoprof.c): the primary profiler, the active and passive lists, the
/// phase, the counter set-up, the statistics, and each domain's buffers (Xen's d->xenoprof).
/// </summary>
public sealed class XenoprofState : PluginState
{
    public readonly Hypervisor Hv;
    /// <summary>The CPU's PMU; null when it has none (XENOPROF_init answers -ENODEV).</summary>
    public Pmu Pmu;

    public XenoprofPhase Phase;
    public Domain PrimaryProfiler;
    public readonly Domain[] ActiveDomains = new Domain[XenoprofLimits.MaxOprofDomains];
    public readonly bool[] ActiveReady = new bool[XenoprofLimits.MaxOprofDomains];
    public int Adomains;
    public int Activated;
    public readonly Domain[] PassiveDomains = new Domain[XenoprofLimits.MaxOprofDomains];
    public int Pdomains;
    public ulong BacktraceDepth;
    /// <summary>The PMU is lent to xenoprof (Xen's pmu_owner = PMU_OWNER_XENOPROF).</summary>
    public bool OwnsPmu;

    public readonly CounterConfig[] Counters = new CounterConfig[XenoprofLimits.MaxCounters];
    public IbsConfig Ibs;

    public ulong TotalSamples, InvalidBufferSamples, CorruptedBufferSamples, LostSamples;
    public ulong ActiveSamples, PassiveSamples, OthersSamples;

    readonly XenoprofBuffers[] _buffers = new XenoprofBuffers[Hypervisor.MaxDomains];

    XenoprofState(Hypervisor hv) => Hv = hv;

    public static int Slot => PluginState.SlotOf(Feature.Xenoprof);

    public static XenoprofState Of(Hypervisor hv)
    {
        PluginState s = hv.Plugins[Slot];
        if (s != null) return (XenoprofState)s;
        var x = new XenoprofState(hv);
        hv.Plugins[Slot] = x;
        return x;
    }

    public XenoprofBuffers BuffersOf(Domain d)
    {
        XenoprofBuffers b = d.Id < Hypervisor.MaxDomains ? _buffers[d.Id] : null;
        return b != null && b.Domain == d ? b : null;
    }

    public void SetBuffers(Domain d, XenoprofBuffers b) => _buffers[d.Id] = b;

    public bool IsActive(Domain d)
    {
        XenoprofBuffers b = BuffersOf(d);
        return b != null && b.Type == ProfiledAs.Active;
    }

    public void ResetStats()
    {
        TotalSamples = InvalidBufferSamples = CorruptedBufferSamples = LostSamples = 0;
        ActiveSamples = PassiveSamples = OthersSamples = 0;
    }

    /// <summary>
    /// Xen frees d->xenoprof when d dies (and keeps a dying profiled domain as a zombie while the
    /// lists hold it). Here the lists forget it, its buffers are freed, and buffers it was reading
    /// (passive domains') return to the hypervisor before its memory is released.
    /// </summary>
    public override void DomainDestroyed(Domain d)
    {
        for (int i = 0; i < Adomains; i++)
        {
            if (ActiveDomains[i] != d) continue;
            if (ActiveReady[i]) Activated--;
            ActiveDomains[i] = null;
            ActiveReady[i] = false;
        }
        for (int i = 0; i < Pdomains; i++)
            if (PassiveDomains[i] == d) PassiveDomains[i] = null;
        for (int id = 0; id < Hypervisor.MaxDomains; id++)
        {
            XenoprofBuffers b = _buffers[id];
            if (b != null && b.Domain != d && b.SharedWith(d)) b.Unshare();
        }
        XenoprofBuffers own = BuffersOf(d);
        if (own != null)
        {
            own.Free();
            _buffers[d.Id] = null;
        }
        if (PrimaryProfiler == d) PrimaryProfiler = null;
    }
}

namespace XenLite.Plugin.Xenoprof;

/// <summary>
/// The performance-monitoring unit xenoprof drives (Xen's arch/x86/oprofile nmi_* calls). The
/// image's arch code implements it for CPUs that offer one and calls
/// <see cref="XenoprofSampler.Sample"/> from its overflow interrupt; hosted tests use a fake.
/// Without one, XENOPROF_init answers -ENODEV, as Xen does on a CPU its oprofile code does not know.
/// </summary>
public abstract class Pmu
{
    /// <summary>oprofile's CPU type name (e.g. "x86-64/hammer"); null when there is no usable PMU.</summary>
    public abstract string CpuType { get; }
    public abstract int NumCounters { get; }
    /// <summary>AMD IBS capabilities (XENOPROF_get_ibs_caps); 0 without IBS.</summary>
    public abstract uint IbsCaps { get; }

    /// <summary>nmi_reserve_counters: take the counters; -ENOMEM or -EBUSY (e.g. the NMI watchdog holds them).</summary>
    public abstract int Reserve();
    /// <summary>nmi_setup_events: program the counters the profiler configured.</summary>
    public abstract int Setup(CounterConfig[] counters, in IbsConfig ibs);
    /// <summary>nmi_enable_virq: route counter overflows to the sampler.</summary>
    public abstract void EnableInterrupt();
    public abstract int Start();
    public abstract void Stop();
    public abstract void DisableInterrupt();
    public abstract void Release();
}

/// <summary>One counter's configuration (x86 counter_config).</summary>
public struct CounterConfig
{
    public ulong Count;
    public uint Enabled;
    public uint Event;
    public uint Kernel;
    public uint User;
    public ulong UnitMask;
}

/// <summary>AMD IBS configuration (ibs_config).</summary>
public struct IbsConfig
{
    public ulong OpEnabled;
    public ulong FetchEnabled;
    public ulong MaxCntFetch;
    public ulong MaxCntOp;
    public ulong RandEn;
    public ulong DispatchedOps;
}

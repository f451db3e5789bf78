namespace XenLite.Hv.Common.Vcpus;

/// <summary>
/// The time base guests are given: system time (Platform.NowNs), a TSC of
/// <see cref="TscHz"/> that counts from 0 at system time 0, the scale that turns TSC ticks
/// into ns (Xen's set_time_scale), and the wall time at system time 0.
/// </summary>
public sealed class GuestClock
{
    public const ulong DefaultTscHz = 2_000_000_000;
    const ulong NsPerSecond = 1_000_000_000;

    public ulong TscHz { get; private set; }
    /// <summary>32.32 fixed-point ns per (shifted) tick, and the shift applied first (vcpu_time_info).</summary>
    public uint TscToSystemMul { get; private set; }
    public sbyte TscShift { get; private set; }

    /// <summary>Wall time (seconds and ns since the epoch) at system time 0.</summary>
    public ulong WallclockSec;
    public uint WallclockNsec;

    public GuestClock() => SetFrequency(DefaultTscHz);

    /// <summary>Xen's set_time_scale: bring the rate into (1e9, 2e9] by shifting, then mul = 1e9/rate as a 0.32 fraction.</summary>
    public void SetFrequency(ulong hz)
    {
        if (hz == 0) hz = DefaultTscHz;
        TscHz = hz;
        ulong tps = hz;
        int shift = 0;
        while (tps > 2 * NsPerSecond)
        {
            tps >>= 1;
            shift--;
        }
        while (tps <= NsPerSecond)
        {
            tps <<= 1;
            shift++;
        }
        TscToSystemMul = (uint)((NsPerSecond << 32) / tps);
        TscShift = (sbyte)shift;
    }

    /// <summary>The TSC value at system time <paramref name="ns"/>.</summary>
    public ulong TscAt(ulong ns) => ns / NsPerSecond * TscHz + ns % NsPerSecond * TscHz / NsPerSecond;

    /// <summary>What a guest computes from a TSC delta with this clock's scale (Xen's scale_delta).</summary>
    public ulong ScaleDelta(ulong delta)
    {
        if (TscShift < 0) delta >>= -TscShift;
        else delta <<= TscShift;
        ulong mul = TscToSystemMul;
        return (delta >> 32) * mul + (((delta & 0xFFFF_FFFF) * mul) >> 32);
    }
}

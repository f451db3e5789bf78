using XenLite.Hv.Common;
using XenLite.Hv.Dispatch;
using N = XenLite.Hv.Abi.HypercallNumber;
using V = XenLite.Hv.Dispatch.Variant;

namespace XenLite.Plugin.Xenoprof;

/// <summary>
/// The xenoprof plugin: xenoprof_op (row 31, pv32 compat / pv64 do), Xen's CONFIG_XENOPROF.
/// Upstream Xen dropped it in 2026; the public header remains the ABI served here.
/// </summary>
[HypervisorPlugin("xenoprof", Feature.Xenoprof)]
public static unsafe class XenoprofPlugin
{
    public static void Register(HandlerRegistry r)
    {
        r.Add(N.XenoprofOp, V.Do, &XenoprofOp.Handle);
        r.Add(N.XenoprofOp, V.Compat, &XenoprofOp.HandleCompat);
    }

    /// <summary>Boot: the state, with no PMU until the arch offers one (<see cref="UsePmu"/>).</summary>
    public static void Init(Hypervisor hv) => XenoprofState.Of(hv);

    /// <summary>The CPU's PMU, given by the arch code that drives it (or a hosted fake).</summary>
    public static void UsePmu(Hypervisor hv, Pmu pmu) => XenoprofState.Of(hv).Pmu = pmu;
}

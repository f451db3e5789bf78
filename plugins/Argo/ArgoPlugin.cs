using XenLite.Hv.Common;
using XenLite.Hv.Dispatch;
using N = XenLite.Hv.Abi.HypercallNumber;
using V = XenLite.Hv.Dispatch.Variant;

namespace XenLite.Plugin.Argo;

/// <summary>Argo (argo_op, public/argo.h): hypervisor-mediated messages between domains' rings.</summary>
[HypervisorPlugin("argo", Feature.Argo)]
public static unsafe class ArgoPlugin
{
    public static void Register(HandlerRegistry r)
    {
        r.Add(N.ArgoOp, V.Do, &ArgoOp.Handle);
        r.Add(N.ArgoOp, V.Compat, &ArgoOp.HandleCompat);
    }

    /// <summary>Reads the `argo=` option, as Xen does at boot.</summary>
    public static void Init(Hypervisor hv) => ArgoState.Of(hv);
}

using XenLite.Hv.Common;
using XenLite.Hv.Dispatch;
using N = XenLite.Hv.Abi.HypercallNumber;
using V = XenLite.Hv.Dispatch.Variant;

namespace XenLite.Plugin.Kexec;

/// <summary>The kexec plugin: kexec_op (row 37, pv32 compat / pv64 do), Xen's CONFIG_KEXEC.</summary>
[HypervisorPlugin("kexec", Feature.Kexec)]
public static unsafe class KexecPlugin
{
    public static void Register(HandlerRegistry r)
    {
        r.Add(N.KexecOp, V.Do, &KexecOp.Handle);
        r.Add(N.KexecOp, V.Compat, &KexecOp.HandleCompat);
    }

    /// <summary>Boot: the state, and the crash area when the command line asks for one (`crashkernel=`).</summary>
    public static void Init(Hypervisor hv)
    {
        KexecState k = KexecState.Of(hv);
        ulong bytes = CrashKernelOption.Parse(hv.Build.CommandLine);
        if (bytes != 0) k.ReserveCrashArea(bytes);
    }
}

using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using N = XenLite.Hv.Abi.HypercallNumber;
using V = XenLite.Hv.Dispatch.Variant;

namespace XenLite.Hv.Dispatch;

/// <summary>The handlers of the core (no plugins). A routed row missing here answers -ENOSYS.</summary>
public static unsafe class CoreHandlers
{
    public static void Register(HandlerRegistry r)
    {
        r.Add(N.Multicall, V.Do | V.Compat, &Multicall.Handle);
        r.Add(N.XenVersion, V.Do | V.Compat, &Common.XenVersion.XenVersionHandler.Handle);
        r.Add(N.ConsoleIo, V.Do, &Common.ConsoleIo.ConsoleIoHandler.Handle);
    }
}

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
        r.Add(N.SchedOp, V.Do | V.Compat, &Common.Sched.SchedOp.Handle);
        r.Add(N.SchedOpCompat, V.Do, &Common.Sched.SchedOpCompat.Handle);
        r.Add(N.SchedOpCompat, V.Dep, &Common.Sched.SchedOpCompat.Deprecated);
        r.Add(N.SetTimerOp, V.Do, &Common.Sched.SetTimerOp.Handle);
        r.Add(N.SetTimerOp, V.Compat, &Common.Sched.SetTimerOp.HandleCompat);
        r.Add(N.VmAssist, V.Do, &Common.Sched.VmAssistOp.Handle);
        r.Add(N.XenVersion, V.Do | V.Compat, &Common.XenVersion.XenVersionHandler.Handle);
        r.Add(N.ConsoleIo, V.Do, &Common.ConsoleIo.ConsoleIoHandler.Handle);
        r.Add(N.EventChannelOp, V.Do, &Common.Events.EventChannelOp.Handle);
        r.Add(N.EventChannelOpCompat, V.Do, &Common.Events.EventChannelOpCompat.Handle);
        r.Add(N.EventChannelOpCompat, V.Dep, &Common.Events.EventChannelOpCompat.Deprecated);
        r.Add(N.VcpuOp, V.Do, &Common.Vcpus.VcpuOp.Handle);
        r.Add(N.VcpuOp, V.Compat, &Common.Vcpus.VcpuOp.HandleCompat);
        r.Add(N.MemoryOp, V.Do, &Common.MemoryOps.MemoryOp.Handle);
        r.Add(N.MemoryOp, V.Compat, &Common.MemoryOps.MemoryOp.HandleCompat);
        r.Add(N.MemoryOp, V.Hvm, &Common.MemoryOps.MemoryOp.HandleHvm);
        r.Add(N.GrantTableOp, V.Do, &Common.Grants.GrantTableOp.Handle);
        r.Add(N.GrantTableOp, V.Compat, &Common.Grants.GrantTableOp.HandleCompat);
        r.Add(N.GrantTableOp, V.Hvm, &Common.Grants.GrantTableOp.HandleHvm);
    }
}

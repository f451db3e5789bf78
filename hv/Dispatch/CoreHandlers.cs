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
        r.Add(N.HvmOp, V.Do, &Common.HvmOp.HvmOpHandler.Handle);
        r.Add(N.PhysdevOp, V.Do | V.Compat, &Common.Physdev.PhysdevOp.Handle);
        r.Add(N.PhysdevOp, V.Hvm, &Common.Physdev.PhysdevOp.HandleHvm);
        r.Add(N.PhysdevOp, V.DoArm, &Common.Physdev.PhysdevOp.HandleArm);
        r.Add(N.PhysdevOpCompat, V.Do | V.Compat, &Common.Physdev.PhysdevOpCompat.Handle);
        r.Add(N.PhysdevOpCompat, V.Dep, &Common.Physdev.PhysdevOpCompat.Deprecated);
        r.Add(N.PlatformOp, V.Do | V.Compat, &Common.PlatformOp.PlatformOpHandler.Handle);
        r.Add(N.DmOp, V.Do, &Common.DmOp.DmOpHandler.Handle);
        r.Add(N.DmOp, V.Compat, &Common.DmOp.DmOpHandler.HandleCompat);
        r.Add(N.XenpmuOp, V.Do, &Common.Pmu.XenpmuOpHandler.Handle);
        r.Add(N.Mca, V.Do, &Common.PlatformOp.Mca.Handle);
        r.Add(N.PagingDomctlCont, V.Do, &Common.Paging.PagingDomctlCont.Handle);
        r.Add(N.Domctl, V.Do, &Common.Domctl.DomctlOp.Handle);
        r.Add(N.Sysctl, V.Do, &Common.Sysctl.SysctlOp.Handle);
    }
}

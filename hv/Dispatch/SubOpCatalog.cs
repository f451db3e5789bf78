using XenLite.Hv.Abi;
using N = XenLite.Hv.Abi.HypercallNumber;
using S = XenLite.Hv.Dispatch.SubOpStatus;

namespace XenLite.Hv.Dispatch;

/// <summary>What XenLite does with a sub-op today.</summary>
public enum SubOpStatus : byte
{
    /// <summary>A handler serves it.</summary>
    Implemented,
    /// <summary>Defined by Xen's headers, answered with -ENOSYS here.</summary>
    Enosys,
    /// <summary>Served only when its plugin is built in.</summary>
    Plugin,
}

/// <summary>One sub-op of a hypercall: its number and name from Xen's public headers.</summary>
public readonly struct SubOp
{
    public readonly int Number;
    public readonly string Name;
    public readonly SubOpStatus Status;

    public SubOp(int number, string name, SubOpStatus status)
    {
        Number = number;
        Name = name;
        Status = status;
    }
}

/// <summary>A hypercall whose sub-ops are catalogued; Ops is empty when it has none (multicall).</summary>
public readonly struct SubOpFamily
{
    public readonly int Hypercall;
    public readonly SubOp[] Ops;

    public SubOpFamily(int hypercall, SubOp[] ops)
    {
        Hypercall = hypercall;
        Ops = ops;
    }
}

/// <summary>
/// Per hypercall, the sub-ops Xen's public headers define and what XenLite does with each.
/// It feeds docs/hypercalls.md; tests check each status against the live dispatcher.
/// </summary>
public static class SubOpCatalog
{
    public static readonly SubOpFamily[] Families =
    {
        new(N.XenVersion, new SubOp[]
        {
            new(XenVer.Version,            "XENVER_version",             S.Implemented),
            new(XenVer.Extraversion,       "XENVER_extraversion",        S.Implemented),
            new(XenVer.CompileInfo,        "XENVER_compile_info",        S.Implemented),
            new(XenVer.Capabilities,       "XENVER_capabilities",        S.Implemented),
            new(XenVer.Changeset,          "XENVER_changeset",           S.Implemented),
            new(XenVer.PlatformParameters, "XENVER_platform_parameters", S.Implemented),
            new(XenVer.GetFeatures,        "XENVER_get_features",        S.Implemented),
            new(XenVer.Pagesize,           "XENVER_pagesize",            S.Implemented),
            new(XenVer.GuestHandle,        "XENVER_guest_handle",        S.Implemented),
            new(XenVer.Commandline,        "XENVER_commandline",         S.Implemented),
            new(XenVer.BuildId,            "XENVER_build_id",            S.Implemented),
            new(XenVer.Extraversion2,      "XENVER_extraversion2",       S.Implemented),
            new(XenVer.Capabilities2,      "XENVER_capabilities2",       S.Implemented),
            new(XenVer.Changeset2,         "XENVER_changeset2",          S.Implemented),
            new(XenVer.Commandline2,       "XENVER_commandline2",        S.Implemented),
        }),
        new(N.ConsoleIo, new SubOp[]
        {
            new(ConsoleIoCmd.Write, "CONSOLEIO_write", S.Implemented),
            new(ConsoleIoCmd.Read,  "CONSOLEIO_read",  S.Implemented),
        }),
        new(N.SchedOp, new SubOp[]
        {
            new(SchedOpCmd.Yield,          "SCHEDOP_yield",           S.Implemented),
            new(SchedOpCmd.Block,          "SCHEDOP_block",           S.Implemented),
            new(SchedOpCmd.Shutdown,       "SCHEDOP_shutdown",        S.Implemented),
            new(SchedOpCmd.Poll,           "SCHEDOP_poll",            S.Implemented),
            new(SchedOpCmd.RemoteShutdown, "SCHEDOP_remote_shutdown", S.Implemented),
            new(SchedOpCmd.ShutdownCode,   "SCHEDOP_shutdown_code",   S.Implemented),
            new(SchedOpCmd.Watchdog,       "SCHEDOP_watchdog",        S.Implemented),
            new(SchedOpCmd.PinOverride,    "SCHEDOP_pin_override",    S.Implemented),
        }),
        new(N.VmAssist, new SubOp[]
        {
            new(VmAssistCmd.Enable,  "VMASST_CMD_enable",  S.Implemented),
            new(VmAssistCmd.Disable, "VMASST_CMD_disable", S.Implemented),
        }),
        new(N.Multicall, new SubOp[0]),
        new(N.EventChannelOp, new SubOp[]
        {
            new(EvtchnOpCmd.BindInterdomain, "EVTCHNOP_bind_interdomain", S.Implemented),
            new(EvtchnOpCmd.BindVirq,        "EVTCHNOP_bind_virq",        S.Implemented),
            new(EvtchnOpCmd.BindPirq,        "EVTCHNOP_bind_pirq",        S.Implemented),
            new(EvtchnOpCmd.Close,           "EVTCHNOP_close",            S.Implemented),
            new(EvtchnOpCmd.Send,            "EVTCHNOP_send",             S.Implemented),
            new(EvtchnOpCmd.Status,          "EVTCHNOP_status",           S.Implemented),
            new(EvtchnOpCmd.AllocUnbound,    "EVTCHNOP_alloc_unbound",    S.Implemented),
            new(EvtchnOpCmd.BindIpi,         "EVTCHNOP_bind_ipi",         S.Implemented),
            new(EvtchnOpCmd.BindVcpu,        "EVTCHNOP_bind_vcpu",        S.Implemented),
            new(EvtchnOpCmd.Unmask,          "EVTCHNOP_unmask",           S.Implemented),
            new(EvtchnOpCmd.Reset,           "EVTCHNOP_reset",            S.Implemented),
            new(EvtchnOpCmd.InitControl,     "EVTCHNOP_init_control",     S.Implemented),
            new(EvtchnOpCmd.ExpandArray,     "EVTCHNOP_expand_array",     S.Implemented),
            new(EvtchnOpCmd.SetPriority,     "EVTCHNOP_set_priority",     S.Implemented),
        }),
        new(N.VcpuOp, new SubOp[]
        {
            new(VcpuOpCmd.Initialise,                 "VCPUOP_initialise",                    S.Implemented),
            new(VcpuOpCmd.Up,                         "VCPUOP_up",                            S.Implemented),
            new(VcpuOpCmd.Down,                       "VCPUOP_down",                          S.Implemented),
            new(VcpuOpCmd.IsUp,                       "VCPUOP_is_up",                         S.Implemented),
            new(VcpuOpCmd.GetRunstateInfo,            "VCPUOP_get_runstate_info",             S.Implemented),
            new(VcpuOpCmd.RegisterRunstateMemoryArea, "VCPUOP_register_runstate_memory_area", S.Implemented),
            new(VcpuOpCmd.SetPeriodicTimer,           "VCPUOP_set_periodic_timer",            S.Implemented),
            new(VcpuOpCmd.StopPeriodicTimer,          "VCPUOP_stop_periodic_timer",           S.Implemented),
            new(VcpuOpCmd.SetSingleshotTimer,         "VCPUOP_set_singleshot_timer",          S.Implemented),
            new(VcpuOpCmd.StopSingleshotTimer,        "VCPUOP_stop_singleshot_timer",         S.Implemented),
            new(VcpuOpCmd.RegisterVcpuInfo,           "VCPUOP_register_vcpu_info",            S.Implemented),
            new(VcpuOpCmd.SendNmi,                    "VCPUOP_send_nmi",                      S.Implemented),
            new(VcpuOpCmd.GetPhysid,                  "VCPUOP_get_physid",                    S.Implemented),
            new(VcpuOpCmd.RegisterVcpuTimeMemoryArea, "VCPUOP_register_vcpu_time_memory_area", S.Implemented),
            new(VcpuOpCmd.RegisterRunstatePhysArea,   "VCPUOP_register_runstate_phys_area",   S.Implemented),
            new(VcpuOpCmd.RegisterVcpuTimePhysArea,   "VCPUOP_register_vcpu_time_phys_area",  S.Implemented),
        }),
    };

    /// <summary>Index into <see cref="Families"/> for a hypercall number, or -1.</summary>
    public static int IndexOf(int hypercall)
    {
        for (int i = 0; i < Families.Length; i++)
            if (Families[i].Hypercall == hypercall) return i;
        return -1;
    }
}

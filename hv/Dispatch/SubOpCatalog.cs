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
            new(XenVer.Version,            "XENVER_version",             S.Enosys),
            new(XenVer.Extraversion,       "XENVER_extraversion",        S.Enosys),
            new(XenVer.CompileInfo,        "XENVER_compile_info",        S.Enosys),
            new(XenVer.Capabilities,       "XENVER_capabilities",        S.Enosys),
            new(XenVer.Changeset,          "XENVER_changeset",           S.Enosys),
            new(XenVer.PlatformParameters, "XENVER_platform_parameters", S.Enosys),
            new(XenVer.GetFeatures,        "XENVER_get_features",        S.Enosys),
            new(XenVer.Pagesize,           "XENVER_pagesize",            S.Enosys),
            new(XenVer.GuestHandle,        "XENVER_guest_handle",        S.Enosys),
            new(XenVer.Commandline,        "XENVER_commandline",         S.Enosys),
            new(XenVer.BuildId,            "XENVER_build_id",            S.Enosys),
            new(XenVer.Extraversion2,      "XENVER_extraversion2",       S.Enosys),
            new(XenVer.Capabilities2,      "XENVER_capabilities2",       S.Enosys),
            new(XenVer.Changeset2,         "XENVER_changeset2",          S.Enosys),
            new(XenVer.Commandline2,       "XENVER_commandline2",        S.Enosys),
        }),
        new(N.ConsoleIo, new SubOp[]
        {
            new(ConsoleIoCmd.Write, "CONSOLEIO_write", S.Enosys),
            new(ConsoleIoCmd.Read,  "CONSOLEIO_read",  S.Enosys),
        }),
        new(N.SchedOp, new SubOp[]
        {
            new(SchedOpCmd.Yield,          "SCHEDOP_yield",           S.Enosys),
            new(SchedOpCmd.Block,          "SCHEDOP_block",           S.Enosys),
            new(SchedOpCmd.Shutdown,       "SCHEDOP_shutdown",        S.Enosys),
            new(SchedOpCmd.Poll,           "SCHEDOP_poll",            S.Enosys),
            new(SchedOpCmd.RemoteShutdown, "SCHEDOP_remote_shutdown", S.Enosys),
            new(SchedOpCmd.ShutdownCode,   "SCHEDOP_shutdown_code",   S.Enosys),
            new(SchedOpCmd.Watchdog,       "SCHEDOP_watchdog",        S.Enosys),
            new(SchedOpCmd.PinOverride,    "SCHEDOP_pin_override",    S.Enosys),
        }),
        new(N.VmAssist, new SubOp[]
        {
            new(VmAssistCmd.Enable,  "VMASST_CMD_enable",  S.Enosys),
            new(VmAssistCmd.Disable, "VMASST_CMD_disable", S.Enosys),
        }),
        new(N.Multicall, new SubOp[0]),
    };

    /// <summary>Index into <see cref="Families"/> for a hypercall number, or -1.</summary>
    public static int IndexOf(int hypercall)
    {
        for (int i = 0; i < Families.Length; i++)
            if (Families[i].Hypercall == hypercall) return i;
        return -1;
    }
}

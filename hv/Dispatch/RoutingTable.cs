using XenLite.Hv.Abi;
using static XenLite.Hv.Dispatch.Cells;
using N = XenLite.Hv.Abi.HypercallNumber;

namespace XenLite.Hv.Dispatch;

/// <summary>
/// Which handler each guest mode gets for each hypercall: Xen's hypercall-defs.c `table:`,
/// row for row, with every Kconfig option on except those owned by a plugin (Feature).
/// </summary>
public static class RoutingTable
{
    public static readonly RouteRow[] Rows =
    {
        //   name                              number                        feature           pv32      pv64   hvm32    hvm64  arm
        new("set_trap_table",                N.SetTrapTable,               Feature.Core,     Compat,   Do,    No,      No,    No),
        new("mmu_update",                    N.MmuUpdate,                  Feature.Core,     Do1,      Do1,   No,      No,    No),
        new("set_gdt",                       N.SetGdt,                     Feature.Core,     Compat,   Do,    No,      No,    No),
        new("stack_switch",                  N.StackSwitch,                Feature.Core,     Do2,      Do2,   No,      No,    No),
        new("set_callbacks",                 N.SetCallbacks,               Feature.Core,     Compat,   Do,    No,      No,    No),
        new("fpu_taskswitch",                N.FpuTaskswitch,              Feature.Core,     Do,       Do,    No,      No,    No),
        new("sched_op_compat",               N.SchedOpCompat,              Feature.Core,     Do,       Do,    No,      No,    Dep),
        new("platform_op",                   N.PlatformOp,                 Feature.Core,     Compat,   Do,    Compat,  Do,    Do),
        new("set_debugreg",                  N.SetDebugreg,                Feature.Core,     Do,       Do,    No,      No,    No),
        new("get_debugreg",                  N.GetDebugreg,                Feature.Core,     Do,       Do,    No,      No,    No),
        new("update_descriptor",             N.UpdateDescriptor,           Feature.Core,     Compat,   Do,    No,      No,    No),
        new("memory_op",                     N.MemoryOp,                   Feature.Core,     Compat,   Do,    Hvm,     Hvm,   Do),
        new("multicall",                     N.Multicall,                  Feature.Core,     Compat2,  Do2,   Compat,  Do,    Do),
        new("update_va_mapping",             N.UpdateVaMapping,            Feature.Core,     Compat,   Do,    No,      No,    No),
        new("set_timer_op",                  N.SetTimerOp,                 Feature.Core,     Compat,   Do,    Compat,  Do,    No),
        new("event_channel_op_compat",       N.EventChannelOpCompat,       Feature.Core,     Do,       Do,    No,      No,    Dep),
        new("xen_version",                   N.XenVersion,                 Feature.Core,     Do,       Do,    Do,      Do,    Do),
        new("console_io",                    N.ConsoleIo,                  Feature.Core,     Do,       Do,    Do,      Do,    Do),
        new("physdev_op_compat",             N.PhysdevOpCompat,            Feature.Core,     Compat,   Do,    No,      No,    Dep),
        new("grant_table_op",                N.GrantTableOp,               Feature.Core,     Compat,   Do,    Hvm,     Hvm,   Do),
        new("vm_assist",                     N.VmAssist,                   Feature.Core,     Do,       Do,    Do,      Do,    Do),
        new("update_va_mapping_otherdomain", N.UpdateVaMappingOtherdomain, Feature.Core,     Compat,   Do,    No,      No,    No),
        new("iret",                          N.Iret,                       Feature.Core,     Compat1,  Do1,   No,      No,    No),
        new("vcpu_op",                       N.VcpuOp,                     Feature.Core,     Compat,   Do,    Compat1, Do1,   Do),
        new("set_segment_base",              N.SetSegmentBase,             Feature.Core,     Do2,      Do2,   No,      No,    No),
        new("mmuext_op",                     N.MmuextOp,                   Feature.Core,     Compat2,  Do2,   Compat,  Do,    No),
        new("xsm_op",                        N.XsmOp,                      Feature.Core,     Compat,   Do,    Compat,  Do,    Do),
        new("nmi_op",                        N.NmiOp,                      Feature.Core,     Compat,   Do,    No,      No,    No),
        new("sched_op",                      N.SchedOp,                    Feature.Core,     Compat,   Do,    Compat,  Do,    Do),
        new("callback_op",                   N.CallbackOp,                 Feature.Core,     Compat,   Do,    No,      No,    No),
        new("xenoprof_op",                   N.XenoprofOp,                 Feature.Xenoprof, Compat,   Do,    No,      No,    No),
        new("event_channel_op",              N.EventChannelOp,             Feature.Core,     Do,       Do,    Do1,     Do1,   Do1),
        new("physdev_op",                    N.PhysdevOp,                  Feature.Core,     Compat,   Do,    Hvm,     Hvm,   DoArm),
        new("hvm_op",                        N.HvmOp,                      Feature.Core,     Do,       Do,    Do,      Do,    Do),
        new("sysctl",                        N.Sysctl,                     Feature.Core,     Do,       Do,    Do,      Do,    Do),
        new("domctl",                        N.Domctl,                     Feature.Core,     Do,       Do,    Do,      Do,    Do),
        new("kexec_op",                      N.KexecOp,                    Feature.Kexec,    Compat,   Do,    No,      No,    No),
        new("tmem_op",                       N.TmemOp,                     Feature.Core,     No,       No,    No,      No,    No),
        new("argo_op",                       N.ArgoOp,                     Feature.Argo,     Compat,   Do,    Compat,  Do,    Do),
        new("xenpmu_op",                     N.XenpmuOp,                   Feature.Core,     Do,       Do,    Do,      Do,    No),
        new("dm_op",                         N.DmOp,                       Feature.Core,     Compat,   Do,    Compat,  Do,    Do),
        new("hypfs_op",                      N.HypfsOp,                    Feature.Hypfs,    Do,       Do,    Do,      Do,    Do),
        new("mca",                           N.Mca,                        Feature.Core,     Do,       Do,    No,      No,    No),
        new("paging_domctl_cont",            N.PagingDomctlCont,           Feature.Core,     Do,       Do,    Do,      Do,    No),
    };

    /// <summary>Index into <see cref="Rows"/> for a hypercall number, or -1.</summary>
    public static int IndexOf(int number)
    {
        for (int i = 0; i < Rows.Length; i++)
            if (Rows[i].Number == number) return i;
        return -1;
    }
}

/// <summary>Short names for the table's cells, so each row reads like hypercall-defs.c.</summary>
public static class Cells
{
    public static readonly Cell No = new(Variant.None, 0);
    public static readonly Cell Do = new(Variant.Do, 0);
    public static readonly Cell Do1 = new(Variant.Do, 1);
    public static readonly Cell Do2 = new(Variant.Do, 2);
    public static readonly Cell Compat = new(Variant.Compat, 0);
    public static readonly Cell Compat1 = new(Variant.Compat, 1);
    public static readonly Cell Compat2 = new(Variant.Compat, 2);
    public static readonly Cell Hvm = new(Variant.Hvm, 0);
    public static readonly Cell DoArm = new(Variant.DoArm, 0);
    public static readonly Cell Dep = new(Variant.Dep, 0);
}

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
        // memory_op and grant_table_op as an HVM guest sees them: hvm_memory_op and hvm_grant_table_op
        // refuse some sub-ops that PV (and arm) guests get (see hv/Common/MemoryOps, hv/Common/Grants).
        new(N.MemoryOp, new SubOp[]
        {
            new(XenMem.IncreaseReservation,     "XENMEM_increase_reservation",      S.Implemented),
            new(XenMem.DecreaseReservation,     "XENMEM_decrease_reservation",      S.Implemented),
            new(XenMem.MaximumRamPage,          "XENMEM_maximum_ram_page",          S.Implemented),
            new(XenMem.CurrentReservation,      "XENMEM_current_reservation",       S.Implemented),
            new(XenMem.MaximumReservation,      "XENMEM_maximum_reservation",       S.Implemented),
            new(XenMem.MachphysMfnList,         "XENMEM_machphys_mfn_list",         S.Enosys),
            new(XenMem.PopulatePhysmap,         "XENMEM_populate_physmap",          S.Implemented),
            new(XenMem.AddToPhysmap,            "XENMEM_add_to_physmap",            S.Implemented),
            new(XenMem.MemoryMap,               "XENMEM_memory_map",                S.Implemented),
            new(XenMem.MachineMemoryMap,        "XENMEM_machine_memory_map",        S.Implemented),
            new(XenMem.Exchange,                "XENMEM_exchange",                  S.Implemented),
            new(XenMem.MachphysMapping,         "XENMEM_machphys_mapping",          S.Enosys),
            new(XenMem.SetMemoryMap,            "XENMEM_set_memory_map",            S.Implemented),
            new(XenMem.MaximumGpfn,             "XENMEM_maximum_gpfn",              S.Implemented),
            new(XenMem.RemoveFromPhysmap,       "XENMEM_remove_from_physmap",       S.Implemented),
            new(XenMem.SetPodTarget,            "XENMEM_set_pod_target",            S.Enosys),
            new(XenMem.GetPodTarget,            "XENMEM_get_pod_target",            S.Enosys),
            new(XenMem.GetSharingFreedPages,    "XENMEM_get_sharing_freed_pages",   S.Enosys),
            new(XenMem.GetSharingSharedPages,   "XENMEM_get_sharing_shared_pages",  S.Enosys),
            new(XenMem.PagingOp,                "XENMEM_paging_op",                 S.Enosys),
            new(XenMem.AccessOp,                "XENMEM_access_op",                 S.Enosys),
            new(XenMem.SharingOp,               "XENMEM_sharing_op",                S.Enosys),
            new(XenMem.AddToPhysmapBatch,       "XENMEM_add_to_physmap_batch",      S.Implemented),
            new(XenMem.ClaimPages,              "XENMEM_claim_pages",               S.Implemented),
            new(XenMem.MachphysCompatMfnList,   "XENMEM_machphys_compat_mfn_list",  S.Enosys),
            new(XenMem.GetVnumainfo,            "XENMEM_get_vnumainfo",             S.Enosys),
            new(XenMem.ReservedDeviceMemoryMap, "XENMEM_reserved_device_memory_map", S.Enosys),
            new(XenMem.AcquireResource,         "XENMEM_acquire_resource",          S.Implemented),
        }),
        new(N.GrantTableOp, new SubOp[]
        {
            new((int)GnttabOp.MapGrantRef,      "GNTTABOP_map_grant_ref",      S.Implemented),
            new((int)GnttabOp.UnmapGrantRef,    "GNTTABOP_unmap_grant_ref",    S.Implemented),
            new((int)GnttabOp.SetupTable,       "GNTTABOP_setup_table",        S.Implemented),
            new((int)GnttabOp.DumpTable,        "GNTTABOP_dump_table",         S.Enosys),
            new((int)GnttabOp.Transfer,         "GNTTABOP_transfer",           S.Enosys),
            new((int)GnttabOp.Copy,             "GNTTABOP_copy",               S.Implemented),
            new((int)GnttabOp.QuerySize,        "GNTTABOP_query_size",         S.Implemented),
            new((int)GnttabOp.UnmapAndReplace,  "GNTTABOP_unmap_and_replace",  S.Enosys),
            new((int)GnttabOp.SetVersion,       "GNTTABOP_set_version",        S.Implemented),
            new((int)GnttabOp.GetStatusFrames,  "GNTTABOP_get_status_frames",  S.Enosys),
            new((int)GnttabOp.GetVersion,       "GNTTABOP_get_version",        S.Implemented),
            new((int)GnttabOp.SwapGrantRef,     "GNTTABOP_swap_grant_ref",     S.Implemented),
            new((int)GnttabOp.CacheFlush,       "GNTTABOP_cache_flush",        S.Enosys),
        }),
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
        // domctl and sysctl as a privileged x86 caller sees them (hv/Common/Domctl, hv/Common/Sysctl).
        new(N.Domctl, new SubOp[]
        {
            new((int)DomctlCmd.CreateDomain, "XEN_DOMCTL_createdomain",               S.Implemented),
            new((int)DomctlCmd.DestroyDomain, "XEN_DOMCTL_destroydomain",              S.Implemented),
            new((int)DomctlCmd.PauseDomain, "XEN_DOMCTL_pausedomain",                S.Implemented),
            new((int)DomctlCmd.UnpauseDomain, "XEN_DOMCTL_unpausedomain",              S.Implemented),
            new((int)DomctlCmd.GetDomainInfo, "XEN_DOMCTL_getdomaininfo",              S.Implemented),
            new((int)DomctlCmd.SetVcpuAffinity, "XEN_DOMCTL_setvcpuaffinity",            S.Implemented),
            new((int)DomctlCmd.ShadowOp, "XEN_DOMCTL_shadow_op",                  S.Enosys),
            new((int)DomctlCmd.MaxMem, "XEN_DOMCTL_max_mem",                    S.Implemented),
            new((int)DomctlCmd.SetVcpuContext, "XEN_DOMCTL_setvcpucontext",             S.Implemented),
            new((int)DomctlCmd.GetVcpuContext, "XEN_DOMCTL_getvcpucontext",             S.Implemented),
            new((int)DomctlCmd.GetVcpuInfo, "XEN_DOMCTL_getvcpuinfo",                S.Implemented),
            new((int)DomctlCmd.MaxVcpus, "XEN_DOMCTL_max_vcpus",                  S.Implemented),
            new((int)DomctlCmd.SchedulerOp, "XEN_DOMCTL_scheduler_op",               S.Implemented),
            new((int)DomctlCmd.SetDomainHandle, "XEN_DOMCTL_setdomainhandle",            S.Implemented),
            new((int)DomctlCmd.SetDebugging, "XEN_DOMCTL_setdebugging",               S.Implemented),
            new((int)DomctlCmd.IrqPermission, "XEN_DOMCTL_irq_permission",             S.Implemented),
            new((int)DomctlCmd.IomemPermission, "XEN_DOMCTL_iomem_permission",           S.Implemented),
            new((int)DomctlCmd.IoportPermission, "XEN_DOMCTL_ioport_permission",          S.Implemented),
            new((int)DomctlCmd.HypercallInit, "XEN_DOMCTL_hypercall_init",             S.Implemented),
            new((int)DomctlCmd.SetTimeOffset, "XEN_DOMCTL_settimeoffset",              S.Implemented),
            new((int)DomctlCmd.GetVcpuAffinity, "XEN_DOMCTL_getvcpuaffinity",            S.Implemented),
            new((int)DomctlCmd.RealModeArea, "XEN_DOMCTL_real_mode_area",             S.Enosys),
            new((int)DomctlCmd.ResumeDomain, "XEN_DOMCTL_resumedomain",               S.Enosys),
            new((int)DomctlCmd.SendTrigger, "XEN_DOMCTL_sendtrigger",                S.Enosys),
            new((int)DomctlCmd.Subscribe, "XEN_DOMCTL_subscribe",                  S.Enosys),
            new((int)DomctlCmd.GetHvmContext, "XEN_DOMCTL_gethvmcontext",              S.Enosys),
            new((int)DomctlCmd.SetHvmContext, "XEN_DOMCTL_sethvmcontext",              S.Enosys),
            new((int)DomctlCmd.SetAddressSize, "XEN_DOMCTL_set_address_size",           S.Implemented),
            new((int)DomctlCmd.GetAddressSize, "XEN_DOMCTL_get_address_size",           S.Implemented),
            new((int)DomctlCmd.AssignDevice, "XEN_DOMCTL_assign_device",              S.Enosys),
            new((int)DomctlCmd.BindPtIrq, "XEN_DOMCTL_bind_pt_irq",                S.Enosys),
            new((int)DomctlCmd.MemoryMapping, "XEN_DOMCTL_memory_mapping",             S.Enosys),
            new((int)DomctlCmd.IoportMapping, "XEN_DOMCTL_ioport_mapping",             S.Enosys),
            new((int)DomctlCmd.SetExtVcpuContext, "XEN_DOMCTL_set_ext_vcpucontext",        S.Enosys),
            new((int)DomctlCmd.GetExtVcpuContext, "XEN_DOMCTL_get_ext_vcpucontext",        S.Enosys),
            new((int)DomctlCmd.SetOptFeature, "XEN_DOMCTL_set_opt_feature",            S.Enosys),
            new((int)DomctlCmd.TestAssignDevice, "XEN_DOMCTL_test_assign_device",         S.Enosys),
            new((int)DomctlCmd.SetTarget, "XEN_DOMCTL_set_target",                 S.Implemented),
            new((int)DomctlCmd.DeassignDevice, "XEN_DOMCTL_deassign_device",            S.Enosys),
            new((int)DomctlCmd.UnbindPtIrq, "XEN_DOMCTL_unbind_pt_irq",              S.Enosys),
            new((int)DomctlCmd.GetDeviceGroup, "XEN_DOMCTL_get_device_group",           S.Enosys),
            new((int)DomctlCmd.DebugOp, "XEN_DOMCTL_debug_op",                   S.Enosys),
            new((int)DomctlCmd.GetHvmContextPartial, "XEN_DOMCTL_gethvmcontext_partial",      S.Enosys),
            new((int)DomctlCmd.VmEventOp, "XEN_DOMCTL_vm_event_op",                S.Enosys),
            new((int)DomctlCmd.MemSharingOp, "XEN_DOMCTL_mem_sharing_op",             S.Enosys),
            new((int)DomctlCmd.GetTscInfo, "XEN_DOMCTL_gettscinfo",                 S.Enosys),
            new((int)DomctlCmd.SetTscInfo, "XEN_DOMCTL_settscinfo",                 S.Enosys),
            new((int)DomctlCmd.GetPageFrameInfo3, "XEN_DOMCTL_getpageframeinfo3",          S.Enosys),
            new((int)DomctlCmd.SetVcpuExtState, "XEN_DOMCTL_setvcpuextstate",            S.Enosys),
            new((int)DomctlCmd.GetVcpuExtState, "XEN_DOMCTL_getvcpuextstate",            S.Enosys),
            new((int)DomctlCmd.SetAccessRequired, "XEN_DOMCTL_set_access_required",        S.Enosys),
            new((int)DomctlCmd.AuditP2m, "XEN_DOMCTL_audit_p2m",                  S.Enosys),
            new((int)DomctlCmd.SetVirqHandler, "XEN_DOMCTL_set_virq_handler",           S.Enosys),
            new((int)DomctlCmd.SetBrokenPageP2m, "XEN_DOMCTL_set_broken_page_p2m",        S.Enosys),
            new((int)DomctlCmd.SetNodeAffinity, "XEN_DOMCTL_setnodeaffinity",            S.Enosys),
            new((int)DomctlCmd.GetNodeAffinity, "XEN_DOMCTL_getnodeaffinity",            S.Enosys),
            new((int)DomctlCmd.CacheFlush, "XEN_DOMCTL_cacheflush",                 S.Enosys),
            new((int)DomctlCmd.GetVcpuMsrs, "XEN_DOMCTL_get_vcpu_msrs",              S.Enosys),
            new((int)DomctlCmd.SetVcpuMsrs, "XEN_DOMCTL_set_vcpu_msrs",              S.Enosys),
            new((int)DomctlCmd.SetVnumaInfo, "XEN_DOMCTL_setvnumainfo",               S.Enosys),
            new((int)DomctlCmd.PsrCmtOp, "XEN_DOMCTL_psr_cmt_op",                 S.Enosys),
            new((int)DomctlCmd.MonitorOp, "XEN_DOMCTL_monitor_op",                 S.Enosys),
            new((int)DomctlCmd.PsrAlloc, "XEN_DOMCTL_psr_alloc",                  S.Enosys),
            new((int)DomctlCmd.SoftReset, "XEN_DOMCTL_soft_reset",                 S.Enosys),
            new((int)DomctlCmd.VuartOp, "XEN_DOMCTL_vuart_op",                   S.Enosys),
            new((int)DomctlCmd.GetCpuPolicy, "XEN_DOMCTL_get_cpu_policy",             S.Enosys),
            new((int)DomctlCmd.SetCpuPolicy, "XEN_DOMCTL_set_cpu_policy",             S.Enosys),
            new((int)DomctlCmd.VmtraceOp, "XEN_DOMCTL_vmtrace_op",                 S.Enosys),
            new((int)DomctlCmd.GetPagingMempoolSize, "XEN_DOMCTL_get_paging_mempool_size",    S.Enosys),
            new((int)DomctlCmd.SetPagingMempoolSize, "XEN_DOMCTL_set_paging_mempool_size",    S.Enosys),
            new((int)DomctlCmd.DtOverlay, "XEN_DOMCTL_dt_overlay",                 S.Enosys),
            new((int)DomctlCmd.GsiPermission, "XEN_DOMCTL_gsi_permission",             S.Enosys),
            new((int)DomctlCmd.SetLlcColors, "XEN_DOMCTL_set_llc_colors",             S.Enosys),
            new((int)DomctlCmd.GetDomainState, "XEN_DOMCTL_get_domain_state",           S.Enosys),
            new((int)DomctlCmd.GdbsxGuestMemio, "XEN_DOMCTL_gdbsx_guestmemio",           S.Enosys),
            new((int)DomctlCmd.GdbsxPauseVcpu, "XEN_DOMCTL_gdbsx_pausevcpu",            S.Enosys),
            new((int)DomctlCmd.GdbsxUnpauseVcpu, "XEN_DOMCTL_gdbsx_unpausevcpu",          S.Enosys),
            new((int)DomctlCmd.GdbsxDomStatus, "XEN_DOMCTL_gdbsx_domstatus",            S.Enosys),
        }),
        new(N.Sysctl, new SubOp[]
        {
            new((int)SysctlCmd.ReadConsole, "XEN_SYSCTL_readconsole",                S.Implemented),
            new((int)SysctlCmd.TbufOp, "XEN_SYSCTL_tbuf_op",                    S.Enosys),
            new((int)SysctlCmd.PhysInfo, "XEN_SYSCTL_physinfo",                   S.Implemented),
            new((int)SysctlCmd.SchedId, "XEN_SYSCTL_sched_id",                   S.Implemented),
            new((int)SysctlCmd.PerfcOp, "XEN_SYSCTL_perfc_op",                   S.Enosys),
            new((int)SysctlCmd.GetDomainInfoList, "XEN_SYSCTL_getdomaininfolist",          S.Implemented),
            new((int)SysctlCmd.DebugKeys, "XEN_SYSCTL_debug_keys",                 S.Enosys),
            new((int)SysctlCmd.GetCpuInfo, "XEN_SYSCTL_getcpuinfo",                 S.Implemented),
            new((int)SysctlCmd.AvailHeap, "XEN_SYSCTL_availheap",                  S.Enosys),
            new((int)SysctlCmd.GetPmStat, "XEN_SYSCTL_get_pmstat",                 S.Enosys),
            new((int)SysctlCmd.CpuHotplug, "XEN_SYSCTL_cpu_hotplug",                S.Enosys),
            new((int)SysctlCmd.PmOp, "XEN_SYSCTL_pm_op",                      S.Enosys),
            new((int)SysctlCmd.PageOfflineOp, "XEN_SYSCTL_page_offline_op",            S.Enosys),
            new((int)SysctlCmd.LockprofOp, "XEN_SYSCTL_lockprof_op",                S.Enosys),
            new((int)SysctlCmd.CpuTopoInfo, "XEN_SYSCTL_cputopoinfo",                S.Implemented),
            new((int)SysctlCmd.NumaInfo, "XEN_SYSCTL_numainfo",                   S.Implemented),
            new((int)SysctlCmd.CpupoolOp, "XEN_SYSCTL_cpupool_op",                 S.Implemented),
            new((int)SysctlCmd.SchedulerOp, "XEN_SYSCTL_scheduler_op",               S.Enosys),
            new((int)SysctlCmd.CoverageOp, "XEN_SYSCTL_coverage_op",                S.Enosys),
            new((int)SysctlCmd.PsrCmtOp, "XEN_SYSCTL_psr_cmt_op",                 S.Enosys),
            new((int)SysctlCmd.PciTopoInfo, "XEN_SYSCTL_pcitopoinfo",                S.Enosys),
            new((int)SysctlCmd.PsrAlloc, "XEN_SYSCTL_psr_alloc",                  S.Enosys),
            new((int)SysctlCmd.GetCpuFeatureset, "XEN_SYSCTL_get_cpu_featureset",         S.Implemented),
            new((int)SysctlCmd.LivepatchOp, "XEN_SYSCTL_livepatch_op",               S.Enosys),
            new((int)SysctlCmd.GetCpuPolicy, "XEN_SYSCTL_get_cpu_policy",             S.Enosys),
            new((int)SysctlCmd.DtOverlay, "XEN_SYSCTL_dt_overlay",                 S.Enosys),
        }),
        // hvm_op and physdev_op as an HVM guest sees them: physdev_op's PV commands (PIRQ EOI and
        // status, IOPL, I/O bitmap, APIC, legacy PCI management) serve PV guests only (hv/Common/Physdev).
        new(N.HvmOp, new SubOp[]
        {
            new(HvmOpCmd.SetParam,              "HVMOP_set_param",                S.Implemented),
            new(HvmOpCmd.GetParam,              "HVMOP_get_param",                S.Implemented),
            new(HvmOpCmd.SetPciIntxLevel,       "HVMOP_set_pci_intx_level",       S.Enosys),
            new(HvmOpCmd.SetIsaIrqLevel,        "HVMOP_set_isa_irq_level",        S.Enosys),
            new(HvmOpCmd.SetPciLinkRoute,       "HVMOP_set_pci_link_route",       S.Enosys),
            new(HvmOpCmd.FlushTlbs,             "HVMOP_flush_tlbs",               S.Implemented),
            new(HvmOpCmd.PagetableDying,        "HVMOP_pagetable_dying",          S.Implemented),
            new(HvmOpCmd.GetTime,               "HVMOP_get_time",                 S.Implemented),
            new(HvmOpCmd.Xentrace,              "HVMOP_xentrace",                 S.Implemented),
            new(HvmOpCmd.SetMemAccess,          "HVMOP_set_mem_access",           S.Enosys),
            new(HvmOpCmd.GetMemAccess,          "HVMOP_get_mem_access",           S.Enosys),
            new(HvmOpCmd.GetMemType,            "HVMOP_get_mem_type",             S.Implemented),
            new(HvmOpCmd.SetEvtchnUpcallVector, "HVMOP_set_evtchn_upcall_vector", S.Implemented),
            new(HvmOpCmd.GuestRequestVmEvent,   "HVMOP_guest_request_vm_event",   S.Implemented),
            new(HvmOpCmd.Altp2m,                "HVMOP_altp2m",                   S.Implemented),
        }),
        new(N.PhysdevOp, new SubOp[]
        {
            new(PhysdevOpCmd.IrqUnmaskNotify,  "PHYSDEVOP_IRQ_UNMASK_NOTIFY",    S.Enosys),
            new(PhysdevOpCmd.IrqStatusQuery,   "PHYSDEVOP_irq_status_query",     S.Enosys),
            new(PhysdevOpCmd.SetIopl,          "PHYSDEVOP_set_iopl",             S.Enosys),
            new(PhysdevOpCmd.SetIobitmap,      "PHYSDEVOP_set_iobitmap",         S.Enosys),
            new(PhysdevOpCmd.ApicRead,         "PHYSDEVOP_apic_read",            S.Enosys),
            new(PhysdevOpCmd.ApicWrite,        "PHYSDEVOP_apic_write",           S.Enosys),
            new(PhysdevOpCmd.AllocIrqVector,   "PHYSDEVOP_alloc_irq_vector",     S.Enosys),
            new(PhysdevOpCmd.FreeIrqVector,    "PHYSDEVOP_free_irq_vector",      S.Enosys),
            new(PhysdevOpCmd.Eoi,              "PHYSDEVOP_eoi",                  S.Enosys),
            new(PhysdevOpCmd.MapPirq,          "PHYSDEVOP_map_pirq",             S.Implemented),
            new(PhysdevOpCmd.UnmapPirq,        "PHYSDEVOP_unmap_pirq",           S.Implemented),
            new(PhysdevOpCmd.ManagePciAdd,     "PHYSDEVOP_manage_pci_add",       S.Enosys),
            new(PhysdevOpCmd.ManagePciRemove,  "PHYSDEVOP_manage_pci_remove",    S.Enosys),
            new(PhysdevOpCmd.PirqEoiGmfnV1,    "PHYSDEVOP_pirq_eoi_gmfn_v1",     S.Enosys),
            new(PhysdevOpCmd.RestoreMsi,       "PHYSDEVOP_restore_msi",          S.Enosys),
            new(PhysdevOpCmd.ManagePciAddExt,  "PHYSDEVOP_manage_pci_add_ext",   S.Enosys),
            new(PhysdevOpCmd.SetupGsi,         "PHYSDEVOP_setup_gsi",            S.Implemented),
            new(PhysdevOpCmd.GetFreePirq,      "PHYSDEVOP_get_free_pirq",        S.Enosys),
            new(PhysdevOpCmd.PciMmcfgReserved, "PHYSDEVOP_pci_mmcfg_reserved",   S.Implemented),
            new(PhysdevOpCmd.PciDeviceAdd,     "PHYSDEVOP_pci_device_add",       S.Implemented),
            new(PhysdevOpCmd.PciDeviceRemove,  "PHYSDEVOP_pci_device_remove",    S.Implemented),
            new(PhysdevOpCmd.RestoreMsiExt,    "PHYSDEVOP_restore_msi_ext",      S.Enosys),
            new(PhysdevOpCmd.PirqEoiGmfnV2,    "PHYSDEVOP_pirq_eoi_gmfn_v2",     S.Enosys),
            new(PhysdevOpCmd.DbgpOp,           "PHYSDEVOP_dbgp_op",              S.Implemented),
            new(PhysdevOpCmd.PrepareMsix,      "PHYSDEVOP_prepare_msix",         S.Enosys),
            new(PhysdevOpCmd.ReleaseMsix,      "PHYSDEVOP_release_msix",         S.Enosys),
            new(PhysdevOpCmd.PciDeviceReset,   "PHYSDEVOP_pci_device_reset",     S.Implemented),
        }),
        // platform_op: every command answers as Xen does on this machine (one CPU, no MTRRs, EFI,
        // ACPI sleep, microcode loading or dom0 cpufreq); see hv/Common/PlatformOp.
        new(N.PlatformOp, new SubOp[]
        {
            new(XenPf.Settime32,          "XENPF_settime32",           S.Implemented),
            new(XenPf.AddMemtype,         "XENPF_add_memtype",         S.Implemented),
            new(XenPf.DelMemtype,         "XENPF_del_memtype",         S.Implemented),
            new(XenPf.ReadMemtype,        "XENPF_read_memtype",        S.Implemented),
            new(XenPf.MicrocodeUpdate,    "XENPF_microcode_update",    S.Implemented),
            new(XenPf.PlatformQuirk,      "XENPF_platform_quirk",      S.Implemented),
            new(XenPf.GetCpuVersion,      "XENPF_get_cpu_version",     S.Implemented),
            new(XenPf.EfiRuntimeCall,     "XENPF_efi_runtime_call",    S.Implemented),
            new(XenPf.FirmwareInfo,       "XENPF_firmware_info",       S.Implemented),
            new(XenPf.EnterAcpiSleep,     "XENPF_enter_acpi_sleep",    S.Implemented),
            new(XenPf.ChangeFreq,         "XENPF_change_freq",         S.Implemented),
            new(XenPf.Getidletime,        "XENPF_getidletime",         S.Implemented),
            new(XenPf.SetProcessorPminfo, "XENPF_set_processor_pminfo", S.Implemented),
            new(XenPf.GetCpuinfo,         "XENPF_get_cpuinfo",         S.Implemented),
            new(XenPf.CpuOnline,          "XENPF_cpu_online",          S.Implemented),
            new(XenPf.CpuOffline,         "XENPF_cpu_offline",         S.Implemented),
            new(XenPf.CpuHotadd,          "XENPF_cpu_hotadd",          S.Implemented),
            new(XenPf.MemHotadd,          "XENPF_mem_hotadd",          S.Implemented),
            new(XenPf.CoreParking,        "XENPF_core_parking",        S.Implemented),
            new(XenPf.ResourceOp,         "XENPF_resource_op",         S.Implemented),
            new(XenPf.Settime64,          "XENPF_settime64",           S.Implemented),
            new(XenPf.GetSymbol,          "XENPF_get_symbol",          S.Implemented),
            new(XenPf.GetDom0Console,     "XENPF_get_dom0_console",    S.Implemented),
            new(XenPf.GetUcodeRevision,   "XENPF_get_ucode_revision",  S.Implemented),
            new(XenPf.MicrocodeUpdate2,   "XENPF_microcode_update2",   S.Implemented),
        }),
        // dm_op without ioreq servers or log-dirty paging: see hv/Common/DmOp for each answer.
        new(N.DmOp, new SubOp[]
        {
            new(XenDmop.CreateIoreqServer,           "XEN_DMOP_create_ioreq_server",              S.Implemented),
            new(XenDmop.GetIoreqServerInfo,          "XEN_DMOP_get_ioreq_server_info",            S.Implemented),
            new(XenDmop.MapIoRangeToIoreqServer,     "XEN_DMOP_map_io_range_to_ioreq_server",     S.Implemented),
            new(XenDmop.UnmapIoRangeFromIoreqServer, "XEN_DMOP_unmap_io_range_from_ioreq_server", S.Implemented),
            new(XenDmop.SetIoreqServerState,         "XEN_DMOP_set_ioreq_server_state",           S.Implemented),
            new(XenDmop.DestroyIoreqServer,          "XEN_DMOP_destroy_ioreq_server",             S.Implemented),
            new(XenDmop.TrackDirtyVram,              "XEN_DMOP_track_dirty_vram",                 S.Implemented),
            new(XenDmop.SetPciIntxLevel,             "XEN_DMOP_set_pci_intx_level",               S.Implemented),
            new(XenDmop.SetIsaIrqLevel,              "XEN_DMOP_set_isa_irq_level",                S.Implemented),
            new(XenDmop.SetPciLinkRoute,             "XEN_DMOP_set_pci_link_route",               S.Implemented),
            new(XenDmop.ModifiedMemory,              "XEN_DMOP_modified_memory",                  S.Implemented),
            new(XenDmop.SetMemType,                  "XEN_DMOP_set_mem_type",                     S.Implemented),
            new(XenDmop.InjectEvent,                 "XEN_DMOP_inject_event",                     S.Implemented),
            new(XenDmop.InjectMsi,                   "XEN_DMOP_inject_msi",                       S.Implemented),
            new(XenDmop.MapMemTypeToIoreqServer,     "XEN_DMOP_map_mem_type_to_ioreq_server",     S.Implemented),
            new(XenDmop.RemoteShutdown,              "XEN_DMOP_remote_shutdown",                  S.Implemented),
            new(XenDmop.RelocateMemory,              "XEN_DMOP_relocate_memory",                  S.Implemented),
            new(XenDmop.PinMemoryCacheattr,          "XEN_DMOP_pin_memory_cacheattr",             S.Implemented),
            new(XenDmop.SetIrqLevel,                 "XEN_DMOP_set_irq_level",                    S.Implemented),
            new(XenDmop.NrVcpus,                     "XEN_DMOP_nr_vcpus",                         S.Implemented),
        }),
        // xenpmu_op: no vPMU, so Xen's own answer for every sub-op is -EOPNOTSUPP.
        new(N.XenpmuOp, new SubOp[]
        {
            new(XenPmuOp.ModeGet,    "XENPMU_mode_get",    S.Implemented),
            new(XenPmuOp.ModeSet,    "XENPMU_mode_set",    S.Implemented),
            new(XenPmuOp.FeatureGet, "XENPMU_feature_get", S.Implemented),
            new(XenPmuOp.FeatureSet, "XENPMU_feature_set", S.Implemented),
            new(XenPmuOp.Init,       "XENPMU_init",        S.Implemented),
            new(XenPmuOp.Finish,     "XENPMU_finish",      S.Implemented),
            new(XenPmuOp.LvtpcSet,   "XENPMU_lvtpc_set",   S.Implemented),
            new(XenPmuOp.Flush,      "XENPMU_flush",       S.Implemented),
        }),
        // xsm_op is served by the Flask plugin (plugins/Flask, xsm/flask_op.h); without it, or with
        // flask=disabled, every sub-op is -ENOSYS. Xen has dropped FLASK_USER and FLASK_DISABLE.
        new(N.XsmOp, new SubOp[]
        {
            new(1,  "FLASK_LOAD",             S.Plugin),
            new(2,  "FLASK_GETENFORCE",       S.Plugin),
            new(3,  "FLASK_SETENFORCE",       S.Plugin),
            new(4,  "FLASK_CONTEXT_TO_SID",   S.Plugin),
            new(5,  "FLASK_SID_TO_CONTEXT",   S.Plugin),
            new(6,  "FLASK_ACCESS",           S.Plugin),
            new(7,  "FLASK_CREATE",           S.Plugin),
            new(8,  "FLASK_RELABEL",          S.Plugin),
            new(9,  "FLASK_USER",             S.Enosys),
            new(10, "FLASK_POLICYVERS",       S.Plugin),
            new(11, "FLASK_GETBOOL",          S.Plugin),
            new(12, "FLASK_SETBOOL",          S.Plugin),
            new(13, "FLASK_COMMITBOOLS",      S.Plugin),
            new(14, "FLASK_MLS",              S.Plugin),
            new(15, "FLASK_DISABLE",          S.Enosys),
            new(16, "FLASK_GETAVC_THRESHOLD", S.Plugin),
            new(17, "FLASK_SETAVC_THRESHOLD", S.Plugin),
            new(18, "FLASK_AVC_HASHSTATS",    S.Plugin),
            new(19, "FLASK_AVC_CACHESTATS",   S.Plugin),
            new(20, "FLASK_MEMBER",           S.Plugin),
            new(21, "FLASK_ADD_OCONTEXT",     S.Plugin),
            new(22, "FLASK_DEL_OCONTEXT",     S.Plugin),
            new(23, "FLASK_GET_PEER_SID",     S.Plugin),
            new(24, "FLASK_RELABEL_DOMAIN",   S.Plugin),
            new(25, "FLASK_DEVICETREE_LABEL", S.Plugin),
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

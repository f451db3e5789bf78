namespace XenLite.Hv.Xsm;

/// <summary>
/// Xen's XSM hook names in struct xsm_ops order (Xen 4.22's set, master's order), one per
/// <see cref="XsmModule"/> method, so tests, docs and the policy tools can enumerate the hooks.
/// </summary>
public static class XsmHooks
{
    public const int Count = 87;

    public static readonly string[] Names =
    {
        "set_system_active", "security_domaininfo", "domain_create", "getdomaininfo",
        "get_domain_state", "sysctl", "set_target", "domctl", "evtchn_unbound",
        "evtchn_interdomain", "evtchn_send", "evtchn_status", "evtchn_reset", "grant_mapref",
        "grant_unmapref", "grant_setup", "grant_transfer", "grant_copy", "grant_query_size",
        "init_hardware_domain", "get_pod_target", "set_pod_target", "memory_exchange",
        "memory_adjust_reservation", "memory_stat_reservation", "memory_pin_page", "add_to_physmap",
        "remove_from_physmap", "map_gmfn_foreign", "claim_pages", "console_io", "kexec",
        "schedop_shutdown", "map_domain_pirq", "unmap_domain_pirq", "map_domain_irq",
        "unmap_domain_irq", "bind_pt_irq", "unbind_pt_irq", "irq_permission", "iomem_permission",
        "iomem_mapping", "iomem_mapping_vpci", "resource_plug_pci", "resource_unplug_pci",
        "get_device_group", "resource_setup_misc", "resource_setup_pci", "resource_setup_gsi",
        "pci_config_permission", "hypfs_op", "hvm_param", "hvm_param_altp2mhvm", "hvm_altp2mhvm_op",
        "get_vnumainfo", "mem_access", "mem_paging", "mem_sharing", "mem_sharing_op", "platform_op",
        "apic", "machine_memory_map", "domain_memory_map", "do_mca", "mmu_update", "mmuext_op",
        "update_va_mapping", "priv_mapping", "ioport_permission", "ioport_mapping", "pmu_op",
        "dm_op", "xen_version", "domain_resource_map", "do_xsm_op", "do_compat_op",
        "evtchn_close_post", "alloc_security_domain", "free_security_domain",
        "alloc_security_evtchns", "free_security_evtchns", "show_security_evtchn", "show_irq_sid",
        "argo_enable", "argo_register_single_source", "argo_register_any_source", "argo_send",
    };
}

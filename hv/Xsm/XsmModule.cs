// The hook list follows struct xsm_ops of Xen 4.22 (xen/include/xsm/xsm.h + hooks.h), checked
// against Xen master (4.23-unstable, c447b73): both have the same 87 hooks, master only reorders
// them. XsmHooks.Names holds them in master's xsm_ops order.
//
// Mapping: xsm_<name> becomes <Name> in PascalCase (xsm_evtchn_interdomain → EvtchnInterdomain).
// Where Xen's hook reads current->domain, ours takes that domain explicitly as `caller` (first
// parameter); `struct domain *` is a Domain, struct evtchn * is its port number, a struct whose
// fields Flask reads becomes those fields as integers, and a guest handle is the calling vCPU plus
// the guest address.
using XenLite.Hv.Common;

namespace XenLite.Hv.Xsm;

/// <summary>
/// The XSM hook contract, one method per Xen hook (xsm_xen_version → XenVersion, …).
/// Every privileged decision in hv/ goes through one of these. <see cref="DummyXsm"/>
/// applies dummy.h's default actions; the Flask plugin decides with the loaded policy.
/// Each returns 0 to allow or a negative errno.
/// </summary>
public abstract class XsmModule
{
    public abstract string Name { get; }

    /// <summary>xsm_xen_version(op).</summary>
    public abstract int XenVersion(Domain d, uint op);

    /// <summary>xsm_console_io(d, cmd).</summary>
    public abstract int ConsoleIo(Domain d, int cmd);

    /// <summary>xsm_schedop_shutdown(d1, d2): d1 shuts down d2 (SCHEDOP_remote_shutdown).</summary>
    public abstract int SchedopShutdown(Domain d1, Domain d2);

    /// <summary>xsm_set_system_active(): at the end of boot the idle domain gives up its privilege.</summary>
    public abstract int SetSystemActive(Domain caller);

    /// <summary>xsm_security_domaininfo(d, info): fills the ssidref that getdomaininfo reports.</summary>
    public abstract void SecurityDomaininfo(Domain d, ref uint ssidref);

    /// <summary>xsm_domain_create(d, ssidref).</summary>
    public abstract int DomainCreate(Domain caller, Domain d, uint ssidref);

    /// <summary>
    /// The ssidref of a domain the hypervisor builds at boot, from its image-config label (empty:
    /// none, the default label). Without a policy there are no labels (0, the default); a label
    /// the loaded policy does not have is -ENOENT, so a typo cannot quietly give a default type.
    /// </summary>
    public virtual int BootLabel(System.ReadOnlySpan<byte> label, out uint ssidref)
    {
        ssidref = 0;
        return 0;
    }

    /// <summary>xsm_getdomaininfo(d).</summary>
    public abstract int Getdomaininfo(Domain caller, Domain d);

    /// <summary>xsm_get_domain_state(d).</summary>
    public abstract int GetDomainState(Domain caller, Domain d);

    /// <summary>xsm_sysctl(op): <paramref name="subop"/> is the nested field Flask reads for some
    /// commands (readconsole.clear, page_offline.cmd, scheduler_op.cmd, cpu_hotplug.op), else 0.</summary>
    public abstract int Sysctl(Domain caller, uint cmd, uint subop);

    /// <summary>xsm_set_target(d, e): make d the device model of e.</summary>
    public abstract int SetTarget(Domain caller, Domain d, Domain e);

    /// <summary>xsm_domctl(d, op): d is null for createdomain, whose ssidref Flask checks.</summary>
    public abstract int Domctl(Domain caller, Domain d, uint cmd, uint ssidref);

    /// <summary>xsm_evtchn_unbound(d, chn, id2): allocate an unbound port in d for remote domain id2.</summary>
    public abstract int EvtchnUnbound(Domain caller, Domain d, uint port, ushort id2);

    /// <summary>xsm_evtchn_interdomain(d1, chan1, d2, chan2).</summary>
    public abstract int EvtchnInterdomain(Domain d1, uint port1, Domain d2, uint port2);

    /// <summary>xsm_evtchn_send(d, chn).</summary>
    public abstract int EvtchnSend(Domain d, uint port);

    /// <summary>xsm_evtchn_status(d, chn).</summary>
    public abstract int EvtchnStatus(Domain caller, Domain d, uint port);

    /// <summary>xsm_evtchn_reset(d1, d2).</summary>
    public abstract int EvtchnReset(Domain d1, Domain d2);

    /// <summary>xsm_grant_mapref(d1, d2, flags): d1 maps a grant of d2 (GNTMAP_* flags).</summary>
    public abstract int GrantMapref(Domain d1, Domain d2, uint flags);

    /// <summary>xsm_grant_unmapref(d1, d2).</summary>
    public abstract int GrantUnmapref(Domain d1, Domain d2);

    /// <summary>xsm_grant_setup(d1, d2).</summary>
    public abstract int GrantSetup(Domain d1, Domain d2);

    /// <summary>xsm_grant_transfer(d1, d2).</summary>
    public abstract int GrantTransfer(Domain d1, Domain d2);

    /// <summary>xsm_grant_copy(d1, d2).</summary>
    public abstract int GrantCopy(Domain d1, Domain d2);

    /// <summary>xsm_grant_query_size(d1, d2).</summary>
    public abstract int GrantQuerySize(Domain d1, Domain d2);

    /// <summary>xsm_init_hardware_domain(d).</summary>
    public abstract int InitHardwareDomain(Domain caller, Domain d);

    /// <summary>xsm_get_pod_target(d).</summary>
    public abstract int GetPodTarget(Domain caller, Domain d);

    /// <summary>xsm_set_pod_target(d).</summary>
    public abstract int SetPodTarget(Domain caller, Domain d);

    /// <summary>xsm_memory_exchange(d).</summary>
    public abstract int MemoryExchange(Domain caller, Domain d);

    /// <summary>xsm_memory_adjust_reservation(d1, d2).</summary>
    public abstract int MemoryAdjustReservation(Domain d1, Domain d2);

    /// <summary>xsm_memory_stat_reservation(d1, d2).</summary>
    public abstract int MemoryStatReservation(Domain d1, Domain d2);

    /// <summary>xsm_memory_pin_page(d1, d2, page): the page is given by its machine frame.</summary>
    public abstract int MemoryPinPage(Domain d1, Domain d2, ulong mfn);

    /// <summary>xsm_add_to_physmap(d1, d2).</summary>
    public abstract int AddToPhysmap(Domain d1, Domain d2);

    /// <summary>xsm_remove_from_physmap(d1, d2).</summary>
    public abstract int RemoveFromPhysmap(Domain d1, Domain d2);

    /// <summary>xsm_map_gmfn_foreign(d, t).</summary>
    public abstract int MapGmfnForeign(Domain d, Domain t);

    /// <summary>xsm_claim_pages(d).</summary>
    public abstract int ClaimPages(Domain caller, Domain d);

    /// <summary>xsm_kexec().</summary>
    public abstract int Kexec(Domain caller);

    /// <summary>xsm_map_domain_pirq(d).</summary>
    public abstract int MapDomainPirq(Domain caller, Domain d);

    /// <summary>xsm_unmap_domain_pirq(d).</summary>
    public abstract int UnmapDomainPirq(Domain caller, Domain d);

    /// <summary>xsm_map_domain_irq(d, irq, data): for an MSI, data names the device; here its machine
    /// seg:bus:devfn, which Flask labels dynamic IRQs by.</summary>
    public abstract int MapDomainIrq(Domain caller, Domain d, int irq, uint msiBdf);

    /// <summary>xsm_unmap_domain_irq(d, irq, data): as <see cref="MapDomainIrq"/>.</summary>
    public abstract int UnmapDomainIrq(Domain caller, Domain d, int irq, uint msiBdf);

    /// <summary>xsm_bind_pt_irq(d, bind): the bind's machine_irq is what Flask checks.</summary>
    public abstract int BindPtIrq(Domain caller, Domain d, uint machineIrq);

    /// <summary>xsm_unbind_pt_irq(d, bind).</summary>
    public abstract int UnbindPtIrq(Domain caller, Domain d, uint machineIrq);

    /// <summary>xsm_irq_permission(d, pirq, allow).</summary>
    public abstract int IrqPermission(Domain caller, Domain d, int pirq, byte allow);

    /// <summary>xsm_iomem_permission(d, s, e, allow): machine frames s..e inclusive.</summary>
    public abstract int IomemPermission(Domain caller, Domain d, ulong s, ulong e, byte allow);

    /// <summary>xsm_iomem_mapping(d, s, e, allow).</summary>
    public abstract int IomemMapping(Domain caller, Domain d, ulong s, ulong e, byte allow);

    /// <summary>xsm_iomem_mapping_vpci(d, s, e, allow).</summary>
    public abstract int IomemMappingVpci(Domain caller, Domain d, ulong s, ulong e, byte allow);

    /// <summary>xsm_resource_plug_pci(machine_bdf).</summary>
    public abstract int ResourcePlugPci(Domain caller, uint machineBdf);

    /// <summary>xsm_resource_unplug_pci(machine_bdf).</summary>
    public abstract int ResourceUnplugPci(Domain caller, uint machineBdf);

    /// <summary>xsm_get_device_group(machine_bdf).</summary>
    public abstract int GetDeviceGroup(Domain caller, uint machineBdf);

    /// <summary>xsm_resource_setup_misc().</summary>
    public abstract int ResourceSetupMisc(Domain caller);

    /// <summary>xsm_resource_setup_pci(machine_bdf).</summary>
    public abstract int ResourceSetupPci(Domain caller, uint machineBdf);

    /// <summary>xsm_resource_setup_gsi(gsi).</summary>
    public abstract int ResourceSetupGsi(Domain caller, int gsi);

    /// <summary>xsm_pci_config_permission(d, machine_bdf, start, end, access).</summary>
    public abstract int PciConfigPermission(Domain caller, Domain d, uint machineBdf, ushort start, ushort end, byte access);

    /// <summary>xsm_hypfs_op().</summary>
    public abstract int HypfsOp(Domain caller);

    /// <summary>xsm_hvm_param(d, op): op is HVMOP_set_param or HVMOP_get_param.</summary>
    public abstract int HvmParam(Domain caller, Domain d, ulong op);

    /// <summary>xsm_hvm_param_altp2mhvm(d).</summary>
    public abstract int HvmParamAltp2mhvm(Domain caller, Domain d);

    /// <summary>xsm_hvm_altp2mhvm_op(d, mode, op): mode is d's HVM_PARAM_ALTP2M (XEN_ALTP2M_*).</summary>
    public abstract int HvmAltp2mhvmOp(Domain caller, Domain d, ulong mode, uint op);

    /// <summary>xsm_get_vnumainfo(d).</summary>
    public abstract int GetVnumainfo(Domain caller, Domain d);

    /// <summary>xsm_mem_access(d).</summary>
    public abstract int MemAccess(Domain caller, Domain d);

    /// <summary>xsm_mem_paging(d).</summary>
    public abstract int MemPaging(Domain caller, Domain d);

    /// <summary>xsm_mem_sharing(d).</summary>
    public abstract int MemSharing(Domain caller, Domain d);

    /// <summary>xsm_mem_sharing_op(d, cd, op): d shares with the client domain cd.</summary>
    public abstract int MemSharingOp(Domain caller, Domain d, Domain cd, int op);

    /// <summary>xsm_platform_op(op).</summary>
    public abstract int PlatformOp(Domain caller, uint op);

    /// <summary>xsm_apic(d, cmd): d is the caller (PHYSDEVOP_apic_read/write).</summary>
    public abstract int Apic(Domain d, int cmd);

    /// <summary>xsm_machine_memory_map().</summary>
    public abstract int MachineMemoryMap(Domain caller);

    /// <summary>xsm_domain_memory_map(d).</summary>
    public abstract int DomainMemoryMap(Domain caller, Domain d);

    /// <summary>xsm_do_mca().</summary>
    public abstract int DoMca(Domain caller);

    /// <summary>xsm_mmu_update(d, t, f, flags): d updates t's page tables to map f's memory
    /// (t may be null; f may be DOMID_IO's domain); flags are XSM_MMU_*.</summary>
    public abstract int MmuUpdate(Domain d, Domain t, Domain f, uint flags);

    /// <summary>xsm_mmuext_op(d, f).</summary>
    public abstract int MmuextOp(Domain d, Domain f);

    /// <summary>xsm_update_va_mapping(d, f, pte): the new L1 entry, as a raw value.</summary>
    public abstract int UpdateVaMapping(Domain d, Domain f, ulong pte);

    /// <summary>xsm_priv_mapping(d, t).</summary>
    public abstract int PrivMapping(Domain d, Domain t);

    /// <summary>xsm_ioport_permission(d, s, e, allow).</summary>
    public abstract int IoportPermission(Domain caller, Domain d, uint s, uint e, byte allow);

    /// <summary>xsm_ioport_mapping(d, s, e, allow).</summary>
    public abstract int IoportMapping(Domain caller, Domain d, uint s, uint e, byte allow);

    /// <summary>xsm_pmu_op(d, op): d is the caller; op is XENPMU_*.</summary>
    public abstract int PmuOp(Domain d, uint op);

    /// <summary>xsm_dm_op(d).</summary>
    public abstract int DmOp(Domain caller, Domain d);

    /// <summary>xsm_domain_resource_map(d).</summary>
    public abstract int DomainResourceMap(Domain caller, Domain d);

    /// <summary>xsm_do_xsm_op(op): the xsm_op hypercall itself, argument at guest address <paramref name="op"/>.</summary>
    public abstract int DoXsmOp(Vcpu caller, ulong op);

    /// <summary>xsm_do_compat_op(op): xsm_op from a 32-bit guest.</summary>
    public abstract int DoCompatOp(Vcpu caller, ulong op);

    /// <summary>xsm_evtchn_close_post(chn): after d's port is closed.</summary>
    public abstract void EvtchnClosePost(Domain d, uint port);

    /// <summary>xsm_alloc_security_domain(d).</summary>
    public abstract int AllocSecurityDomain(Domain d);

    /// <summary>xsm_free_security_domain(d).</summary>
    public abstract void FreeSecurityDomain(Domain d);

    /// <summary>xsm_alloc_security_evtchns(chn, nr): d's ports first..first+nr-1.</summary>
    public abstract int AllocSecurityEvtchns(Domain d, uint first, uint nr);

    /// <summary>xsm_free_security_evtchns(chn, nr).</summary>
    public abstract void FreeSecurityEvtchns(Domain d, uint first, uint nr);

    /// <summary>xsm_show_security_evtchn(d, chn): the port's label for debug output, or null.</summary>
    public abstract string ShowSecurityEvtchn(Domain d, uint port);

    /// <summary>xsm_show_irq_sid(irq): the IRQ's label for debug output, or null.</summary>
    public abstract string ShowIrqSid(int irq);

    /// <summary>xsm_argo_enable(d).</summary>
    public abstract int ArgoEnable(Domain d);

    /// <summary>xsm_argo_register_single_source(d, t).</summary>
    public abstract int ArgoRegisterSingleSource(Domain d, Domain t);

    /// <summary>xsm_argo_register_any_source(d).</summary>
    public abstract int ArgoRegisterAnySource(Domain d);

    /// <summary>xsm_argo_send(d, t).</summary>
    public abstract int ArgoSend(Domain d, Domain t);
}

using System;
using System.Collections.Generic;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Xsm;

namespace XenLite.Tests.Xsm;

/// <summary>
/// One row per dummy.h behaviour: the Xen hook, an optional variant (the sub-op or mode a
/// per-op switch looks at), what dummy.h does — a default action, or a fixed answer — and how
/// to call our hook with "actor" doing it to "object".
/// </summary>
public sealed record HookCase(string Hook, string Variant, XsmAction? Action, int Fixed, Func<XsmModule, Domain, Domain, int> Call)
{
    public override string ToString() =>
        $"xsm_{Hook}{(Variant == null ? "" : $"({Variant})")}: {(Action is { } a ? a.ToString() : $"always {Fixed}")}";
}

static class DummyXsmHookTable
{
    static HookCase A(string hook, XsmAction action, Func<XsmModule, Domain, Domain, int> call, string variant = null) =>
        new(hook, variant, action, 0, call);

    static HookCase F(string hook, int rc, Func<XsmModule, Domain, Domain, int> call, string variant = null) =>
        new(hook, variant, null, rc, call);

    /// <summary>For hooks with nothing to return: 0 when the call left the object domain's privileges alone.</summary>
    static int Untouched(Domain d, Action call)
    {
        var before = (d.IsPrivileged, d.IsXenstore, d.IsConsole, d.IsHardware, d.Target);
        call();
        return before == (d.IsPrivileged, d.IsXenstore, d.IsConsole, d.IsHardware, d.Target) ? 0 : 1;
    }

    const XsmAction Hook = XsmAction.Hook, Target = XsmAction.Target, DmPriv = XsmAction.DmPriv,
        Priv = XsmAction.Priv, XsPriv = XsmAction.XsPriv;
    const int EPERM = -Errno.EPERM, ENOSYS = -Errno.ENOSYS;

    public static IEnumerable<HookCase> Rows()
    {
        yield return F("set_system_active", EPERM, (x, s, o) => x.SetSystemActive(s), "not the idle domain");
        yield return F("security_domaininfo", 0, (x, s, o) =>
        {
            uint ssidref = 0x5a5a;
            x.SecurityDomaininfo(o, ref ssidref);
            return ssidref == 0x5a5a ? 0 : 1;
        }, "leaves ssidref");
        yield return A("domain_create", Hook, (x, s, o) => x.DomainCreate(s, o, 0));
        yield return A("getdomaininfo", XsPriv, (x, s, o) => x.Getdomaininfo(s, o));
        yield return A("get_domain_state", XsPriv, (x, s, o) => x.GetDomainState(s, o));
        yield return A("sysctl", Priv, (x, s, o) => x.Sysctl(s, 1, 0));
        yield return A("set_target", Priv, (x, s, o) => x.SetTarget(s, o, o));
        yield return A("domctl", Priv, (x, s, o) => x.Domctl(s, o, 3, 0), "pausedomain");
        yield return A("domctl", Priv, (x, s, o) => x.Domctl(s, null, 1, 0), "createdomain");
        yield return A("evtchn_unbound", Target, (x, s, o) => x.EvtchnUnbound(s, o, 1, 0));
        yield return A("evtchn_interdomain", Hook, (x, s, o) => x.EvtchnInterdomain(s, 1, o, 1));
        yield return A("evtchn_send", Hook, (x, s, o) => x.EvtchnSend(s, 1));
        yield return A("evtchn_status", Target, (x, s, o) => x.EvtchnStatus(s, o, 1));
        yield return A("evtchn_reset", Target, (x, s, o) => x.EvtchnReset(s, o));
        yield return A("grant_mapref", Hook, (x, s, o) => x.GrantMapref(s, o, 0));
        yield return A("grant_unmapref", Hook, (x, s, o) => x.GrantUnmapref(s, o));
        yield return A("grant_setup", Target, (x, s, o) => x.GrantSetup(s, o));
        yield return A("grant_transfer", Hook, (x, s, o) => x.GrantTransfer(s, o));
        yield return A("grant_copy", Hook, (x, s, o) => x.GrantCopy(s, o));
        yield return A("grant_query_size", Target, (x, s, o) => x.GrantQuerySize(s, o));
        yield return A("init_hardware_domain", Hook, (x, s, o) => x.InitHardwareDomain(s, o));
        yield return A("get_pod_target", Priv, (x, s, o) => x.GetPodTarget(s, o));
        yield return A("set_pod_target", Priv, (x, s, o) => x.SetPodTarget(s, o));
        yield return A("memory_exchange", Target, (x, s, o) => x.MemoryExchange(s, o));
        yield return A("memory_adjust_reservation", Target, (x, s, o) => x.MemoryAdjustReservation(s, o));
        yield return A("memory_stat_reservation", Target, (x, s, o) => x.MemoryStatReservation(s, o));
        yield return A("memory_pin_page", Hook, (x, s, o) => x.MemoryPinPage(s, o, 0x1234));
        yield return A("add_to_physmap", Target, (x, s, o) => x.AddToPhysmap(s, o));
        yield return A("remove_from_physmap", Target, (x, s, o) => x.RemoveFromPhysmap(s, o));
        yield return A("map_gmfn_foreign", Target, (x, s, o) => x.MapGmfnForeign(s, o));
        yield return A("claim_pages", Priv, (x, s, o) => x.ClaimPages(s, o));
        yield return A("console_io", Priv, (x, s, o) => x.ConsoleIo(s, 0), "not is_console");
        yield return A("kexec", Priv, (x, s, o) => x.Kexec(s));
        yield return A("schedop_shutdown", DmPriv, (x, s, o) => x.SchedopShutdown(s, o));
        yield return A("map_domain_pirq", DmPriv, (x, s, o) => x.MapDomainPirq(s, o));
        yield return A("unmap_domain_pirq", DmPriv, (x, s, o) => x.UnmapDomainPirq(s, o));
        yield return A("map_domain_irq", Hook, (x, s, o) => x.MapDomainIrq(s, o, 40, 0x0800));
        yield return A("unmap_domain_irq", Hook, (x, s, o) => x.UnmapDomainIrq(s, o, 40, 0x0800));
        yield return A("bind_pt_irq", DmPriv, (x, s, o) => x.BindPtIrq(s, o, 40));
        yield return A("unbind_pt_irq", DmPriv, (x, s, o) => x.UnbindPtIrq(s, o, 40));
        yield return A("irq_permission", Priv, (x, s, o) => x.IrqPermission(s, o, 40, 1));
        yield return A("iomem_permission", Priv, (x, s, o) => x.IomemPermission(s, o, 0xfe000, 0xfe0ff, 1));
        yield return A("iomem_mapping", DmPriv, (x, s, o) => x.IomemMapping(s, o, 0xfe000, 0xfe0ff, 1));
        yield return A("iomem_mapping_vpci", Hook, (x, s, o) => x.IomemMappingVpci(s, o, 0xfe000, 0xfe0ff, 1));
        yield return A("resource_plug_pci", Priv, (x, s, o) => x.ResourcePlugPci(s, 0x0800));
        yield return A("resource_unplug_pci", Priv, (x, s, o) => x.ResourceUnplugPci(s, 0x0800));
        yield return A("get_device_group", Priv, (x, s, o) => x.GetDeviceGroup(s, 0x0800));
        yield return A("resource_setup_misc", Priv, (x, s, o) => x.ResourceSetupMisc(s));
        yield return A("resource_setup_pci", Priv, (x, s, o) => x.ResourceSetupPci(s, 0x0800));
        yield return A("resource_setup_gsi", Priv, (x, s, o) => x.ResourceSetupGsi(s, 16));
        yield return A("pci_config_permission", Hook, (x, s, o) => x.PciConfigPermission(s, o, 0x0800, 0x40, 0x4f, 1));
        yield return A("hypfs_op", Priv, (x, s, o) => x.HypfsOp(s));
        yield return A("hvm_param", Target, (x, s, o) => x.HvmParam(s, o, 0));
        yield return A("hvm_param_altp2mhvm", Priv, (x, s, o) => x.HvmParamAltp2mhvm(s, o));
        yield return F("hvm_altp2mhvm_op", EPERM, (x, s, o) => x.HvmAltp2mhvmOp(s, o, 0, 3), "disabled");
        yield return A("hvm_altp2mhvm_op", Target, (x, s, o) => x.HvmAltp2mhvmOp(s, o, 1, 5), "mixed");
        yield return A("hvm_altp2mhvm_op", DmPriv, (x, s, o) => x.HvmAltp2mhvmOp(s, o, 2, 3), "external");
        yield return A("hvm_altp2mhvm_op", Target, (x, s, o) => x.HvmAltp2mhvmOp(s, o, 3, 3), "limited, vcpu_enable_notify");
        yield return A("hvm_altp2mhvm_op", DmPriv, (x, s, o) => x.HvmAltp2mhvmOp(s, o, 3, 5), "limited, other op");
        yield return F("hvm_altp2mhvm_op", EPERM, (x, s, o) => x.HvmAltp2mhvmOp(s, o, 4, 3), "unknown mode");
        yield return A("get_vnumainfo", Target, (x, s, o) => x.GetVnumainfo(s, o));
        yield return A("mem_access", DmPriv, (x, s, o) => x.MemAccess(s, o));
        yield return A("mem_paging", DmPriv, (x, s, o) => x.MemPaging(s, o));
        yield return A("mem_sharing", DmPriv, (x, s, o) => x.MemSharing(s, o));
        yield return A("mem_sharing_op", DmPriv, (x, s, o) => x.MemSharingOp(s, s, o, 0));
        yield return A("platform_op", Priv, (x, s, o) => x.PlatformOp(s, 1));
        yield return A("apic", Priv, (x, s, o) => x.Apic(s, 0));
        yield return A("machine_memory_map", Priv, (x, s, o) => x.MachineMemoryMap(s));
        yield return A("domain_memory_map", Target, (x, s, o) => x.DomainMemoryMap(s, o));
        yield return A("do_mca", Priv, (x, s, o) => x.DoMca(s));
        yield return A("mmu_update", Target, (x, s, o) => x.MmuUpdate(s, o, o, 0));
        yield return A("mmuext_op", Target, (x, s, o) => x.MmuextOp(s, o));
        yield return A("update_va_mapping", Target, (x, s, o) => x.UpdateVaMapping(s, o, 0x1063));
        yield return A("priv_mapping", Target, (x, s, o) => x.PrivMapping(s, o));
        yield return A("ioport_permission", Priv, (x, s, o) => x.IoportPermission(s, o, 0x3f8, 0x3ff, 1));
        yield return A("ioport_mapping", DmPriv, (x, s, o) => x.IoportMapping(s, o, 0x3f8, 0x3ff, 1));
        // XENPMU_*: mode_get, mode_set, feature_get, feature_set are the control domain's; the rest anyone's.
        string[] pmuOps = { "mode_get", "mode_set", "feature_get", "feature_set", "init", "finish", "lvtpc_set", "flush", "unknown 8" };
        for (uint op = 0; op < pmuOps.Length; op++)
        {
            uint o2 = op;
            yield return A("pmu_op", op is >= 4 and <= 7 ? Hook : Priv, (x, s, o) => x.PmuOp(s, o2), pmuOps[op]);
        }
        yield return A("dm_op", DmPriv, (x, s, o) => x.DmOp(s, o));
        // XENVER_*: 0, 5, 6 answered with no check; the informational ones open; the rest privileged.
        string[] verOps =
        {
            "version", "extraversion", "compile_info", "capabilities", "changeset", "platform_parameters",
            "get_features", "pagesize", "guest_handle", "commandline", "build_id", "extraversion2",
            "capabilities2", "changeset2", "commandline2", "unknown 15",
        };
        for (uint op = 0; op < verOps.Length; op++)
        {
            uint o2 = op;
            Func<XsmModule, Domain, Domain, int> call = (x, s, o) => x.XenVersion(s, o2);
            yield return op switch
            {
                0 or 5 or 6 => F("xen_version", 0, call, verOps[op]),
                1 or 2 or 3 or 4 or 7 or 8 or 11 or 12 or 13 => A("xen_version", Hook, call, verOps[op]),
                _ => A("xen_version", Priv, call, verOps[op]),
            };
        }
        yield return A("domain_resource_map", DmPriv, (x, s, o) => x.DomainResourceMap(s, o));
        yield return F("do_xsm_op", ENOSYS, (x, s, o) => x.DoXsmOp(s.Vcpus[0], 0x1000));
        yield return F("do_compat_op", ENOSYS, (x, s, o) => x.DoCompatOp(s.Vcpus[0], 0x1000));
        yield return F("evtchn_close_post", 0, (x, s, o) => Untouched(o, () => x.EvtchnClosePost(o, 1)));
        yield return F("alloc_security_domain", 0, (x, s, o) => x.AllocSecurityDomain(o));
        yield return F("free_security_domain", 0, (x, s, o) => Untouched(o, () => x.FreeSecurityDomain(o)));
        yield return F("alloc_security_evtchns", 0, (x, s, o) => x.AllocSecurityEvtchns(o, 0, 64));
        yield return F("free_security_evtchns", 0, (x, s, o) => Untouched(o, () => x.FreeSecurityEvtchns(o, 0, 64)));
        yield return F("show_security_evtchn", 0, (x, s, o) => x.ShowSecurityEvtchn(o, 1) == null ? 0 : 1, "no label");
        yield return F("show_irq_sid", 0, (x, s, o) => x.ShowIrqSid(40) == null ? 0 : 1, "no label");
        yield return F("argo_enable", 0, (x, s, o) => x.ArgoEnable(s));
        yield return F("argo_register_single_source", 0, (x, s, o) => x.ArgoRegisterSingleSource(s, o));
        yield return F("argo_register_any_source", 0, (x, s, o) => x.ArgoRegisterAnySource(s));
        yield return F("argo_send", 0, (x, s, o) => x.ArgoSend(s, o));
    }
}

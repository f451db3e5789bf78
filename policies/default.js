// XenLite's default policy: the effect of Xen's default FLASK policy (tools/flask/policy/modules:
// xen, dom0, guest_features, domU, isolated_domU, prot_domU, nomigrate, nic_dev, xenstore), with
// the same type names, booleans, transitions and neverallows. Left out: users, roles, MLS and the
// vm_role constraints (XenLite labels are types only).
import {
  attribute, type, allow, auditallow, dontaudit, neverallow, bool, when, sid, label,
} from "xenlite";
import {
  declareDomain, declareSingletonDomain, declareBuildLabel, createDomain, createDomainBuildLabel,
  manageDomain, migrateDomainOut, createChannel, domainComms, domainSelfComms, makeDeviceModel,
  useDeviceNoiommu, adminDevice, delegateDevices, xenBuildDomain,
} from "./lib/xen.js";

// ---- xen: the hypervisor's own labels ----
for (const a of ["xen_type", "domain_type", "domain_self_type", "domain_target_type", "resource_type", "event_type", "mls_priv"]) {
  attribute(a);
}
type("xenboot_t", "xen_type", "mls_priv");
type("xen_t", "xen_type", "mls_priv");
declareSingletonDomain("dom0_t", "mls_priv");
type("domio_t", "xen_type");
type("domxen_t", "xen_type");
type("unlabeled_t", "xen_type");
type("security_t", "xen_type");
type("irq_t", "resource_type");
type("ioport_t", "resource_type");
type("iomem_t", "resource_type");
type("device_t", "resource_type");

// The hypervisor takes resources back from domains when they die.
allow("xen_t", "resource_type", "resource", ["remove_irq", "remove_ioport", "remove_iomem"]);

// Only domains are created or transitioned to; only resources are used; only channels bind and are made.
neverallow("*", "~domain_type", "domain", ["create", "transition"]);
neverallow("*", "~resource_type", "resource", ["use", "use_iommu", "use_iommu_nointremap", "use_noiommu"]);
neverallow("~event_type", "*", "event", "bind");
neverallow("*", "~event_type", "event", ["create", "send", "status"]);

sid("xenboot", "xenboot_t");
sid("xen", "xen_t");
sid("dom0", "dom0_t");
sid("domxen", "domxen_t");
sid("domio", "domio_t");
sid("unlabeled", "unlabeled_t");
sid("security", "security_t");
sid("irq", "irq_t");
sid("iomem", "iomem_t");
sid("ioport", "ioport_t");
sid("device", "device_t");
sid("domU", "domU_t");
sid("domDM", "dm_dom_t");

// ---- dom0: the control domain ----
allow("dom0_t", "xen_t", "xen", ["settime", "tbufcontrol", "readconsole", "clearconsole", "perfcontrol", "mtrr_add",
  "mtrr_del", "mtrr_read", "microcode", "physinfo", "quirk", "writeconsole", "readapic", "writeapic", "kexec",
  "firmware", "sleep", "frequency", "getidle", "debug", "getcpuinfo", "heap", "pm_op", "mca_op", "lockprof",
  "cpupool_op", "getscheduler", "setscheduler", "hypfs_op"]);
allow("dom0_t", "xen_t", "xen2", ["resource_op", "psr_cmt_op", "psr_alloc", "pmu_ctrl", "get_symbol",
  "get_cpu_featureset", "livepatch_op", "coverage_op", "get_dom0_console"]);
allow("dom0_t", "xen_t", "version", ["xen_extraversion", "xen_compile_info", "xen_capabilities", "xen_changeset",
  "xen_pagesize", "xen_guest_handle", "xen_commandline", "xen_build_id"]);
allow("dom0_t", "xen_t", "mmu", "memorymap");
allow("dom0_t", "dom0_t", "domain", ["setvcpucontext", "max_vcpus", "setaffinity", "getaffinity", "getscheduler",
  "getdomaininfo", "getvcpuinfo", "getvcpucontext", "setdomainmaxmem", "setdomainhandle", "setdebugging", "hypercall",
  "settime", "setaddrsize", "getaddrsize", "trigger", "getpodtarget", "setpodtarget", "getpagingmempool",
  "setpagingmempool", "set_misc_info", "set_virq_handler"]);
allow("dom0_t", "dom0_t", "domain2", ["set_cpu_policy", "gettsc", "settsc", "setscheduler", "set_vnumainfo",
  "get_vnumainfo", "psr_cmt_op", "psr_alloc", "get_cpu_policy", "dt_overlay", "get_domain_state"]);
allow("dom0_t", "dom0_t", "resource", ["add", "remove"]);
allow("dom0_t", "security_t", "security", ["compute_av", "compute_create", "compute_member", "compute_relabel",
  "check_context", "add_ocontext", "del_ocontext", "setsecparam", "load_policy", "setenforce", "setbool"]);
// Changes to the security server itself are always logged.
auditallow("dom0_t", "security_t", "security", ["load_policy", "setenforce", "setbool"]);
allow("dom0_t", "xen_t", "resource", "setup");
for (const dev of ["device_t", "irq_t", "ioport_t", "iomem_t"]) adminDevice("dom0_t", dev);
domainComms("dom0_t", "dom0_t");
xenBuildDomain("dom0_t");

// ---- guest_features: what every domain may ask of the hypervisor ----
allow("domain_type", "xen_t", "xen2", "pmu_use");
allow("domain_type", "xen_t", "argo", ["enable", "register_any_source"]);
allow("domain_type", "domain_type", "argo", ["send", "register_single_source"]);
bool("guest_writeconsole", true);
when("guest_writeconsole", () => {
  allow("domain_type", "xen_t", "xen", "writeconsole");
}, () => {
  dontaudit("domain_type", "xen_t", "xen", "writeconsole");
});
allow("domain_type", "xen_t", "version", ["xen_extraversion", "xen_compile_info", "xen_capabilities",
  "xen_changeset", "xen_pagesize", "xen_guest_handle"]);
dontaudit("domain_type", "xen_t", "version", ["xen_commandline", "xen_build_id"]);

// ---- domU: ordinary guests and their device models ----
declareDomain("domU_t");
domainSelfComms("domU_t");
createDomain("dom0_t", "domU_t");
manageDomain("dom0_t", "domU_t");
domainComms("dom0_t", "domU_t");
domainComms("domU_t", "domU_t");
migrateDomainOut("dom0_t", "domU_t");
xenBuildDomain("domU_t");

declareDomain("dm_dom_t");
createDomain("dom0_t", "dm_dom_t");
manageDomain("dom0_t", "dm_dom_t");
domainComms("dom0_t", "dm_dom_t");
makeDeviceModel("dom0_t", "dm_dom_t", "domU_t");
delegateDevices("dom0_t", "domU_t");

// ---- isolated_domU: guests that talk only to dom0 ----
declareDomain("isolated_domU_t");
createDomain("dom0_t", "isolated_domU_t");
manageDomain("dom0_t", "isolated_domU_t");
domainComms("dom0_t", "isolated_domU_t");
migrateDomainOut("dom0_t", "isolated_domU_t");
domainSelfComms("isolated_domU_t");

// ---- prot_domU: guests dom0 can no longer create or save once prot_doms_locked is set ----
bool("prot_doms_locked", false);
declareDomain("prot_domU_t");
when("!prot_doms_locked", () => {
  createDomain("dom0_t", "prot_domU_t");
  migrateDomainOut("dom0_t", "prot_domU_t");
});
domainComms("dom0_t", "prot_domU_t");
domainComms("domU_t", "prot_domU_t");
domainComms("prot_domU_t", "prot_domU_t");
domainSelfComms("prot_domU_t");

// ---- nomigrate: guests built under a temporary label, never saved ----
declareDomain("nomigrate_t");
declareBuildLabel("nomigrate_t");
createDomainBuildLabel("dom0_t", "nomigrate_t");
manageDomain("dom0_t", "nomigrate_t");
domainComms("dom0_t", "nomigrate_t");
domainSelfComms("nomigrate_t");

// ---- nic_dev: a network card dom0 administers and domU may use ----
type("nic_dev_t", "resource_type");
adminDevice("dom0_t", "nic_dev_t");
useDeviceNoiommu("domU_t", "nic_dev_t");

// ---- xenstore: the xenstore domain ----
declareSingletonDomain("xenstore_t");
createDomain("dom0_t", "xenstore_t");
manageDomain("dom0_t", "xenstore_t");
allow("dom0_t", "xenstore_t", "domain", "set_virq_handler");
allow("xenstore_t", "xen_t", "xen", "writeconsole");
allow("xenstore_t", "domain_type", "domain", "getdomaininfo");
allow("xenstore_t", "domain_type", "domain2", "get_domain_state");
allow("xenstore_t", "domxen_t", "domain2", "get_domain_state");
createChannel("xenstore_t", "domain_type", "xenstore_t_channel");
allow("event_type", "xenstore_t", "event", "bind");
allow("xenstore_t", "domain_type", "grant", ["map_read", "map_write", "unmap"]);

// ---- image-config labels: what `"label": "…"` in images/*.json means ----
label("dom0", "dom0_t");
label("domU", "domU_t");
label("isolated", "isolated_domU_t");
label("protected", "prot_domU_t");
label("nomigrate", "nomigrate_t");
label("xenstore", "xenstore_t");
label("device-model", "dm_dom_t");

// Decisions of the default policy, as Xen's default FLASK policy makes them.
import { policy, test, expectAllow, expectDeny, expectAuditallow, expectDontaudit } from "xenlite/test";

policy("./default.js");

test("dom0 creates, builds and manages domU", () => {
  for (const p of ["create", "max_vcpus", "setvcpucontext", "getdomaininfo", "pause", "unpause", "destroy", "shutdown"]) {
    expectAllow("dom0_t", "domU_t", "domain", p);
  }
  expectAllow("dom0_t", "domU_t_channel", "event", "create");
  expectAllow("dom0_t", "domU_t", "mmu", "map_read");
  expectAllow("dom0_t", "domU_t", "hvm", "setparam");
  expectAllow("dom0_t", "domU_t", "shadow", "logdirty");
});

test("domU cannot manage dom0 or other guests", () => {
  expectDeny("domU_t", "dom0_t", "domain", "destroy");
  expectDeny("domU_t", "dom0_t", "domain", "pause");
  expectDeny("domU_t", "domU_t", "domain", "create");
  expectDeny("domU_t", "isolated_domU_t", "grant", "map_read");
  expectDeny("domU_t", "xen_t", "xen", "readconsole");
  expectDeny("domU_t", "security_t", "security", "load_policy");
});

test("dom0 runs the hypervisor, and security changes are audited", () => {
  expectAllow("dom0_t", "xen_t", "xen", "readconsole");
  expectAllow("dom0_t", "xen_t", "xen", "settime");
  expectAllow("dom0_t", "xen_t", "xen2", "get_dom0_console");
  expectAllow("dom0_t", "xen_t", "version", "xen_commandline");
  expectAllow("dom0_t", "security_t", "security", "setenforce");
  expectAuditallow("dom0_t", "security_t", "security", "setenforce");
  expectAuditallow("dom0_t", "security_t", "security", "load_policy");
});

test("guests act on themselves through their _self type", () => {
  expectAllow("domU_t", "domU_t_self", "mmu", "map_write");
  expectAllow("domU_t", "domU_t_self", "grant", "setup");
  expectDeny("domU_t", "domU_t", "mmu", "adjust");
  expectAllow("domU_t", "domU_t_channel", "event", "send");
  expectAllow("domU_t_channel", "domU_t_self", "event", "bind");
});

test("domU talks to dom0 and other domUs", () => {
  expectAllow("domU_t", "dom0_t", "grant", "map_write");
  expectAllow("dom0_t", "domU_t", "grant", "map_read");
  expectAllow("domU_t_channel", "dom0_t", "event", "bind");
  expectAllow("dom0_t_channel", "domU_t", "event", "bind");
  expectAllow("domU_t", "domU_t", "grant", "copy");
});

test("isolated domains talk only to dom0", () => {
  expectAllow("isolated_domU_t", "dom0_t", "grant", "map_read");
  expectDeny("isolated_domU_t", "domU_t", "grant", "map_read");
  expectDeny("domU_t", "isolated_domU_t", "grant", "map_write");
  expectDeny("isolated_domU_t_channel", "domU_t", "event", "bind");
});

test("guest_writeconsole on: guests may write the console", () => {
  expectAllow("domU_t", "xen_t", "xen", "writeconsole");
  expectAllow("isolated_domU_t", "xen_t", "xen", "writeconsole");
});

test("guest_writeconsole off: denied and not audited", { bools: { guest_writeconsole: false } }, () => {
  expectDeny("domU_t", "xen_t", "xen", "writeconsole");
  expectDontaudit("domU_t", "xen_t", "xen", "writeconsole");
  expectAllow("dom0_t", "xen_t", "xen", "writeconsole");
  expectAllow("xenstore_t", "xen_t", "xen", "writeconsole");
});

test("version queries: common ones allowed, commandline and build id quietly denied", () => {
  expectAllow("domU_t", "xen_t", "version", "xen_capabilities");
  expectDeny("domU_t", "xen_t", "version", "xen_commandline");
  expectDontaudit("domU_t", "xen_t", "version", "xen_build_id");
});

test("prot_doms_locked off: dom0 creates and saves prot_domU", () => {
  expectAllow("dom0_t", "prot_domU_t", "domain", "create");
  expectAllow("dom0_t", "prot_domU_t", "shadow", "logdirty");
});

test("prot_doms_locked on: dom0 can no longer create or save prot_domU", { bools: { prot_doms_locked: true } }, () => {
  expectDeny("dom0_t", "prot_domU_t", "domain", "create");
  expectDeny("dom0_t", "prot_domU_t", "shadow", "logdirty");
  expectAllow("dom0_t", "prot_domU_t", "grant", "map_read");
  expectAllow("domU_t", "prot_domU_t", "grant", "map_read");
});

test("device model: dm_dom_t serves domU through domU_t_target", () => {
  expectAllow("dom0_t", "dm_dom_t", "domain2", "make_priv_for");
  expectAllow("dom0_t", "domU_t", "domain2", "set_as_target");
  expectAllow("dm_dom_t", "domU_t", "domain", "set_target");
  expectAllow("dm_dom_t", "domU_t_target", "hvm", "dm");
  expectAllow("dm_dom_t", "domU_t_target", "mmu", "target_hack");
  expectDeny("dm_dom_t", "domU_t", "hvm", "dm");
  expectDeny("domU_t", "dm_dom_t", "hvm", "dm");
});

test("nomigrate guests are built under a temporary label and never saved", () => {
  expectAllow("dom0_t", "nomigrate_t_building", "domain", "create");
  expectAllow("nomigrate_t_building", "nomigrate_t", "domain", "transition");
  expectAllow("dom0_t", "nomigrate_t", "domain2", "relabelto");
  expectDeny("dom0_t", "nomigrate_t", "domain", "create");
  expectDeny("dom0_t", "nomigrate_t", "shadow", "logdirty");
});

test("xenstore sees every domain and maps their rings", () => {
  expectAllow("xenstore_t", "domU_t", "domain", "getdomaininfo");
  expectAllow("xenstore_t", "domU_t", "grant", "map_write");
  expectAllow("domU_t_channel", "xenstore_t", "event", "bind");
  expectDeny("xenstore_t", "domU_t", "domain", "destroy");
});

test("devices: dom0 administers them, domU may use the NIC", () => {
  expectAllow("dom0_t", "device_t", "resource", "add_device");
  expectAllow("dom0_t", "irq_t", "resource", "add_irq");
  expectAllow("dom0_t", "domU_t", "resource", "add");
  expectAllow("domU_t", "nic_dev_t", "resource", "use_noiommu");
  expectDeny("domU_t", "device_t", "resource", "use_noiommu");
  expectAllow("xen_t", "iomem_t", "resource", "remove_iomem");
});

test("the hypervisor builds dom0 and domUs at boot", () => {
  expectAllow("xenboot_t", "dom0_t", "domain", "create");
  expectAllow("xenboot_t", "domU_t", "domain", "create");
  expectDeny("xenboot_t", "isolated_domU_t", "domain", "create");
});

test("guest features: pmu, argo", () => {
  expectAllow("domU_t", "xen_t", "xen2", "pmu_use");
  expectDeny("domU_t", "xen_t", "xen2", "pmu_ctrl");
  expectAllow("domU_t", "isolated_domU_t", "argo", "send");
  expectAllow("domU_t", "xen_t", "argo", "enable");
});

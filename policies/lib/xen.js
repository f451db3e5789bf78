// Building blocks for Xen-style policies: the macros of Xen's tools/flask/policy/modules/xen.if,
// as functions. A Xen policy author finds the same names in camelCase (declare_domain →
// declareDomain, domain_comms → domainComms) and the same permissions behind them.
import { type, allow, typeTransition } from "xenlite";

// What every domain may do to itself (declare_domain_common).
function domainSelfBasics(dom, self) {
  allow(dom, self, "grant", ["query", "setup"]);
  allow(dom, self, "mmu", ["adjust", "physmap", "map_read", "map_write", "stat", "pinpage", "updatemp", "mmuext_op"]);
  allow(dom, self, "hvm", ["getparam", "setparam", "altp2mhvm_op"]);
  allow(dom, self, "domain2", "get_vnumainfo");
}

// Singleton domains act on themselves as themselves: their "self" type is their own type.
const singletons = new Set();
export function selfOf(dom) {
  return singletons.has(dom) ? dom : `${dom}_self`;
}

// A domain type T with T_self (what T sees when it acts on itself) and T_channel (its event channels).
export function declareDomain(name, ...attributes) {
  type(name, "domain_type", ...attributes);
  type(`${name}_self`, "domain_type", "domain_self_type");
  typeTransition(name, name, "domain", `${name}_self`);
  type(`${name}_channel`, "event_type");
  typeTransition(name, "domain_type", "event", `${name}_channel`);
  domainSelfBasics(name, `${name}_self`);
}

// A domain of which only one instance exists (dom0_t, xenstore_t): it acts on itself as itself.
export function declareSingletonDomain(name, ...attributes) {
  singletons.add(name);
  type(name, "domain_type", ...attributes);
  type(`${name}_channel`, "event_type");
  typeTransition(name, "domain_type", "event", `${name}_channel`);
  domainSelfBasics(name, name);
}

// T_building: the label a domain has while it is built, before it may become T.
export function declareBuildLabel(name) {
  type(`${name}_building`, "domain_type");
  typeTransition(`${name}_building`, "domain_type", "event", `${name}_channel`);
  allow(`${name}_building`, name, "domain", "transition");
}

function createDomainCommon(creator, dom) {
  allow(creator, dom, "domain", ["create", "max_vcpus", "setdomainmaxmem", "setaddrsize", "getdomaininfo", "hypercall",
    "setvcpucontext", "getscheduler", "getvcpuinfo", "getaddrsize", "getaffinity", "setaffinity", "settime",
    "setdomainhandle", "getvcpucontext", "set_misc_info", "getpagingmempool", "setpagingmempool"]);
  allow(creator, dom, "domain2", ["set_cpu_policy", "settsc", "setscheduler", "setclaim", "set_vnumainfo", "get_vnumainfo",
    "cacheflush", "psr_cmt_op", "psr_alloc", "soft_reset", "resource_map", "get_cpu_policy", "vuart_op",
    "set_llc_colors", "get_domain_state"]);
  allow(creator, dom, "security", "check_context");
  allow(creator, dom, "shadow", "enable");
  allow(creator, dom, "mmu", ["map_read", "map_write", "adjust", "memorymap", "physmap", "pinpage", "mmuext_op", "updatemp"]);
  allow(creator, dom, "grant", "setup");
  allow(creator, dom, "hvm", ["getparam", "hvmctl", "sethvmc", "setparam", "altp2mhvm", "altp2mhvm_op", "dm"]);
}

// The hypervisor itself builds this domain at boot (dom0less).
export function xenBuildDomain(dom) {
  allow("xenboot_t", dom, "domain", "create");
  allow("xenboot_t", `${dom}_channel`, "event", "create");
}

// creator may create and build domains of type dom.
export function createDomain(creator, dom) {
  createDomainCommon(creator, dom);
  allow(creator, `${dom}_channel`, "event", "create");
}

// creator builds a dom_building domain, then relabels it to dom.
export function createDomainBuildLabel(creator, dom) {
  createDomainCommon(creator, `${dom}_building`);
  allow(creator, `${dom}_channel`, "event", "create");
  allow(creator, `${dom}_building`, "domain2", "relabelfrom");
  allow(creator, dom, "domain2", "relabelto");
  allow(`${dom}_building`, dom, "domain", "transition");
}

// manager may run the life cycle of domains of type dom (pause, destroy, …).
export function manageDomain(manager, dom) {
  allow(manager, "domxen_t", "domain", "getdomaininfo");
  allow(manager, dom, "domain", ["getdomaininfo", "getvcpuinfo", "getaffinity", "getaddrsize", "pause", "unpause",
    "trigger", "shutdown", "destroy", "setaffinity", "setdomainmaxmem", "getscheduler", "resume", "setpodtarget",
    "getpodtarget", "getpagingmempool", "setpagingmempool"]);
  allow(manager, dom, "domain2", ["set_vnumainfo", "dt_overlay", "get_domain_state"]);
}

// source may save or migrate domains of type dom away.
export function migrateDomainOut(source, dom) {
  allow(source, "domxen_t", "mmu", "map_read");
  allow(source, dom, "hvm", ["gethvmc", "getparam"]);
  allow(source, dom, "mmu", ["stat", "pageinfo", "map_read"]);
  allow(source, dom, "domain", ["getaddrsize", "getvcpucontext", "pause", "destroy"]);
  allow(source, dom, "domain2", "gettsc");
  allow(source, dom, "shadow", ["enable", "disable", "logdirty"]);
}

// a may make channels of type chan that b can bind to.
export function createChannel(a, b, chan) {
  allow(a, chan, "event", ["create", "send", "status"]);
  allow(chan, b, "event", "bind");
}

export function domainEventComms(a, b) {
  createChannel(a, b, `${a}_channel`);
  createChannel(b, a, `${b}_channel`);
}

// a and b may talk: event channels both ways and grant mappings both ways.
export function domainComms(a, b) {
  domainEventComms(a, b);
  allow(a, b, "grant", ["map_read", "map_write", "copy", "unmap"]);
  allow(b, a, "grant", ["map_read", "map_write", "copy", "unmap"]);
}

// A domain may talk to itself (loopback channels and grants).
export function domainSelfComms(dom) {
  createChannel(dom, selfOf(dom), `${dom}_channel`);
  allow(dom, selfOf(dom), "grant", ["map_read", "map_write", "copy", "unmap"]);
}

// dm is the device model of domains of type target: they appear to it as target_target.
export function deviceModel(dm, target) {
  type(`${target}_target`, "domain_type", "domain_target_type");
  typeTransition(target, dm, "domain", `${target}_target`);
  allow(dm, target, "domain", "set_target");
  typeTransition(`${target}_target`, "domain_type", "event", `${target}_channel`);
  createChannel(dm, `${target}_target`, `${dm}_channel`);
  createChannel(target, dm, `${target}_channel`);
  allow(dm, `${target}_channel`, "event", "create");
  allow(dm, `${target}_target`, "domain", ["getdomaininfo", "shutdown"]);
  allow(dm, `${target}_target`, "mmu", ["map_read", "map_write", "adjust", "physmap", "target_hack"]);
  allow(dm, `${target}_target`, "hvm", ["getparam", "setparam", "hvmctl", "dm"]);
  allow(dm, `${target}_target`, "domain2", "resource_map");
}

// creator may make dm the device model of target.
export function makeDeviceModel(creator, dm, target) {
  deviceModel(dm, target);
  allow(creator, dm, "domain2", "make_priv_for");
  allow(creator, target, "domain2", "set_as_target");
}

export function useDeviceIommu(dom, dev) {
  allow(dom, selfOf(dom), "mmu", "exchange");
  allow(dom, dev, "resource", "use_iommu");
  allow(dom, "domio_t", "mmu", ["map_read", "map_write"]);
}

export function useDeviceIommuNointremap(dom, dev) {
  allow(dom, selfOf(dom), "mmu", "exchange");
  allow(dom, dev, "resource", ["use_iommu", "use_iommu_nointremap"]);
  allow(dom, "domio_t", "mmu", ["map_read", "map_write"]);
}

export function useDeviceNoiommu(dom, dev) {
  allow(dom, selfOf(dom), "mmu", "exchange");
  allow(dom, dev, "resource", ["use_iommu", "use_iommu_nointremap", "use_noiommu"]);
  allow(dom, "domio_t", "mmu", ["map_read", "map_write"]);
}

// admin may set devices of type dev up and hand them to domains, and use them itself.
export function adminDevice(admin, dev) {
  allow(admin, dev, "resource", ["setup", "stat_device", "add_device", "add_irq", "add_iomem", "add_ioport",
    "remove_device", "remove_irq", "remove_iomem", "remove_ioport", "plug", "unplug"]);
  allow(admin, dev, "hvm", "bind_irq");
  useDeviceNoiommu(admin, dev);
}

// admin may give devices to (and take them from) domains of type dom.
export function delegateDevices(admin, dom) {
  allow(admin, dom, "resource", ["add", "remove"]);
}

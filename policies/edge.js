// An edge device: dom0 builds and runs a few isolated guests, and the guests may talk to each
// other only through the channels declared below. Everything not declared is denied, and the
// neverallows make sure a later edit cannot open a side door by accident.
import { attribute, type, allow, neverallow, sid, label, ioport, irq } from "xenlite";
import {
  declareDomain, declareSingletonDomain, createDomain, manageDomain, domainComms, createChannel,
  xenBuildDomain,
} from "./lib/xen.js";

for (const a of ["xen_type", "domain_type", "domain_self_type", "domain_target_type", "resource_type", "event_type", "edge_guest"]) {
  attribute(a);
}
type("xenboot_t", "xen_type");
type("xen_t", "xen_type");
type("domio_t", "xen_type");
type("domxen_t", "xen_type");
type("unlabeled_t", "xen_type");
type("security_t", "xen_type");
type("irq_t", "resource_type");
type("ioport_t", "resource_type");
type("iomem_t", "resource_type");
type("device_t", "resource_type");

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

// dom0: the control domain; it may read the console and manage the guests, nothing more.
declareSingletonDomain("dom0_t");
allow("dom0_t", "xen_t", "xen", ["readconsole", "writeconsole", "physinfo", "getscheduler"]);
allow("dom0_t", "xen_t", "version", ["xen_extraversion", "xen_compile_info", "xen_capabilities", "xen_changeset", "xen_pagesize"]);
allow("dom0_t", "security_t", "security", ["compute_av", "check_context", "load_policy", "setenforce", "setbool"]);
xenBuildDomain("dom0_t");

// The guests: a sensor reader, an analytics guest and an uplink guest.
const guests = ["sensor_t", "analytics_t", "uplink_t"];
for (const g of guests) {
  declareDomain(g, "edge_guest");
  createDomain("dom0_t", g);
  manageDomain("dom0_t", g);
  domainComms("dom0_t", g);
  xenBuildDomain(g);
  allow(g, "xen_t", "version", ["xen_extraversion", "xen_capabilities", "xen_pagesize"]);
}

// The declared channels: sensor → analytics → uplink, nothing else between guests.
function channel(from, to) {
  createChannel(from, to, `${from}_channel`);
  createChannel(to, from, `${to}_channel`);
  allow(from, to, "grant", ["map_read", "map_write", "copy", "unmap"]);
}
channel("sensor_t", "analytics_t");
channel("analytics_t", "uplink_t");

// The sensor owns its ADC's ports and interrupt.
type("sensor_adc_t", "resource_type");
ioport(0x300, 0x31f, "sensor_adc_t");
irq(11, "sensor_adc_t");
allow("dom0_t", "sensor_adc_t", "resource", ["add_ioport", "add_irq", "remove_ioport", "remove_irq", "setup"]);
allow("dom0_t", "sensor_t", "resource", ["add", "remove"]);
allow("sensor_t", "sensor_adc_t", "resource", "use_noiommu");

// No guest may reach the hypervisor console, map another guest's memory, or talk to a guest it has no channel with.
neverallow("edge_guest", "xen_t", "xen", ["writeconsole", "readconsole"]);
neverallow("edge_guest", "edge_guest", "mmu", ["map_read", "map_write"]);
neverallow("sensor_t", "uplink_t", "grant", ["map_read", "map_write", "copy"]);
neverallow("uplink_t", "sensor_t", "grant", ["map_read", "map_write", "copy"]);
neverallow(["sensor_t_channel", "uplink_t_channel"], ["uplink_t", "sensor_t"], "event", "bind");
neverallow("edge_guest", "edge_guest", "domain", "*");

label("dom0", "dom0_t");
label("sensor", "sensor_t");
label("analytics", "analytics_t");
label("uplink", "uplink_t");

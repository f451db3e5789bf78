// Boot policy of images/flask-demo.json: dom0 may do everything the hypervisor checks except read
// the hypervisor's command line (version:xen_commandline). demo-open.js adds that one permission;
// the image test loads it at run time (FLASK_LOAD) and sees the same call go from denied to allowed.
import { attribute, type, allow, sid } from "xenlite";

for (const a of ["xen_type", "domain_type", "resource_type"]) attribute(a);
for (const t of ["xenboot_t", "xen_t", "domio_t", "domxen_t", "unlabeled_t", "security_t"]) type(t, "xen_type");
for (const t of ["irq_t", "ioport_t", "iomem_t", "device_t"]) type(t, "resource_type");
type("dom0_t", "domain_type");

for (const [s, t] of [["xenboot", "xenboot_t"], ["xen", "xen_t"], ["dom0", "dom0_t"], ["domxen", "domxen_t"],
  ["domio", "domio_t"], ["unlabeled", "unlabeled_t"], ["security", "security_t"], ["irq", "irq_t"],
  ["iomem", "iomem_t"], ["ioport", "ioport_t"], ["device", "device_t"]]) {
  sid(s, t);
}

// The hypervisor builds dom0 at boot (as Xen's xen.if build_domain does for domains it starts).
allow("xenboot_t", "dom0_t", "domain", "create");
allow("dom0_t", "*", ["xen", "xen2", "domain", "domain2", "hvm", "mmu", "resource", "shadow", "event", "grant",
  "security", "argo"], "*");
allow("dom0_t", "xen_t", "version", ["xen_extraversion", "xen_compile_info", "xen_capabilities", "xen_changeset",
  "xen_pagesize", "xen_guest_handle", "xen_build_id"]);

// What `xenlite policy load` sends to the flask-demo image at run time: the boot policy
// (demo-locked.js) plus dom0 reading the hypervisor's command line.
import { allow } from "xenlite";
import "./demo-locked.js";

allow("dom0_t", "xen_t", "version", "xen_commandline");

// The edge policy: guests talk only through the declared channels.
import { policy, test, expectAllow, expectDeny } from "xenlite/test";

policy("./edge.js");

test("dom0 builds and manages the guests", () => {
  for (const g of ["sensor_t", "analytics_t", "uplink_t"]) {
    expectAllow("dom0_t", g, "domain", "create");
    expectAllow("dom0_t", g, "domain", "destroy");
    expectAllow("dom0_t", g, "grant", "map_read");
  }
});

test("sensor → analytics → uplink is open", () => {
  expectAllow("sensor_t", "analytics_t", "grant", "map_write");
  expectAllow("analytics_t", "uplink_t", "grant", "map_write");
  expectAllow("sensor_t_channel", "analytics_t", "event", "bind");
  expectAllow("analytics_t_channel", "sensor_t", "event", "bind");
  expectAllow("analytics_t_channel", "uplink_t", "event", "bind");
});

test("sensor and uplink cannot talk directly", () => {
  expectDeny("sensor_t", "uplink_t", "grant", "map_read");
  expectDeny("uplink_t", "sensor_t", "grant", "map_read");
  expectDeny("sensor_t_channel", "uplink_t", "event", "bind");
  expectDeny("uplink_t_channel", "sensor_t", "event", "bind");
  expectDeny("uplink_t", "analytics_t", "grant", "map_write");
});

test("guests cannot touch each other's domains or the console", () => {
  expectDeny("analytics_t", "sensor_t", "domain", "pause");
  expectDeny("sensor_t", "xen_t", "xen", "writeconsole");
  expectDeny("uplink_t", "sensor_t", "mmu", "map_read");
  expectDeny("uplink_t", "dom0_t", "domain", "destroy");
});

test("only the sensor uses its ADC", () => {
  expectAllow("sensor_t", "sensor_adc_t", "resource", "use_noiommu");
  expectDeny("uplink_t", "sensor_adc_t", "resource", "use_noiommu");
  expectAllow("dom0_t", "sensor_adc_t", "resource", "add_ioport");
});

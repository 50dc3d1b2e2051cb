// The platform bus (drivers/base/platform.c): name matching, platform_probe with its
// prevent_deferred_probe rewrite, platform_device_register_simple, platform_driver_register and
// __platform_driver_probe, which is "incompatible with deferred probing".
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "ffa_core/linux/driver_core/bus.h"
#include "ffa_core/linux/driver_core/dd.h"

namespace ffaemu::lnx {

struct PlatformDevice : Device {};

struct PlatformDriver : Driver {
  std::function<int(PlatformDevice&)> pprobe;  // platform_driver.probe
  std::function<void(PlatformDevice&)> premove;
  bool probe_fail = false;  // .probe == platform_probe_fail
  bool prevent_deferred_probe = false;
};

class PlatformBus final : public BusType {
 public:
  explicit PlatformBus(Printk& printk) : BusType("platform"), printk_(printk) {}
  // platform_match: the names compare equal (no driver_override, OF, ACPI or id_table here).
  [[nodiscard]] bool match(Device& dev, const Driver& drv) override;
  // platform_probe: -ENXIO for platform_probe_fail, else the driver's probe; a deferral from a
  // prevent_deferred_probe driver becomes -ENXIO with "probe deferral not supported".
  int probe(Device& dev) override;
  void remove(Device& dev) override;

 private:
  Printk& printk_;
};

// PLATFORM_DEVID_NONE: the device is named exactly `name`.
[[nodiscard]] std::unique_ptr<PlatformDevice> platform_device_register_simple(DriverCore& core,
                                                                              PlatformBus& bus,
                                                                              std::string name);
void platform_device_unregister(DriverCore& core, PlatformDevice& pdev);
int platform_driver_register(DriverCore& core, PlatformBus& bus, PlatformDriver& drv);
void platform_driver_unregister(DriverCore& core, PlatformDriver& drv);
// __platform_driver_probe: synchronous registration with `probe`, then probe :=
// platform_probe_fail; -ENODEV and the driver unregistered when no device bound.
int platform_driver_probe(DriverCore& core, PlatformBus& bus, PlatformDriver& drv,
                          std::function<int(PlatformDevice&)> probe);

}  // namespace ffaemu::lnx

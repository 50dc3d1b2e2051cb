#include "ffa_core/linux/driver_core/driver.h"

#include <algorithm>

#include <fmt/format.h>

#include "ffa_core/linux/driver_core/dd.h"
#include "ffa_core/linux/errno.h"

namespace ffaemu::lnx {

// driver_register (drivers/base/driver.c) -> bus_add_driver -> driver_attach -> __driver_attach
// for every device on the bus: match, then a synchronous driver_probe_device whose result is
// ignored.
int DriverCore::driver_register(Driver& drv) {
  for (const Driver* other : drv.bus->drivers) {
    if (other->name == drv.name) {
      printk_.log(LogLevel::Err,
                  fmt::format("Error: Driver '{}' is already registered, aborting...", drv.name));
      return -kEbusy;
    }
  }
  drv.bus->drivers.push_back(&drv);
  drv.registered = true;
  const std::vector<Device*> devices = drv.bus->devices;
  for (Device* dev : devices) {
    if (!dev->registered || !drv.bus->match(*dev, drv)) continue;
    driver_probe_device(drv, *dev);
  }
  return 0;
}

// driver_unregister -> bus_remove_driver -> driver_detach: every bound device is released.
void DriverCore::driver_unregister(Driver& drv) {
  while (!drv.devices.empty())
    device_release_driver(*drv.devices.back());
  auto& list = drv.bus->drivers;
  list.erase(std::remove(list.begin(), list.end(), &drv), list.end());
  drv.registered = false;
}

// device_release_driver -> __device_release_driver: bus/driver remove, then the unbind cleanup.
void DriverCore::device_release_driver(Device& dev) {
  if (dev.driver == nullptr) return;
  Driver& drv = *dev.driver;
  dev.bus->remove(dev);
  drv.devices.erase(std::remove(drv.devices.begin(), drv.devices.end(), &dev), drv.devices.end());
  device_unbind_cleanup(dev);
}

}  // namespace ffaemu::lnx

#include "ffa_core/linux/driver_core/device.h"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "ffa_core/linux/driver_core/bus.h"
#include "ffa_core/linux/driver_core/dd.h"
#include "ffa_core/linux/driver_core/driver.h"

namespace ffaemu::lnx {

std::string dev_driver_string(const Device& dev) {
  if (dev.driver) return dev.driver->name;
  return dev.bus ? dev.bus->name() : std::string();
}

void dev_printk(Printk& printk, LogLevel level, const Device& dev, std::string_view message) {
  printk.log(level, fmt::format("{} {}: {}", dev_driver_string(dev), dev.name, message));
}

// device_add (drivers/base/core.c): bus_add_device, then bus_probe_device.
int DriverCore::device_add(Device& dev) {
  if (dev.bus == nullptr || !dev.bus->registered) {
    throw std::logic_error("device_add: " + dev.name + " has no registered bus");
  }
  dev.bus->devices.push_back(&dev);
  dev.registered = true;
  dev.dead = false;
  bus_probe_device(dev);
  return 0;
}

// device_del (drivers/base/core.c): device_private.dead, then bus_remove_device, which releases
// the driver; driver_deferred_probe_del runs on the way.
void DriverCore::device_del(Device& dev) {
  dev.dead = true;
  driver_deferred_probe_del(dev);
  device_release_driver(dev);
  auto& list = dev.bus->devices;
  list.erase(std::remove(list.begin(), list.end(), &dev), list.end());
  dev.registered = false;
}

}  // namespace ffaemu::lnx

#include "ffa_core/linux/driver_core/bus.h"

#include "ffa_core/linux/driver_core/dd.h"
#include "ffa_core/linux/driver_core/device.h"
#include "ffa_core/linux/driver_core/driver.h"

namespace ffaemu::lnx {

int BusType::probe(Device& dev) {
  return dev.driver->probe ? dev.driver->probe(dev) : 0;
}

void BusType::remove(Device& dev) {
  if (dev.driver->remove) dev.driver->remove(dev);
}

void BusType::notify_bind_driver(Device&) {}

int DriverCore::bus_register(BusType& bus) {
  bus.registered = true;
  buses_.push_back(&bus);
  return 0;
}

// bus_probe_device -> device_initial_probe -> __device_attach: try each driver of the bus in
// registration order until one binds (__device_attach_driver ignores probe errors).
void DriverCore::bus_probe_device(Device& dev) {
  if (dev.dead || dev.driver) return;
  const std::vector<Driver*> drivers = dev.bus->drivers;
  for (Driver* drv : drivers) {
    if (!dev.bus->match(dev, *drv)) continue;
    const int ret = driver_probe_device(*drv, dev);
    if (ret < 0 || dev.driver != nullptr) return;
  }
}

}  // namespace ffaemu::lnx

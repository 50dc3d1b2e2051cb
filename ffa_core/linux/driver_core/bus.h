// struct bus_type (include/linux/device/bus.h): match, the bus-level probe/remove that wrap the
// driver's, the BUS_NOTIFY_BIND_DRIVER hook, and the subsystem's device and driver lists.
#pragma once

#include <string>
#include <vector>

namespace ffaemu::lnx {

struct Device;
struct Driver;

class BusType {
 public:
  explicit BusType(std::string name) : name_(std::move(name)) {}
  BusType(const BusType&) = delete;
  BusType& operator=(const BusType&) = delete;
  virtual ~BusType() = default;

  [[nodiscard]] const std::string& name() const { return name_; }

  // bus->match: true for a positive match (the buses modelled never ask for match deferral).
  [[nodiscard]] virtual bool match(Device& dev, const Driver& drv) = 0;
  // bus->probe / bus->remove. The defaults are what call_driver_probe / device_remove do for a
  // bus without them: call the driver's own.
  virtual int probe(Device& dev);
  virtual void remove(Device& dev);
  // bus_notify(dev, BUS_NOTIFY_BIND_DRIVER), sent by really_probe before the driver probes.
  virtual void notify_bind_driver(Device& dev);

  bool registered = false;
  std::vector<Device*> devices;  // in registration order (klist_devices)
  std::vector<Driver*> drivers;  // in registration order (klist_drivers)

 private:
  std::string name_;
};

}  // namespace ffaemu::lnx

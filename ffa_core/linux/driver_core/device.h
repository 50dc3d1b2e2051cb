// struct device as the driver core uses it (include/linux/device.h): name, bus, parent, bound
// driver, registration state, and the deferred-probe bookkeeping of device_private.
#pragma once

#include <string>
#include <string_view>

#include "ffa_core/linux/printk.h"

namespace ffaemu::lnx {

class BusType;
struct Driver;

struct Device {
  Device() = default;
  Device(const Device&) = delete;
  Device& operator=(const Device&) = delete;
  virtual ~Device() = default;

  std::string name;  // dev_name()
  BusType* bus = nullptr;
  Device* parent = nullptr;
  Driver* driver = nullptr;
  bool registered = false;  // device_is_registered()
  bool dead = false;        // device_private.dead, set by device_del()
  bool can_match = false;   // a driver matched once: deferral may be recorded
};

// dev_driver_string(): the bound driver's name, else the bus name.
[[nodiscard]] std::string dev_driver_string(const Device& dev);
// dev_printk(): "<driver-or-bus> <device>: <message>".
void dev_printk(Printk& printk, LogLevel level, const Device& dev, std::string_view message);

}  // namespace ffaemu::lnx

// struct device_driver (include/linux/device/driver.h): name, bus, the probe/remove callbacks used
// when the bus has none, probe type, and the klist of bound devices.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace ffaemu::lnx {

class BusType;
struct Device;

enum class ProbeType : uint8_t { DefaultStrategy, PreferAsynchronous, ForceSynchronous };

struct Driver {
  Driver() = default;
  Driver(const Driver&) = delete;
  Driver& operator=(const Driver&) = delete;
  virtual ~Driver() = default;

  std::string name;
  BusType* bus = nullptr;
  ProbeType probe_type = ProbeType::DefaultStrategy;
  bool suppress_bind_attrs = false;
  std::function<int(Device&)> probe;
  std::function<void(Device&)> remove;

  bool registered = false;
  std::vector<Device*> devices;   // klist_devices: devices bound to this driver
  std::optional<int> last_probe;  // call_driver_probe's last result, for the outcome
};

}  // namespace ffaemu::lnx

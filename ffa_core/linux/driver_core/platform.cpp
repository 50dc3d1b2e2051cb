#include "ffa_core/linux/driver_core/platform.h"

#include <fmt/format.h>

#include "ffa_core/linux/errno.h"

namespace ffaemu::lnx {

bool PlatformBus::match(Device& dev, const Driver& drv) {
  return dev.name == drv.name;
}

int PlatformBus::probe(Device& dev) {
  auto& drv = static_cast<PlatformDriver&>(*dev.driver);
  if (drv.probe_fail) return -kEnxio;
  int ret = drv.pprobe ? drv.pprobe(static_cast<PlatformDevice&>(dev)) : 0;
  if (drv.prevent_deferred_probe && ret == -kEprobeDefer) {
    dev_printk(printk_, LogLevel::Warn, dev, "probe deferral not supported");
    ret = -kEnxio;
  }
  return ret;
}

void PlatformBus::remove(Device& dev) {
  auto& drv = static_cast<PlatformDriver&>(*dev.driver);
  if (drv.premove) drv.premove(static_cast<PlatformDevice&>(dev));
}

std::unique_ptr<PlatformDevice> platform_device_register_simple(DriverCore& core, PlatformBus& bus,
                                                                std::string name) {
  auto pdev = std::make_unique<PlatformDevice>();
  pdev->name = std::move(name);
  pdev->bus = &bus;
  core.device_add(*pdev);
  return pdev;
}

void platform_device_unregister(DriverCore& core, PlatformDevice& pdev) {
  core.device_del(pdev);
}

int platform_driver_register(DriverCore& core, PlatformBus& bus, PlatformDriver& drv) {
  drv.bus = &bus;
  return core.driver_register(drv);
}

void platform_driver_unregister(DriverCore& core, PlatformDriver& drv) {
  core.driver_unregister(drv);
}

int platform_driver_probe(DriverCore& core, PlatformBus& bus, PlatformDriver& drv,
                          std::function<int(PlatformDevice&)> probe) {
  if (drv.probe_type == ProbeType::PreferAsynchronous) {
    core.printk().log(LogLevel::Err,
                      fmt::format("{}: drivers registered with platform_driver_probe can not be "
                                  "probed asynchronously",
                                  drv.name));
    return -kEinval;
  }
  drv.probe_type = ProbeType::ForceSynchronous;
  drv.prevent_deferred_probe = true;
  drv.suppress_bind_attrs = true;
  drv.pprobe = std::move(probe);
  const int ret = platform_driver_register(core, bus, drv);
  if (ret) return ret;
  drv.probe_fail = true;
  if (drv.devices.empty()) {
    platform_driver_unregister(core, drv);
    return -kEnodev;
  }
  return 0;
}

}  // namespace ffaemu::lnx

#include "ffa_core/linux/arm_ffa/bus.h"

#include <fmt/format.h>

#include "ffa_core/linux/errno.h"

namespace ffaemu::lnx {

bool FfaBus::match(Device& dev, const Driver& drv) {
  auto& fdev = static_cast<FfaDevice&>(dev);
  const auto& fdrv = static_cast<const FfaDriver&>(drv);
  if (fdev.root || fdrv.id_table.empty()) return fdev.root && fdrv.id_table.empty();
  for (const ffa::Uuid& uuid : fdrv.id_table) {
    if (fdev.uuid.nil() || fdev.uuid == uuid) return true;
  }
  return false;
}

int FfaBus::probe(Device& dev) {
  auto& fdev = static_cast<FfaDevice&>(dev);
  if (!fdev.root && fdev.uuid.nil()) return -kEnodev;
  return static_cast<FfaDriver&>(*dev.driver).fprobe(fdev);
}

void FfaBus::remove(Device& dev) {
  auto& drv = static_cast<FfaDriver&>(*dev.driver);
  if (drv.fremove) drv.fremove(static_cast<FfaDevice&>(dev));
}

void FfaBus::notify_bind_driver(Device& dev) {
  if (bind_notifier) {
    bind_notifier(static_cast<FfaDevice&>(dev), static_cast<const FfaDriver&>(*dev.driver));
  }
}

int FfaBus::ida_alloc_min1() {
  int id = 1;
  while (ids_.count(id))
    ++id;
  ids_.insert(id);
  return id;
}

int ffa_driver_register(DriverCore& core, FfaBus& bus, FfaDriver& drv) {
  drv.bus = &bus;
  return core.driver_register(drv);
}

std::unique_ptr<FfaDevice> ffa_device_register(DriverCore& core, FfaBus& bus,
                                               const FfaPartitionInfo& info, Device* parent) {
  auto dev = std::make_unique<FfaDevice>();
  dev->id = bus.ida_alloc_min1();
  dev->name = fmt::format("arm-ffa-{}", dev->id);
  dev->bus = &bus;
  dev->parent = parent;
  dev->vm_id = info.id;
  dev->properties = info.properties;
  dev->uuid = info.uuid;
  core.device_add(*dev);
  return dev;
}

void ffa_device_unregister(DriverCore& core, FfaBus& bus, FfaDevice& dev) {
  core.device_del(dev);
  bus.ida_free(dev.id);
}

}  // namespace ffaemu::lnx

#include "ffa_core/linux/driver_core/dd.h"

#include <algorithm>

#include <fmt/format.h>

#include "ffa_core/linux/errno.h"

namespace ffaemu::lnx {

bool DriverCore::on_list(const std::deque<Device*>& list, const Device& dev) const {
  return std::find(list.begin(), list.end(), &dev) != list.end();
}

// driver_probe_device: __driver_probe_device (-ENODEV for a dead or unregistered device, -EBUSY
// when already bound, can_match set), then really_probe. A deferral of either sign goes on the
// pending list, and is re-triggered if a trigger happened while probing.
int DriverCore::driver_probe_device(Driver& drv, Device& dev) {
  const int trigger_count = trigger_count_;
  int ret;
  if (dev.dead || !dev.registered) {
    ret = -kEnodev;
  } else if (dev.driver != nullptr) {
    ret = -kEbusy;
  } else {
    dev.can_match = true;
    ret = really_probe(dev, drv);
  }
  if (ret == -kEprobeDefer || ret == kEprobeDefer) {
    driver_deferred_probe_add(dev);
    if (trigger_count != trigger_count_) driver_deferred_probe_trigger();
  }
  return ret;
}

// really_probe: bind the driver, BUS_NOTIFY_BIND_DRIVER, call_driver_probe. A failed probe is
// returned as a positive value after the cleanup (driver_sysfs_remove, BUS_NOTIFY_DRIVER_NOT_BOUND,
// device_unbind_cleanup); success ends in driver_bound.
int DriverCore::really_probe(Device& dev, Driver& drv) {
  dev.driver = &drv;
  dev.bus->notify_bind_driver(dev);
  printk_.event(BootEventKind::ProbeStart, dev.name, drv.name);
  const int ret = call_driver_probe(dev, drv);
  printk_.event(BootEventKind::ProbeEnd, dev.name, drv.name, ret);
  if (ret != 0) {
    device_unbind_cleanup(dev);
    return -ret;
  }
  drv.devices.push_back(&dev);
  driver_bound(dev);
  return 0;
}

// call_driver_probe: bus->probe (or the driver's), and the three kinds of log line.
int DriverCore::call_driver_probe(Device& dev, Driver& drv) {
  const int ret = dev.bus->probe(dev);
  drv.last_probe = ret;
  if (ret == -kEprobeDefer) {
    dev_printk(printk_, LogLevel::Debug, dev,
               fmt::format("Driver {} requests probe deferral", drv.name));
  } else if (ret == -kEnodev || ret == -kEnxio) {
    dev_printk(printk_, LogLevel::Debug, dev,
               fmt::format("probe with driver {} rejects match {}", drv.name, ret));
  } else if (ret != 0) {
    dev_printk(printk_, LogLevel::Err, dev,
               fmt::format("probe with driver {} failed with error {}", drv.name, ret));
  }
  return ret;
}

// driver_bound: off the deferred lists, and kick every pending device.
void DriverCore::driver_bound(Device& dev) {
  dev_printk(printk_, LogLevel::Debug, dev,
             fmt::format("driver: '{}': driver_bound: bound to device", dev.driver->name));
  driver_deferred_probe_del(dev);
  driver_deferred_probe_trigger();
}

void DriverCore::device_unbind_cleanup(Device& dev) {
  dev.driver = nullptr;
}

void DriverCore::driver_deferred_probe_add(Device& dev) {
  if (!dev.can_match) return;
  if (on_list(pending_, dev) || on_list(active_, dev)) return;
  dev_printk(printk_, LogLevel::Debug, dev, "Added to deferred list");
  pending_.push_back(&dev);
  printk_.event(BootEventKind::DeferredAdd, dev.name);
}

void DriverCore::driver_deferred_probe_del(Device& dev) {
  pending_.erase(std::remove(pending_.begin(), pending_.end(), &dev), pending_.end());
  active_.erase(std::remove(active_.begin(), active_.end(), &dev), active_.end());
}

// driver_deferred_probe_trigger: a no-op until deferred_probe_initcall enables probing; then the
// pending list moves to the tail of the active list and the work is queued.
void DriverCore::driver_deferred_probe_trigger() {
  if (!enable_) return;
  ++trigger_count_;
  const int moved = static_cast<int>(pending_.size());
  active_.insert(active_.end(), pending_.begin(), pending_.end());
  pending_.clear();
  work_queued_ = true;
  printk_.event(BootEventKind::DeferredTrigger, "deferred_probe_work", {}, moved);
}

// deferred_probe_work_func: retry the active list head first, one device at a time.
void DriverCore::deferred_probe_work_func() {
  while (!active_.empty()) {
    Device* dev = active_.front();
    active_.pop_front();
    dev_printk(printk_, LogLevel::Debug, *dev, "Retrying from deferred list");
    printk_.event(BootEventKind::DeferredRetry, dev->name);
    bus_probe_device(*dev);
  }
}

void DriverCore::flush_deferred_probe_work() {
  while (work_queued_) {
    work_queued_ = false;
    deferred_probe_work_func();
  }
}

int DriverCore::deferred_probe_initcall() {
  enable_ = true;
  driver_deferred_probe_trigger();
  flush_deferred_probe_work();
  initcalls_done_ = true;
  driver_deferred_probe_trigger();
  flush_deferred_probe_work();
  timeout_armed_ = timeout_ > 0;
  return 0;
}

bool DriverCore::deferred_probe_timeout_expire() {
  if (!timeout_armed_) return false;
  timeout_armed_ = false;
  timeout_ = 0;
  driver_deferred_probe_trigger();
  flush_deferred_probe_work();
  for (Device* dev : pending_) {
    // FF-A never records a reason (no dev_err_probe), so the kernel prints its fallback.
    dev_printk(printk_, LogLevel::Warn, *dev, "deferred probe pending: (reason unknown)");
    printk_.event(BootEventKind::DeferredPending, dev->name);
  }
  return true;
}

}  // namespace ffaemu::lnx

// The driver core's binding machinery (drivers/base/dd.c, bus.c, core.c, driver.c): device and
// driver registration, matching, really_probe with its return-code rules and cleanup, and
// deferred probing with its pending/active lists, triggers, deferred_probe_initcall and timeout.
// The deferred_probe_work kworker is modelled as running whenever the work is flushed: inside
// deferred_probe_initcall, the timeout, and (once probing is enabled) between two initcalls.
#pragma once

#include <deque>
#include <vector>

#include "ffa_core/linux/driver_core/bus.h"
#include "ffa_core/linux/driver_core/device.h"
#include "ffa_core/linux/driver_core/driver.h"
#include "ffa_core/linux/printk.h"

namespace ffaemu::lnx {

class DriverCore {
 public:
  explicit DriverCore(Printk& printk) : printk_(printk) {}
  DriverCore(const DriverCore&) = delete;
  DriverCore& operator=(const DriverCore&) = delete;

  [[nodiscard]] Printk& printk() { return printk_; }

  // bus_register: the bus can take devices and drivers.
  int bus_register(BusType& bus);
  // device_add: join the bus, then bus_probe_device. The device must outlive its registration.
  int device_add(Device& dev);
  // device_del: off the deferred lists, driver released, off the bus; the device is dead.
  void device_del(Device& dev);
  // driver_register: -EBUSY for a duplicate name on the bus, else join the bus and attach
  // synchronously to every matching device (__driver_attach ignores probe results).
  int driver_register(Driver& drv);
  // driver_unregister: release every bound device, leave the bus.
  void driver_unregister(Driver& drv);
  void device_release_driver(Device& dev);

  void bus_probe_device(Device& dev);
  int driver_probe_device(Driver& drv, Device& dev);

  void driver_deferred_probe_add(Device& dev);
  void driver_deferred_probe_del(Device& dev);
  void driver_deferred_probe_trigger();
  // Runs deferred_probe_work_func until no work is queued (flush_work).
  void flush_deferred_probe_work();
  // late_initcall in drivers/base/dd.c.
  int deferred_probe_initcall();
  // deferred_probe_timeout_work_func: runs when the timeout armed by deferred_probe_initcall
  // expires; returns false when no timeout was armed.
  bool deferred_probe_timeout_expire();

  void set_deferred_probe_timeout(int seconds) { timeout_ = seconds; }
  [[nodiscard]] bool deferred_probe_enabled() const { return enable_; }
  [[nodiscard]] bool initcalls_done() const { return initcalls_done_; }
  [[nodiscard]] const std::deque<Device*>& pending() const { return pending_; }
  [[nodiscard]] const std::deque<Device*>& active() const { return active_; }
  [[nodiscard]] int trigger_count() const { return trigger_count_; }

 private:
  int really_probe(Device& dev, Driver& drv);
  int call_driver_probe(Device& dev, Driver& drv);
  void driver_bound(Device& dev);
  void device_unbind_cleanup(Device& dev);
  void deferred_probe_work_func();
  bool on_list(const std::deque<Device*>& list, const Device& dev) const;

  Printk& printk_;
  std::vector<BusType*> buses_;
  std::deque<Device*> pending_;
  std::deque<Device*> active_;
  bool enable_ = false;  // driver_deferred_probe_enable
  bool work_queued_ = false;
  bool initcalls_done_ = false;
  bool timeout_armed_ = false;
  int trigger_count_ = 0;  // deferred_trigger_count
  int timeout_ = 10;       // driver_deferred_probe_timeout
};

}  // namespace ffaemu::lnx

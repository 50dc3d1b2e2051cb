#include "ffa_core/linux/driver_core/dd.h"

#include <gtest/gtest.h>

#include "ffa_core/linux/errno.h"

namespace ffaemu::lnx {
namespace {

// A bus matching by name, with the default bus probe (the driver's own).
class NameBus final : public BusType {
 public:
  NameBus() : BusType("test") {}
  bool match(Device& dev, const Driver& drv) override { return dev.name == drv.name; }
};

struct Fixture : ::testing::Test {
  Printk printk;
  DriverCore core{printk};
  NameBus bus;
  void SetUp() override { core.bus_register(bus); }
  Device& dev(const std::string& name) {
    devices.push_back(std::make_unique<Device>());
    devices.back()->name = name;
    devices.back()->bus = &bus;
    return *devices.back();
  }
  Driver& drv(const std::string& name, std::function<int(Device&)> probe) {
    drivers.push_back(std::make_unique<Driver>());
    drivers.back()->name = name;
    drivers.back()->bus = &bus;
    drivers.back()->probe = std::move(probe);
    return *drivers.back();
  }
  bool logged(const std::string& text) const {
    for (const LogLine& l : printk.lines()) {
      if (l.text == text) return true;
    }
    return false;
  }
  std::vector<std::unique_ptr<Device>> devices;
  std::vector<std::unique_ptr<Driver>> drivers;
};

using DriverCoreTest = Fixture;

TEST_F(DriverCoreTest, DriverRegister_AttachesToExistingDeviceAndIgnoresProbeErrors) {
  Device& a = dev("a");
  core.device_add(a);
  int calls = 0;
  Driver& d = drv("a", [&](Device&) { return ++calls == 1 ? -5 : 0; });
  EXPECT_EQ(core.driver_register(d), 0);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(a.driver, nullptr);
  EXPECT_TRUE(logged("a a: probe with driver a failed with error -5"));
}

TEST_F(DriverCoreTest, ReallyProbe_ReturnsPositiveErrorAndUnbinds) {
  Device& a = dev("a");
  core.device_add(a);
  Driver& d = drv("a", [](Device&) { return -kEnxio; });
  d.registered = true;
  bus.drivers.push_back(&d);
  EXPECT_EQ(core.driver_probe_device(d, a), kEnxio);
  EXPECT_EQ(a.driver, nullptr);
  EXPECT_TRUE(logged("a a: probe with driver a rejects match -6"));
  EXPECT_EQ(d.last_probe, -kEnxio);
}

TEST_F(DriverCoreTest, DriverProbeDevice_BoundIsEbusyAndDeadIsEnodev) {
  Device& a = dev("a");
  core.device_add(a);
  Driver& d = drv("a", [](Device&) { return 0; });
  core.driver_register(d);
  EXPECT_EQ(a.driver, &d);
  EXPECT_EQ(core.driver_probe_device(d, a), -kEbusy);
  core.device_del(a);
  EXPECT_EQ(a.driver, nullptr);
  EXPECT_EQ(core.driver_probe_device(d, a), -kEnodev);
}

TEST_F(DriverCoreTest, DriverRegister_DuplicateNameIsEbusy) {
  Driver& d1 = drv("x", nullptr);
  Driver& d2 = drv("x", nullptr);
  EXPECT_EQ(core.driver_register(d1), 0);
  EXPECT_EQ(core.driver_register(d2), -kEbusy);
  EXPECT_TRUE(logged("Error: Driver 'x' is already registered, aborting..."));
}

TEST_F(DriverCoreTest, DeferredProbe_NotRetriedBeforeLateInitcall) {
  bool ready = false;
  Device& a = dev("a");
  core.device_add(a);
  int probes = 0;
  core.driver_register(drv("a", [&](Device&) {
    ++probes;
    return ready ? 0 : -kEprobeDefer;
  }));
  ASSERT_EQ(core.pending().size(), 1u);
  // Later successful binds trigger, but the trigger is a no-op until probing is enabled.
  Device& b = dev("b");
  core.device_add(b);
  core.driver_register(drv("b", [](Device&) { return 0; }));
  EXPECT_EQ(b.driver->name, "b");
  EXPECT_EQ(probes, 1);
  EXPECT_EQ(core.pending().size(), 1u);
  EXPECT_EQ(core.trigger_count(), 0);
  ready = true;
  EXPECT_EQ(core.deferred_probe_initcall(), 0);
  EXPECT_EQ(probes, 2);
  EXPECT_EQ(a.driver->name, "a");
  EXPECT_TRUE(core.pending().empty());
  EXPECT_TRUE(core.initcalls_done());
  EXPECT_TRUE(logged("a a: Driver a requests probe deferral"));
  EXPECT_TRUE(logged("test a: Added to deferred list"));
  EXPECT_TRUE(logged("test a: Retrying from deferred list"));
}

TEST_F(DriverCoreTest, DeferredProbe_TimeoutRetriesAndWarnsStillPending) {
  Device& a = dev("a");
  core.device_add(a);
  core.driver_register(drv("a", [](Device&) { return -kEprobeDefer; }));
  EXPECT_FALSE(core.deferred_probe_timeout_expire());
  core.deferred_probe_initcall();
  ASSERT_EQ(core.pending().size(), 1u);
  EXPECT_TRUE(core.deferred_probe_timeout_expire());
  EXPECT_TRUE(logged("test a: deferred probe pending: (reason unknown)"));
  EXPECT_FALSE(core.deferred_probe_timeout_expire());
}

TEST_F(DriverCoreTest, DeferredProbe_ZeroTimeoutArmsNothing) {
  core.set_deferred_probe_timeout(0);
  core.deferred_probe_initcall();
  EXPECT_FALSE(core.deferred_probe_timeout_expire());
}

TEST_F(DriverCoreTest, DeferredProbe_TriggerDuringProbeRetriesTheDeferringDevice) {
  core.deferred_probe_initcall();
  Device& b = dev("b");
  core.driver_register(drv("b", [](Device&) { return 0; }));
  int probes = 0;
  Device& a = dev("a");
  core.driver_register(drv("a", [&](Device&) {
    // A bind while `a` probes: the trigger moves nothing yet, so driver_probe_device re-triggers.
    if (++probes == 1) core.device_add(b);
    return probes == 1 ? -kEprobeDefer : 0;
  }));
  core.device_add(a);
  EXPECT_EQ(core.active().size(), 1u);
  core.flush_deferred_probe_work();
  EXPECT_EQ(probes, 2);
  EXPECT_NE(a.driver, nullptr);
}

TEST_F(DriverCoreTest, DriverUnregister_ReleasesBoundDevicesThroughRemove) {
  Device& a = dev("a");
  core.device_add(a);
  Driver& d = drv("a", [](Device&) { return 0; });
  bool removed = false;
  d.remove = [&](Device&) { removed = true; };
  core.driver_register(d);
  core.driver_unregister(d);
  EXPECT_TRUE(removed);
  EXPECT_EQ(a.driver, nullptr);
  EXPECT_TRUE(bus.drivers.empty());
  EXPECT_FALSE(d.registered);
}

TEST_F(DriverCoreTest, DeviceAdd_WithoutRegisteredBusIsAModelBug) {
  NameBus other;
  Device d;
  d.name = "x";
  d.bus = &other;
  EXPECT_THROW(core.device_add(d), std::logic_error);
}

}  // namespace
}  // namespace ffaemu::lnx

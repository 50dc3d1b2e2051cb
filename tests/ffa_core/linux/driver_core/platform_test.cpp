#include "ffa_core/linux/driver_core/platform.h"

#include <gtest/gtest.h>

#include "ffa_core/linux/errno.h"

namespace ffaemu::lnx {
namespace {

struct PlatformTest : ::testing::Test {
  Printk printk;
  DriverCore core{printk};
  PlatformBus bus{printk};
  PlatformDriver drv;
  void SetUp() override {
    core.bus_register(bus);
    drv.name = "arm-ffa";
  }
  bool logged(const std::string& text) const {
    for (const LogLine& l : printk.lines()) {
      if (l.text == text) return true;
    }
    return false;
  }
};

TEST_F(PlatformTest, PlatformDriverProbe_DeferBecomesEnxioAndDriverIsUnregistered) {
  auto pdev = platform_device_register_simple(core, bus, "arm-ffa");
  const int ret =
      platform_driver_probe(core, bus, drv, [](PlatformDevice&) { return -kEprobeDefer; });
  EXPECT_EQ(ret, -kEnodev);
  EXPECT_TRUE(logged("arm-ffa arm-ffa: probe deferral not supported"));
  EXPECT_TRUE(logged("arm-ffa arm-ffa: probe with driver arm-ffa rejects match -6"));
  EXPECT_EQ(drv.last_probe, -kEnxio);
  EXPECT_TRUE(core.pending().empty());
  EXPECT_FALSE(drv.registered);
  EXPECT_TRUE(drv.prevent_deferred_probe);
  EXPECT_TRUE(drv.suppress_bind_attrs);
  EXPECT_EQ(drv.probe_type, ProbeType::ForceSynchronous);
}

TEST_F(PlatformTest, PlatformDriverProbe_BoundStaysAndLaterDevicesHitProbeFail) {
  auto pdev = platform_device_register_simple(core, bus, "arm-ffa");
  int calls = 0;
  EXPECT_EQ(platform_driver_probe(core, bus, drv, [&](PlatformDevice&) { return ++calls, 0; }), 0);
  EXPECT_EQ(pdev->driver, &drv);
  platform_device_unregister(core, *pdev);
  auto again = platform_device_register_simple(core, bus, "arm-ffa");
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(drv.last_probe, -kEnxio);
  EXPECT_EQ(again->driver, nullptr);
}

TEST_F(PlatformTest, PlatformDriverProbe_AsyncDriverIsRejected) {
  drv.probe_type = ProbeType::PreferAsynchronous;
  EXPECT_EQ(platform_driver_probe(core, bus, drv, [](PlatformDevice&) { return 0; }), -kEinval);
  EXPECT_TRUE(logged(
      "arm-ffa: drivers registered with platform_driver_probe can not be probed asynchronously"));
}

TEST_F(PlatformTest, PlatformDriverProbe_RegistrationErrorIsReturned) {
  PlatformDriver first;
  first.name = "arm-ffa";
  platform_driver_register(core, bus, first);
  EXPECT_EQ(platform_driver_probe(core, bus, drv, [](PlatformDevice&) { return 0; }), -kEbusy);
}

TEST_F(PlatformTest, PlatformDriverProbe_NoDeviceIsEnodev) {
  EXPECT_EQ(platform_driver_probe(core, bus, drv, [](PlatformDevice&) { return 0; }), -kEnodev);
  EXPECT_FALSE(drv.registered);
}

TEST_F(PlatformTest, PlatformDriverRegister_DeferGoesOnPendingListAndRetriesLate) {
  bool ready = false;
  drv.pprobe = [&](PlatformDevice&) { return ready ? 0 : -kEprobeDefer; };
  auto pdev = platform_device_register_simple(core, bus, "arm-ffa");
  EXPECT_EQ(platform_driver_register(core, bus, drv), 0);
  ASSERT_EQ(core.pending().size(), 1u);
  EXPECT_EQ(core.pending().front(), pdev.get());
  ready = true;
  core.deferred_probe_initcall();
  EXPECT_EQ(pdev->driver, &drv);
  bool removed = false;
  drv.premove = [&](PlatformDevice&) { removed = true; };
  platform_driver_unregister(core, drv);
  EXPECT_TRUE(removed);
}

TEST_F(PlatformTest, PlatformMatch_IsByName) {
  auto other = platform_device_register_simple(core, bus, "serial");
  drv.pprobe = [](PlatformDevice&) { return 0; };
  platform_driver_register(core, bus, drv);
  EXPECT_EQ(other->driver, nullptr);
}

}  // namespace
}  // namespace ffaemu::lnx

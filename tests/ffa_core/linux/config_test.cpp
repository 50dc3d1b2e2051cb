#include "ffa_core/linux/config.h"

#include <gtest/gtest.h>

namespace ffaemu::lnx {
namespace {

TEST(Config, VariantNames_RoundTrip) {
  for (const char* name : {"module-init", "rootfs-initcall", "rfc-root-device",
                           "platform-driver-probe", "platform-driver"}) {
    auto v = parse_variant(name);
    ASSERT_TRUE(v) << name;
    EXPECT_EQ(variant_name(*v), name);
  }
  EXPECT_FALSE(parse_variant("platform_driver"));
}

TEST(Config, OtherOptions_RoundTripAndRejectUnknown) {
  EXPECT_EQ(link_order_name(*parse_link_order("drivers-first")), "drivers-first");
  EXPECT_EQ(link_order_name(*parse_link_order("arch-first")), "arch-first");
  EXPECT_FALSE(parse_link_order("security-first"));
  EXPECT_EQ(ima_mode_name(*parse_ima_mode("late-sync-retry")), "late-sync-retry");
  EXPECT_EQ(ima_mode_name(*parse_ima_mode("late")), "late");
  EXPECT_FALSE(parse_ima_mode("early"));
  EXPECT_EQ(*parse_page_size("16k"), 16384u);
  EXPECT_EQ(page_size_name(65536), "64k");
  EXPECT_EQ(page_size_name(8192), "?");
  EXPECT_FALSE(parse_page_size("8k"));
  EXPECT_EQ(*parse_conduit("hvc"), emu::ConduitKind::Hvc);
  EXPECT_FALSE(parse_conduit("svc"));
}

TEST(Config, Defaults_MatchArchitectureDefaults) {
  KernelConfig c;
  EXPECT_EQ(c.conduit, emu::ConduitKind::Smc);
  EXPECT_TRUE(c.pkvm);
  EXPECT_EQ(c.driver, FfaVariant::PlatformDriver);
  EXPECT_EQ(c.link_order, LinkOrder::ArchFirst);
  EXPECT_EQ(c.page_size, 4096u);
  EXPECT_EQ(c.ima, ImaMode::Late);
  EXPECT_EQ(c.deferred_probe_timeout, 10);
}

}  // namespace
}  // namespace ffaemu::lnx

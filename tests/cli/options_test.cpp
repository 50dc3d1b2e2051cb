#include "cli/options.h"

#include <gtest/gtest.h>

namespace ffaemu::cli {
namespace {

TEST(SystemOptions, Defaults_FollowTheArchitectureTable) {
  SystemOptions o;
  EXPECT_EQ(o.get("conduit"), "smc");
  EXPECT_EQ(o.get("pkvm"), "on");
  EXPECT_EQ(o.get("driver"), "platform-driver");
  EXPECT_EQ(o.get("link-order"), "arch-first");
  EXPECT_EQ(o.get("smccc-version"), "1.2");
  EXPECT_EQ(o.get("spmc"), "hafnium");
  EXPECT_EQ(o.get("ffa-version"), "1.2");
  EXPECT_EQ(o.get("rxtx-min"), "4k");
  EXPECT_EQ(o.get("page-size"), "4k");
  EXPECT_EQ(o.get("ima"), "late");
  EXPECT_TRUE(o.is_default());
}

TEST(SystemOptions, Set_ValidValue_ChangesTypedViews) {
  SystemOptions o;
  EXPECT_FALSE(o.set("conduit", "hvc"));
  EXPECT_FALSE(o.set("pkvm", "off"));
  EXPECT_FALSE(o.set("page-size", "64k"));
  EXPECT_FALSE(o.set("spmc", "tf-a-el3"));
  EXPECT_FALSE(o.set("smccc-version", "1.1"));
  EXPECT_FALSE(o.set("rxtx-min", "16k"));
  EXPECT_EQ(o.conduit(), emu::ConduitKind::Hvc);
  EXPECT_FALSE(o.pkvm());
  EXPECT_EQ(o.page_size(), 0x10000u);
  fw::FirmwareConfig fw = o.firmware();
  EXPECT_EQ(fw.spmc, fw::SpmcPersona::TfaEl3);
  EXPECT_EQ(fw.smccc, (fw::SmcccVersion{1, 1}));
  EXPECT_EQ(fw.rxtx_min_bytes, 0x4000u);
  EXPECT_FALSE(o.is_default());
}

TEST(SystemOptions, Set_BadValue_NamesTheValidSetAndNearestValueAndKeepsTheOldOne) {
  SystemOptions o;
  auto error = o.set("conduit", "smcc");
  ASSERT_TRUE(error);
  EXPECT_EQ(*error, "bad value 'smcc' for conduit: expected smc or hvc (did you mean 'smc'?)");
  EXPECT_EQ(o.get("conduit"), "smc");
}

TEST(SystemOptions, Set_UnknownName_SuggestsTheClosestOption) {
  SystemOptions o;
  auto error = o.set("page-sise", "4k");
  ASSERT_TRUE(error);
  EXPECT_EQ(*error, "unknown option 'page-sise' (did you mean 'page-size'?)");
}

TEST(Closest, FarWord_HasNoSuggestion) {
  EXPECT_FALSE(closest("zzzzzzzz", {"smc", "hvc"}));
}

}  // namespace
}  // namespace ffaemu::cli

// The guests bundled from guest_images/*.S at build time.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <vector>

#include "guest_images/assembler.h"

namespace ffaemu::guest {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;

std::vector<uint32_t> words(const Image& image) {
  std::vector<uint32_t> out;
  for (size_t i = 0; i + 4 <= image.bytes.size(); i += 4) {
    out.push_back(uint32_t{image.bytes[i]} | uint32_t{image.bytes[i + 1]} << 8 |
                  uint32_t{image.bytes[i + 2]} << 16 | uint32_t{image.bytes[i + 3]} << 24);
  }
  return out;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

constexpr uint32_t kSmc0 = 0xd4000003;
constexpr uint32_t kHvc0 = 0xd4000002;

TEST(Builtins, Names_AreTheFileStemsOfGuestImagesSources) {
  const std::vector<std::string_view> names = builtin_names();
  EXPECT_THAT(names, Contains("smccc_trampoline"));
  EXPECT_THAT(names, Contains("hello_ffa"));
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
}

TEST(Builtins, Source_IsTheFileTextEmbeddedAtBuildTime) {
  for (std::string_view name : builtin_names()) {
    const std::string path =
        std::string(FFAEMU_SOURCE_DIR) + "/guest_images/" + std::string(name) + ".S";
    EXPECT_EQ(builtin_source(name), read_file(path)) << name;
  }
}

TEST(Builtins, EveryBuiltin_Assembles) {
  for (std::string_view name : builtin_names()) {
    EXPECT_NO_THROW(assemble_builtin(name, 0x4000'0000)) << name;
  }
}

TEST(Builtins, Trampoline_HasBothEntryPointsAndOneConduitEach) {
  const Image image = assemble_builtin("smccc_trampoline", 0x4000'0000);
  EXPECT_EQ(image.file, "guest_images/smccc_trampoline.S");
  EXPECT_EQ(image.symbol("arm_smccc_1_2_smc"), 0x4000'0000u);
  const uint64_t hvc_entry = image.symbol("arm_smccc_1_2_hvc");
  EXPECT_EQ(hvc_entry, 0x4000'0000u + image.bytes.size() / 2);

  const std::vector<uint32_t> code = words(image);
  EXPECT_EQ(std::count(code.begin(), code.end(), kSmc0), 1);
  EXPECT_EQ(std::count(code.begin(), code.end(), kHvc0), 1);
  const auto smc_at = std::find(code.begin(), code.end(), kSmc0) - code.begin();
  const auto hvc_at = std::find(code.begin(), code.end(), kHvc0) - code.begin();
  EXPECT_LT(0x4000'0000u + 4 * smc_at, hvc_entry);
  EXPECT_GE(0x4000'0000u + 4 * hvc_at, hvc_entry);
}

TEST(Builtins, HelloFfa_AsksForSmcccVersionThenFfaVersion) {
  const Image image = assemble_builtin("hello_ffa", 0x1000);
  EXPECT_EQ(image.symbol("_start"), 0x1000u);
  const std::vector<uint32_t> code = words(image);
  EXPECT_EQ(std::count(code.begin(), code.end(), kSmc0), 2);
  EXPECT_THAT(code, Contains(0x84000063u));  // FFA_VERSION from the literal pool
  EXPECT_THAT(code, Contains(0x10002u));     // v1.2
}

TEST(Builtins, UnknownName_ThrowsOutOfRangeListingTheBuiltins) {
  try {
    (void)builtin_source("no_such_guest");
    FAIL() << "expected std::out_of_range";
  } catch (const std::out_of_range& e) {
    EXPECT_THAT(e.what(), HasSubstr("'no_such_guest'"));
    EXPECT_THAT(e.what(), HasSubstr("hello_ffa"));
  }
  EXPECT_THROW(assemble_builtin("no_such_guest", 0), std::out_of_range);
}

}  // namespace
}  // namespace ffaemu::guest

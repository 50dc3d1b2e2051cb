#include <gtest/gtest.h>

#include "ffa_core/firmware/config.h"

namespace ffaemu::fw {
namespace {

TEST(Config, Persona_ParsesAndNamesRoundTrip) {
  for (SpmcPersona p : {SpmcPersona::Hafnium, SpmcPersona::TfaEl3}) {
    EXPECT_EQ(parse_persona(persona_name(p)), p);
  }
  EXPECT_EQ(persona_name(SpmcPersona::TfaEl3), "tf-a-el3");
  EXPECT_FALSE(parse_persona("optee"));
}

TEST(Config, SmcccVersion_Accepts1_0To1_5Only) {
  for (const char* v : {"1.0", "1.1", "1.2", "1.3", "1.4", "1.5"}) {
    auto parsed = parse_smccc_version(v);
    ASSERT_TRUE(parsed) << v;
    EXPECT_EQ(smccc_version_name(*parsed), v);
  }
  EXPECT_EQ(parse_smccc_version("1.2")->raw(), 0x10002u);
  for (const char* v : {"1.6", "2.0", "1", "1.", "1.22"})
    EXPECT_FALSE(parse_smccc_version(v)) << v;
}

TEST(Config, FfaVersion_Accepts1_0To1_2) {
  EXPECT_EQ(parse_ffa_version("1.1"), ffa::kV1_1);
  EXPECT_EQ(ffa_version_name(ffa::kV1_2), "1.2");
  EXPECT_FALSE(parse_ffa_version("1.3"));
}

TEST(Config, RxtxMin_ParsesGranules) {
  EXPECT_EQ(parse_rxtx_min("4k"), 4096u);
  EXPECT_EQ(parse_rxtx_min("16k"), 16384u);
  EXPECT_EQ(parse_rxtx_min("64k"), 65536u);
  EXPECT_EQ(rxtx_min_name(16384), "16k");
  EXPECT_FALSE(parse_rxtx_min("8k"));
}

TEST(Config, DefaultPartitions_AreTpmAndEcho) {
  const auto parts = default_partitions();
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].uuid.to_string(), kTpmUuid);
  EXPECT_EQ(parts[0].service, "tpm");
  EXPECT_TRUE(parts[0].properties & props::kDirectReqRecv);
  EXPECT_TRUE(parts[0].properties & props::kAarch64);
  EXPECT_TRUE(parts[0].id.secure());
  EXPECT_EQ(parts[1].service, "echo");
}

}  // namespace
}  // namespace ffaemu::fw

#include "trace/explain.h"

#include <gtest/gtest.h>

#include "ffa_core/abi/catalog.h"

namespace ffaemu::trace {
namespace {

TEST(Explain, Json_HasTheDocumentedFields) {
  nlohmann::json j = explain_json(0x84000063);
  EXPECT_EQ(j["id"], "0x84000063");
  EXPECT_EQ(j["name"], "FFA_VERSION");
  EXPECT_EQ(j["fast"], true);
  EXPECT_EQ(j["smc64"], false);
  EXPECT_EQ(j["owner"], 4);
  EXPECT_EQ(j["owner_name"], "Standard Secure Service");
  EXPECT_EQ(j["number"], 0x63);
  EXPECT_EQ(j["since"], "FF-A v1.0");
  EXPECT_EQ(j["errors"], nlohmann::json::parse(R"(["NOT_SUPPORTED"])"));
}

TEST(Explain, EveryCatalogId_ExplainsWithItsOwnName) {
  for (const ffa::CallInfo& c : ffa::all_calls()) {
    nlohmann::json j = explain_json(c.id);
    EXPECT_EQ(j["name"], std::string(c.name));
    EXPECT_EQ(j["smc64"], emu::FunctionId(c.id).smc64()) << c.name;
    EXPECT_NE(explain_text(c.id).find(std::string(c.name)), std::string::npos);
  }
}

TEST(Explain, RegisterUsage_FollowsTheSmcccVersion) {
  EXPECT_EQ(register_usage(true, 1, 2),
            "arguments x1-x17, results x0-x17; x4-x17 not used for results are preserved; "
            "x18-x30 and SP preserved");
  EXPECT_EQ(register_usage(false, 1, 0),
            "arguments w1-w6 (w7 client ID), results w0-w3; x4-x17 may be clobbered "
            "(unpredictable); x18-x30 and SP preserved; callee ignores the upper 32 bits of "
            "x1-x7");
}

TEST(Explain, ParseFunction_AcceptsNamesAndNumbersOnly) {
  EXPECT_EQ(parse_function("FFA_RXTX_MAP_64"), 0xC4000066u);
  EXPECT_EQ(parse_function("0x84000063"), 0x84000063u);
  EXPECT_EQ(parse_function("2214592611"), 0x84000063u);
  EXPECT_FALSE(parse_function("FFA_NOPE"));
  EXPECT_FALSE(parse_function("0x1ffffffff"));
  EXPECT_FALSE(parse_function("12abc"));
}

TEST(Explain, UnknownId_StillDecodesFields) {
  nlohmann::json j = explain_json(0xC2000001);
  EXPECT_EQ(j["owner_name"], "SiP Service");
  EXPECT_TRUE(j["since"].is_null());
}

}  // namespace
}  // namespace ffaemu::trace

#include "cli/scenario.h"

#include <gtest/gtest.h>

namespace ffaemu::cli {
namespace {

std::string error_of(std::string_view text) {
  try {
    (void)parse_scenario(text, "s.yaml");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

std::string matrix_error_of(std::string_view text) {
  try {
    (void)parse_matrix(text, "m.yaml");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(Scenario, Options_AreTopLevelKeysWithTheCliNames) {
  Scenario s = parse_scenario("name: demo\npkvm: off\ndriver: module-init\nconduit: hvc\n", "s");
  EXPECT_EQ(s.name, "demo");
  EXPECT_EQ(s.system.get("pkvm"), "off");
  EXPECT_EQ(s.system.get("driver"), "module-init");
  EXPECT_EQ(s.system.conduit(), emu::ConduitKind::Hvc);
  EXPECT_EQ(s.system.get("spmc"), "hafnium");
}

TEST(Scenario, Calls_ParseTextAndExpectations) {
  Scenario s = parse_scenario(R"(calls:
  - FFA_VERSION:0x10002
  - call: FFA_RXTX_MAP_64:@tx,@rx,1
    expect: FFA_SUCCESS
  - call: FFA_RXTX_MAP_64:@tx,@rx,1
    expect: {result: DENIED, x1: 0}
)",
                              "s.yaml");
  ASSERT_EQ(s.calls.size(), 3u);
  EXPECT_EQ(s.calls[0].regs, emu::regs(0x84000063, 0x10002));
  EXPECT_FALSE(s.calls[0].expect.result);
  EXPECT_EQ(s.calls[1].expect.result, "FFA_SUCCESS");
  EXPECT_EQ(s.calls[2].expect.result, "DENIED");
  EXPECT_EQ(s.calls[2].expect.regs.at(1), 0u);
  EXPECT_EQ(s.calls[2].pos.line, 5);
  EXPECT_EQ(s.calls[2].pos.column, 5);
}

TEST(Scenario, Expect_ReadsOutcomeFields) {
  Scenario s = parse_scenario(R"(expect:
  ffa_ready: true
  ready_at: late_initcall
  probe_error: null
  partitions: 2
  consumers: {tpm: bound, ima: bypass}
)",
                              "s.yaml");
  EXPECT_EQ(s.expect.at("ffa_ready"), true);
  EXPECT_EQ(s.expect.at("ready_at"), "late_initcall");
  EXPECT_TRUE(s.expect.at("probe_error").is_null());
  EXPECT_EQ(s.expect.at("partitions"), 2);
  EXPECT_EQ(s.expect.at("consumers.tpm"), "bound");
  EXPECT_EQ(s.expect.at("consumers.ima"), "bypass");
}

TEST(Scenario, Partitions_ParseIdUuidPropertiesAndService) {
  Scenario s = parse_scenario(R"(partitions:
  - id: 0x8001
    uuid: 17b862a4-1806-4faf-86b3-089a58353861
    exec-contexts: 4
    properties: [direct-req-recv, aarch64]
    service: tpm
)",
                              "s.yaml");
  ASSERT_TRUE(s.partitions);
  ASSERT_EQ(s.partitions->size(), 1u);
  const fw::PartitionConfig& p = (*s.partitions)[0];
  EXPECT_EQ(p.id, ffa::EndpointId(0x8001));
  EXPECT_EQ(p.uuid.to_string(), "17b862a4-1806-4faf-86b3-089a58353861");
  EXPECT_EQ(p.exec_contexts, 4);
  EXPECT_EQ(p.properties, fw::props::kDirectReqRecv | fw::props::kAarch64);
  EXPECT_EQ(p.service, "tpm");
}

TEST(Scenario, UnknownKey_NamesLineColumnAndClosestKey) {
  EXPECT_EQ(error_of("pkvm: on\ncondiut: smc\n").substr(0, 60),
            "s.yaml:2:1: unknown key 'condiut' in a scenario (did you mea");
  EXPECT_NE(error_of("condiut: smc\n").find("(did you mean 'conduit'?)"), std::string::npos);
}

TEST(Scenario, BadOptionValue_NamesTheValidSet) {
  EXPECT_EQ(error_of("name: x\npkvm: maybe\n"),
            "s.yaml:2:7: bad value 'maybe' for pkvm: expected off or on");
}

TEST(Scenario, WrongType_SaysWhatWasExpected) {
  EXPECT_EQ(error_of("pkvm: [on]\n"), "s.yaml:1:7: pkvm: expected a value, got a list");
  EXPECT_EQ(error_of("calls: FFA_VERSION\n"), "s.yaml:1:8: calls: expected a list of calls");
  EXPECT_EQ(error_of("expect: {ffa_ready: yes}\n"),
            "s.yaml:1:21: ffa_ready: expected true or false, got 'yes'");
}

TEST(Scenario, BadCall_PointsAtTheCallText) {
  EXPECT_EQ(error_of("calls:\n  - call: FFA_VERSON\n"),
            "s.yaml:2:11: 'FFA_VERSON': unknown call name (use a name such as FFA_VERSION or a "
            "function ID such as 0x84000063)");
}

TEST(Scenario, BadExpectedResult_ListsTheAcceptedForms) {
  EXPECT_NE(error_of("calls:\n  - {call: FFA_VERSION, expect: DENIDE}\n")
                .find("s.yaml:2:33: bad "
                      "expected result "
                      "'DENIDE'"),
            std::string::npos);
}

TEST(Scenario, BadLevelAndErrno_AreRejected) {
  EXPECT_NE(error_of("expect: {ready_at: late_initcal}\n").find("did you mean 'late_initcall'"),
            std::string::npos);
  EXPECT_NE(error_of("expect: {probe_error: 19}\n").find("expected a negative errno"),
            std::string::npos);
}

TEST(Scenario, DuplicateKey_IsAnError) {
  EXPECT_EQ(error_of("pkvm: on\npkvm: off\n"), "s.yaml:2:1: duplicate key 'pkvm'");
}

TEST(Scenario, SyntaxError_CarriesTheParserPosition) {
  std::string e = error_of("pkvm: on\n  bad: [\n");
  EXPECT_EQ(e.rfind("s.yaml:", 0), 0u) << e;
}

TEST(Scenario, NotAMapping_IsAnError) {
  EXPECT_EQ(error_of("- a\n- b\n"), "s.yaml:1:1: expected a mapping of keys at the top level");
}

TEST(Scenario, EmptyOrCommentOnlyFile_IsAnErrorAtLineOne) {
  EXPECT_EQ(error_of(""), "s.yaml:1:1: expected a mapping of keys at the top level");
  EXPECT_EQ(error_of("# only a comment\n"),
            "s.yaml:1:1: expected a mapping of keys at the top level");
}

TEST(Scenario, MissingFile_IsAnInputErrorNamingIt) {
  try {
    (void)load_scenario("/nonexistent/x.yaml");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "/nonexistent/x.yaml: cannot read the file");
  }
}

TEST(Matrix, Combinations_AreTheCrossProductInFileOrder) {
  Matrix m = parse_matrix(R"(spmc: tf-a-el3
axes:
  pkvm: [off, on]
  driver: [module-init, platform-driver]
)",
                          "m.yaml");
  std::vector<SystemOptions> all = m.combinations();
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[0].get("pkvm"), "off");
  EXPECT_EQ(all[0].get("driver"), "module-init");
  EXPECT_EQ(all[1].get("driver"), "platform-driver");
  EXPECT_EQ(all[3].get("pkvm"), "on");
  for (const SystemOptions& o : all)
    EXPECT_EQ(o.get("spmc"), "tf-a-el3");
}

TEST(Matrix, Expected_MergesMatchingRulesLaterWins) {
  Matrix m = parse_matrix(R"(axes:
  pkvm: [off, on]
  driver: [platform-driver-probe, platform-driver]
expect:
  - then: {ffa_ready: true}
  - when: {driver: platform-driver-probe, pkvm: on}
    then: {ffa_ready: false, ready_at: null}
)",
                          "m.yaml");
  std::vector<SystemOptions> all = m.combinations();
  EXPECT_EQ(m.expected(all[0]).at("ffa_ready"), true);   // off, probe
  EXPECT_EQ(m.expected(all[2]).at("ffa_ready"), false);  // on, probe
  EXPECT_TRUE(m.expected(all[2]).at("ready_at").is_null());
  EXPECT_EQ(m.expected(all[3]).at("ffa_ready"), true);  // on, platform-driver
}

TEST(Matrix, BadAxisValue_NamesPositionAndValidSet) {
  EXPECT_EQ(matrix_error_of("axes:\n  pkvm: [off, of]\n"),
            "m.yaml:2:15: bad value 'of' for pkvm: expected off or on (did you mean 'off'?)");
}

TEST(Matrix, RuleWithoutThen_IsAnError) {
  EXPECT_EQ(matrix_error_of("expect:\n  - when: {pkvm: on}\n"),
            "m.yaml:2:5: rule: 'then' is required");
}

TEST(Matrix, UnknownWhenKey_SuggestsAnOption) {
  EXPECT_NE(matrix_error_of("expect:\n  - {when: {drivr: x}, then: {ffa_ready: true}}\n")
                .find("did you mean 'driver'?"),
            std::string::npos);
}

}  // namespace
}  // namespace ffaemu::cli

// FFA_VERSION per persona: the lock table of ffa-smccc.md section 2.4 as read in Hafnium
// api_ffa_version (+ the SPMD framework message) and TF-A ffa_version_handler.
#include "../fixture.h"

namespace ffaemu::fw::test {
namespace {

class Version : public BothPersonas {};

TEST_P(Version, Bit31Set_IsNotSupportedZeroExtended_AndNothingRecorded) {
  boot(GetParam());
  const SmcccRegs in = patterned(emu::regs(fid::kVersion, 0x80010002u, 0, 0, 0, 0, 0, 0));
  EXPECT_REGS(call(in), expected(in, 8, emu::regs(0xffffffffu)));
  EXPECT_EQ(fw_->spmd().ns_version(), 0u);
  EXPECT_FALSE(ns().negotiated);
}

TEST_P(Version, CompatibleRequest_ReturnsOwnVersion_AndRecordsRequested) {
  boot(GetParam());
  const SmcccRegs in = patterned(emu::regs(fid::kVersion, 0x10001));
  const SmcccRegs out = call(in);
  // Hafnium's answer comes back through the SPMD's SMC_RET8 (x1-x7 zero); TF-A's EL3 SPMC uses
  // SMC_RET1, so x1-x7 keep the caller's values.
  EXPECT_REGS(out, expected(in, hafnium() ? 8 : 1, emu::regs(0x10002)));
  EXPECT_EQ(ns().version, ffa::kV1_1);
  EXPECT_EQ(fw_->spmd().ns_version(), 0x10001u);
}

TEST_P(Version, IncompatibleMajor_HafniumNotSupported_TfaReturnsOwn) {
  boot(GetParam());
  EXPECT_EQ(version(0x20000).x[0], hafnium() ? 0xffffffffu : 0x10002u);
  if (!hafnium()) {
    EXPECT_FALSE(ns().version.has_value());
  }
}

TEST_P(Version, MinorAboveOwn_HafniumNotSupported_TfaReturnsOwn) {
  FirmwareConfig c;
  c.spmc = GetParam();
  c.ffa_version = ffa::kV1_1;
  boot(c);
  EXPECT_EQ(version(0x10002).x[0], hafnium() ? 0xffffffffu : 0x10001u);
}

TEST_P(Version, SecondRequestSameVersion_ReturnsOwnVersion) {
  boot(GetParam());
  version(0x10001);
  EXPECT_EQ(version(0x10001).x[0], hafnium() ? 0x10002u : 0x10002u);
  EXPECT_EQ(ns().version, ffa::kV1_1);
}

TEST_P(Version, SecondRequestDifferentVersion_HafniumRefuses_TfaAcceptsBeforeLock) {
  boot(GetParam());
  version(0x10001);
  EXPECT_EQ(version(0x10002).x[0], hafnium() ? 0xffffffffu : 0x10002u);
  EXPECT_EQ(ns().version, hafnium() ? ffa::kV1_1 : ffa::kV1_2);
}

TEST_P(Version, AfterOtherCall_DifferentVersion_HafniumNotSupported_TfaReturnsNegotiated) {
  boot(GetParam());
  version(0x10001);
  call(emu::regs(fid::kFeatures, fid::kVersion));
  EXPECT_EQ(version(0x10000).x[0], hafnium() ? 0xffffffffu : 0x10001u);
  EXPECT_EQ(ns().version, ffa::kV1_1);
  EXPECT_TRUE(ns().negotiated);
}

TEST_P(Version, AfterOtherCall_SameVersion_HafniumOwn_TfaNegotiated) {
  boot(GetParam());
  version(0x10001);
  call(emu::regs(fid::kFeatures, fid::kVersion));
  EXPECT_EQ(version(0x10001).x[0], hafnium() ? 0x10002u : 0x10001u);
}

TEST_P(Version, CallBeforeVersion_HafniumAllowed_TfaNotSupportedAndLocked) {
  boot(GetParam());
  const SmcccRegs in = emu::regs(fid::kFeatures, fid::kVersion);
  const SmcccRegs out = call(in);
  if (hafnium()) {
    EXPECT_REGS(out, expected(in, 8, emu::regs(fid::kSuccess)));
    EXPECT_EQ(ns().version, ffa::kV1_2);
  } else {
    EXPECT_FFA_ERROR(out, in, FfaError::NotSupported);
    EXPECT_EQ(version(0x10002).x[0], 0xffffffffu);
  }
  EXPECT_TRUE(ns().negotiated);
}

TEST_P(Version, V1_0Spmc_AnswersV1_0ToV1_0Caller) {
  FirmwareConfig c;
  c.spmc = GetParam();
  c.ffa_version = ffa::kV1_0;
  boot(c);
  EXPECT_EQ(version(0x10000).x[0], 0x10000u);
}

TEST_F(FirmwareTest, Version_HafniumV1_0Spmc_SpmdAnswersWithoutAskingSpmc) {
  FirmwareConfig c;
  c.ffa_version = ffa::kV1_0;
  boot(c);
  EXPECT_EQ(version(0x10002).x[0], 0x10000u);
  EXPECT_FALSE(ns().negotiated);
  EXPECT_EQ(fw_->spmd().spmc_nwd_version(), 0x10000u);
}

TEST_F(FirmwareTest, Version_HafniumIncompatibleFirstRequest_LocksAtCompiledVersion) {
  boot();
  EXPECT_EQ(version(0x10003).x[0], 0xffffffffu);
  EXPECT_TRUE(ns().negotiated);
  EXPECT_EQ(version(0x10001).x[0], 0xffffffffu);
  EXPECT_EQ(version(0x10002).x[0], 0x10002u);
}

INSTANTIATE_BOTH_PERSONAS(Version);

}  // namespace
}  // namespace ffaemu::fw::test

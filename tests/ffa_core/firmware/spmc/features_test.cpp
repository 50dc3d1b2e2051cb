#include "../fixture.h"

namespace ffaemu::fw::test {
namespace {

class Features : public BothPersonas {
 protected:
  SmcccRegs features(uint32_t id, uint32_t props = 0) {
    return call(patterned(emu::regs(fid::kFeatures, id, props)));
  }
};

TEST_P(Features, ImplementedCall_IsSuccessWithZeroProperties) {
  boot_negotiated();
  const SmcccRegs in = patterned(emu::regs(fid::kFeatures, fid::kPartitionInfoGet));
  EXPECT_REGS(call(in), expected(in, hafnium() ? 8 : 1, emu::regs(fid::kSuccess)));
}

TEST_P(Features, CallsAnsweredBySpmd_AreListed) {
  boot_negotiated();
  for (uint32_t id : {fid::kVersion, fid::kIdGet, fid::kSpmIdGet, fid::kError}) {
    EXPECT_EQ(features(id).w(0), fid::kSuccess) << fmt::format("{:#x}", id);
  }
}

TEST_P(Features, UnimplementedCall_IsNotSupported) {
  boot_negotiated();
  for (uint32_t id : {fid::kMemOpPause, fid::kMsgPoll, 0x84000091u, 0x80000000u}) {
    const SmcccRegs in = patterned(emu::regs(fid::kFeatures, id));
    EXPECT_FFA_ERROR(call(in), in, FfaError::NotSupported) << fmt::format("{:#x}", id);
  }
}

TEST_P(Features, DirectResponse_IsNotListedToNormalWorld) {
  boot_negotiated();
  EXPECT_TRUE(ffa::is_error(features(fid::kMsgSendDirectResp), FfaError::NotSupported));
}

TEST_P(Features, RxTxMap32_HafniumOnlyHas64BitForm) {
  boot_negotiated();
  EXPECT_EQ(features(fid::kRxTxMap).w(0), hafnium() ? fid::kError : fid::kSuccess);
  EXPECT_EQ(features(fid::kRxTxMap64).w(0), fid::kSuccess);
}

TEST_P(Features, PartitionInfoGetRegs_OnlyHafnium) {
  boot_negotiated();
  EXPECT_EQ(features(fid::kPartitionInfoGetRegs).w(0), hafnium() ? fid::kSuccess : fid::kError);
}

TEST_P(Features, V1_1Call_OnV1_0Spmc_IsNotSupported) {
  FirmwareConfig c;
  c.spmc = GetParam();
  c.ffa_version = ffa::kV1_0;
  boot(c);
  version(0x10000);
  EXPECT_TRUE(ffa::is_error(features(fid::kSpmIdGet), FfaError::NotSupported));
  EXPECT_TRUE(ffa::is_error(features(fid::kMsgSendDirectReq2), FfaError::NotSupported));
}

TEST_P(Features, FeatureIdNpiAndMei_AreNotSupportedToNormalWorld) {
  boot_negotiated();
  for (uint32_t feature : {1u, 3u, 4u}) {
    const SmcccRegs in = patterned(emu::regs(fid::kFeatures, feature));
    EXPECT_FFA_ERROR(call(in), in, FfaError::NotSupported);
  }
}

TEST_P(Features, FeatureIdSri_HafniumReturnsInterrupt8_TfaNotSupported) {
  boot_negotiated();
  const SmcccRegs in = patterned(emu::regs(fid::kFeatures, 2));
  if (hafnium()) {
    EXPECT_REGS(call(in), expected(in, 8, emu::regs(fid::kSuccess, 0, 8)));
  } else {
    EXPECT_FFA_ERROR(call(in), in, FfaError::NotSupported);
  }
}

TEST_P(Features, FeatureIdWithInputProperties_IsNotSupported) {
  boot_negotiated();
  EXPECT_TRUE(ffa::is_error(features(2, 1), FfaError::NotSupported));
  EXPECT_TRUE(ffa::is_error(features(0x102), FfaError::NotSupported));
}

TEST_P(Features, FunctionWithInputProperties_TfaRefuses_HafniumIgnores) {
  boot_negotiated();
  EXPECT_EQ(features(fid::kIdGet, 1).w(0), hafnium() ? fid::kSuccess : fid::kError);
}

TEST_P(Features, RxTxMap64_ReportsMinimumSizePerRxtxMin) {
  for (auto [bytes, code] : {std::pair{4096u, 0u}, {16384u, 2u}, {65536u, 1u}}) {
    FirmwareConfig c;
    c.spmc = GetParam();
    c.rxtx_min_bytes = bytes;
    boot(c);
    version(0x10001);
    const SmcccRegs out = features(fid::kRxTxMap64);
    EXPECT_EQ(out.w(0), fid::kSuccess);
    EXPECT_EQ(out.x[2], code) << bytes;
  }
}

TEST_F(FirmwareTest, Features_HafniumRxTxMapMaxField_OnlyForV1_2Callers) {
  FirmwareConfig c;
  c.rxtx_min_bytes = 16384;
  boot(c);
  version(0x10002);
  EXPECT_EQ(call(emu::regs(fid::kFeatures, fid::kRxTxMap64)).x[2], (4u << 16) | 2u);
  boot(c);
  version(0x10001);
  EXPECT_EQ(call(emu::regs(fid::kFeatures, fid::kRxTxMap64)).x[2], 2u);
}

TEST_F(FirmwareTest, Features_TfaRxTxMap_ReportsMinimumWithSmcRet3) {
  FirmwareConfig c;
  c.spmc = SpmcPersona::TfaEl3;
  c.rxtx_min_bytes = 65536;
  boot(c);
  version(0x10002);
  const SmcccRegs in = patterned(emu::regs(fid::kFeatures, fid::kRxTxMap64, 0, 0x33, 0x44));
  EXPECT_REGS(call(in), expected(in, 3, emu::regs(fid::kSuccess, 0, 1)));
}

TEST_F(FirmwareTest, Features_NotificationCalls_HafniumOnly) {
  boot(SpmcPersona::TfaEl3);
  version(0x10002);
  EXPECT_EQ(call(emu::regs(fid::kFeatures, fid::kNotificationBitmapCreate)).w(0), fid::kError);
  boot(SpmcPersona::Hafnium);
  EXPECT_EQ(call(emu::regs(fid::kFeatures, fid::kNotificationBitmapCreate)).w(0), fid::kSuccess);
}

INSTANTIATE_BOTH_PERSONAS(Features);

}  // namespace
}  // namespace ffaemu::fw::test

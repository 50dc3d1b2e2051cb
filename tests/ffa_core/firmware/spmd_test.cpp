#include "fixture.h"

namespace ffaemu::fw::test {
namespace {

class Spmd : public BothPersonas {};

TEST_P(Spmd, IdGet_ReturnsZero_ZeroesW1AndW3ToW7_PreservesX8ToX17) {
  boot_negotiated();
  const SmcccRegs in = patterned(emu::regs(fid::kIdGet, 1, 2, 3, 4, 5, 6, 7));
  EXPECT_REGS(call(in), expected(in, 8, emu::regs(fid::kSuccess, 0, 0)));
}

TEST_P(Spmd, SpmIdGet_ReturnsSpmcId) {
  boot_negotiated();
  const SmcccRegs in = patterned(emu::regs(fid::kSpmIdGet));
  EXPECT_REGS(call(in), expected(in, 8, emu::regs(fid::kSuccess, 0, 0x8000)));
}

TEST_P(Spmd, SpmIdGet_OnV1_0Firmware_IsNotSupported) {
  FirmwareConfig c;
  c.spmc = GetParam();
  c.ffa_version = ffa::kV1_0;
  boot(c);
  const SmcccRegs in = emu::regs(fid::kSpmIdGet);
  EXPECT_FFA_ERROR(call(in), in, FfaError::NotSupported);
}

TEST_P(Spmd, DirectReq_NormalWorldUsingSecureSourceId_IsInvalidParameters) {
  boot_negotiated();
  const SmcccRegs in = emu::regs(fid::kMsgSendDirectReq, (0x8002u << 16) | 0x8001u, 0, 0, 1);
  EXPECT_FFA_ERROR(call(in), in, FfaError::InvalidParameters);
}

TEST_P(Spmd, DirectReq_ToSpmdLogicalPartition_IsInvalidParameters) {
  boot_negotiated();
  const SmcccRegs in = emu::regs(fid::kMsgSendDirectReq64, 0xffc0u);
  EXPECT_FFA_ERROR(call(in), in, FfaError::InvalidParameters);
}

TEST_P(Spmd, SecureOnlyCalls_FromNormalWorld_AreNotSupported) {
  boot_negotiated();
  for (uint32_t id : {fid::kMsgWait, fid::kInterrupt, fid::kYield, fid::kConsoleLog,
                      fid::kConsoleLog64, fid::kEl3IntrHandle, fid::kSecondaryEpRegister64}) {
    const SmcccRegs in = patterned(emu::regs(id, 1, 2));
    EXPECT_FFA_ERROR(call(in), in, FfaError::NotSupported) << fmt::format("{:#x}", id);
  }
}

TEST_P(Spmd, NormalWorldResume_FromNormalWorld_IsDenied) {
  boot_negotiated();
  const SmcccRegs in = emu::regs(fid::kNormalWorldResume);
  EXPECT_FFA_ERROR(call(in), in, FfaError::Denied);
}

TEST_P(Spmd, PartitionInfoGetRegs_OnSmccc1_1_IsNotSupported) {
  FirmwareConfig c;
  c.spmc = GetParam();
  c.smccc = {1, 1};
  boot(c);
  version(0x10002);
  const SmcccRegs in = emu::regs(fid::kPartitionInfoGetRegs);
  EXPECT_FFA_ERROR(call(in), in, FfaError::NotSupported);
}

TEST_P(Spmd, DirectReq2_BeforeAnyVersionNegotiation_IsNotSupported) {
  boot(GetParam());
  const SmcccRegs in = emu::regs(fid::kMsgSendDirectReq2, 0x8001u);
  EXPECT_FFA_ERROR(call(in), in, FfaError::NotSupported);
}

TEST_P(Spmd, DirectResp2_FromV1_1Caller_IsNotSupported) {
  boot_negotiated(ffa::kV1_1);
  const SmcccRegs in = emu::regs(fid::kMsgSendDirectResp2, 0x8001u);
  EXPECT_FFA_ERROR(call(in), in, FfaError::NotSupported);
}

TEST_P(Spmd, AnyCallOtherThanVersion_ClosesSpmdNegotiation) {
  boot(GetParam());
  version(0x10001);
  EXPECT_FALSE(fw_->spmd().ns_version_negotiated());
  call(emu::regs(fid::kIdGet));
  EXPECT_TRUE(fw_->spmd().ns_version_negotiated());
  version(0x10002);
  EXPECT_EQ(fw_->spmd().ns_version(), 0x10001u);
}

INSTANTIATE_BOTH_PERSONAS(Spmd);

}  // namespace
}  // namespace ffaemu::fw::test

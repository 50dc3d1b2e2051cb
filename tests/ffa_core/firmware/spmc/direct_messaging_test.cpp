#include "../fixture.h"
#include "ffa_core/firmware/spmc/services/tpm.h"

namespace ffaemu::fw::test {
namespace {

constexpr uint32_t kTpmId = 0x8001;
constexpr uint32_t kEchoId = 0x8002;
const ffa::Uuid kTpm = *ffa::Uuid::parse(kTpmUuid);

class DirectMessaging : public BothPersonas {
 protected:
  const TpmService& tpm() const {
    return dynamic_cast<const TpmService&>(*spmc().partitions()[0].service);
  }
};

TEST_P(DirectMessaging, Tpm32_GetInterfaceVersion_AnswersOkResultsReturnedAndVersion1_0) {
  boot_negotiated();
  // SMC32: garbage in the upper halves must not reach the partition.
  const SmcccRegs in = patterned(emu::regs(fid::kMsgSendDirectReq, 0xffff000000000000ull | kTpmId,
                                           0xabcd000000000000ull, 0x1111000000000000ull,
                                           0x2222000000000000ull | crb::kGetInterfaceVersion));
  EXPECT_REGS(call(in), expected(in, 8,
                                 emu::regs(fid::kMsgSendDirectResp, kTpmId << 16, 0, 0,
                                           crb::kOkResultsReturned, crb::kInterfaceVersion)));
}

TEST_P(DirectMessaging, Tpm64_Start_AnswersOkAndCountsTheRequest) {
  boot_negotiated();
  const SmcccRegs in =
      patterned(emu::regs(fid::kMsgSendDirectReq64, kTpmId, 0, 0, crb::kStart, 0, 2));
  SmcccRegs want = emu::regs(fid::kMsgSendDirectResp64, kTpmId << 16, 0, 0, crb::kOk);
  // A v1.2 caller gets x8-x17 from the partition, which leaves them zero.
  EXPECT_REGS(call(in), want);
  EXPECT_EQ(tpm().starts()[2][0], 1u);
}

TEST_P(DirectMessaging, Tpm_StartWithBadLocality_AnswersInvArg) {
  boot_negotiated();
  const SmcccRegs out = call(emu::regs(fid::kMsgSendDirectReq, kTpmId, 0, 0, crb::kStart, 1, 5));
  EXPECT_EQ(out.x[4], crb::kInvArg);
  EXPECT_EQ(tpm().starts()[4][1], 0u);
}

TEST_P(DirectMessaging, Tpm_UnknownFunction_AnswersNoFunc) {
  boot_negotiated();
  EXPECT_EQ(call(emu::regs(fid::kMsgSendDirectReq, kTpmId, 0, 0, 0x0f000999)).x[4], crb::kNoFunc);
  EXPECT_EQ(call(emu::regs(fid::kMsgSendDirectReq, kTpmId, 0, 0, crb::kGetFeatureInfo)).x[4],
            crb::kNotSup);
}

TEST_P(DirectMessaging, Echo64_ToV1_1Caller_KeepsCallersX8ToX17) {
  boot_negotiated(ffa::kV1_1);
  const SmcccRegs in =
      patterned(emu::regs(fid::kMsgSendDirectReq64, kEchoId, 0, 0x1111111111111111ull, 2, 3, 4, 5));
  EXPECT_REGS(call(in), expected(in, 8,
                                 emu::regs(fid::kMsgSendDirectResp64, kEchoId << 16, 0,
                                           0x1111111111111111ull, 2, 3, 4, 5)));
}

TEST_P(DirectMessaging, Req2_ByUuid_TpmAnswersInX4AndX5) {
  FirmwareConfig c;
  c.spmc = GetParam();
  c.partitions[0].properties |= props::kDirectReq2Recv;
  boot(c);
  version(0x10002);
  const SmcccRegs in = patterned(
      emu::regs(fid::kMsgSendDirectReq2, kTpmId, kTpm.lo(), kTpm.hi(), crb::kGetInterfaceVersion));
  EXPECT_REGS(call(in), emu::regs(fid::kMsgSendDirectResp2, kTpmId << 16, 0, 0,
                                  crb::kOkResultsReturned, crb::kInterfaceVersion));
}

TEST_P(DirectMessaging, Req2_Echo_ReturnsX4ToX17) {
  boot_negotiated();
  SmcccRegs in = emu::regs(fid::kMsgSendDirectReq2, kEchoId);
  for (int i = 4; i < 18; ++i)
    in.x[i] = 0x100 + i;
  SmcccRegs want = in;
  want.x[0] = fid::kMsgSendDirectResp2;
  want.x[1] = kEchoId << 16;
  EXPECT_REGS(call(in), want);
}

TEST_P(DirectMessaging, Req2_UnknownUuid_HafniumInvalidParameters_TfaDelivers) {
  boot_negotiated();
  const SmcccRegs in = patterned(emu::regs(fid::kMsgSendDirectReq2, kEchoId, kTpm.lo(), kTpm.hi()));
  if (hafnium()) {
    EXPECT_FFA_ERROR(call(in), in, FfaError::InvalidParameters);
  } else {
    EXPECT_EQ(call(in).w(0), fid::kMsgSendDirectResp2);
  }
}

TEST_P(DirectMessaging, Req2_ToDefaultTpm_IsDeniedSinceItTakesOnlyDirectReq) {
  boot_negotiated();
  const SmcccRegs in =
      patterned(emu::regs(fid::kMsgSendDirectReq2, kTpmId, kTpm.lo(), kTpm.hi(), 0x0f000001));
  EXPECT_FFA_ERROR(call(in), in, FfaError::Denied);
}

TEST_P(DirectMessaging, Req2_ToPartitionWithoutReq2Receive_IsDenied) {
  FirmwareConfig c;
  c.spmc = GetParam();
  c.partitions[1].properties &= ~props::kDirectReq2Recv;
  boot(c);
  version(0x10002);
  const SmcccRegs in = patterned(emu::regs(fid::kMsgSendDirectReq2, kEchoId));
  EXPECT_FFA_ERROR(call(in), in, FfaError::Denied);
}

TEST_P(DirectMessaging, Req_ToPartitionWithoutDirectReceive_IsDenied) {
  FirmwareConfig c;
  c.spmc = GetParam();
  c.partitions[1].properties &= ~props::kDirectReqRecv;
  boot(c);
  version(0x10002);
  const SmcccRegs in = patterned(emu::regs(fid::kMsgSendDirectReq, kEchoId));
  EXPECT_FFA_ERROR(call(in), in, FfaError::Denied);
}

TEST_P(DirectMessaging, Req_ToUnknownPartition_IsInvalidParameters) {
  boot_negotiated();
  for (uint32_t dst : {0x8003u, 0x0001u}) {
    const SmcccRegs in = patterned(emu::regs(fid::kMsgSendDirectReq, dst));
    EXPECT_FFA_ERROR(call(in), in, FfaError::InvalidParameters);
  }
}

TEST_P(DirectMessaging, Req_SourceAndDestinationSame_IsInvalidParameters) {
  boot_negotiated();
  const SmcccRegs in = emu::regs(fid::kMsgSendDirectReq64, 0);
  EXPECT_FFA_ERROR(call(in), in, FfaError::InvalidParameters);
}

TEST_P(DirectMessaging, Req_WithNonZeroW2_IsInvalidParameters) {
  boot_negotiated();
  const SmcccRegs in = emu::regs(fid::kMsgSendDirectReq, kTpmId, 0x80000008u);
  EXPECT_FFA_ERROR(call(in), in, FfaError::InvalidParameters);
}

TEST_P(DirectMessaging, Req_OtherNsSourceId_HafniumInvalidParameters_TfaAccepts) {
  boot_negotiated();
  const SmcccRegs in = emu::regs(fid::kMsgSendDirectReq, (1u << 16) | kEchoId);
  if (hafnium()) {
    EXPECT_FFA_ERROR(call(in), in, FfaError::InvalidParameters);
  } else {
    EXPECT_EQ(call(in).x[1], (kEchoId << 16) | 1);
  }
}

TEST_P(DirectMessaging, Req2_FromV1_1Caller_IsNotSupported) {
  boot_negotiated(ffa::kV1_1);
  const SmcccRegs in = emu::regs(fid::kMsgSendDirectReq2, kEchoId);
  EXPECT_FFA_ERROR(call(in), in, FfaError::NotSupported);
}

TEST_P(DirectMessaging, RespFromNormalWorld_HafniumDenied_TfaInvalidParameters) {
  boot_negotiated();
  for (uint32_t id :
       {fid::kMsgSendDirectResp, fid::kMsgSendDirectResp64, fid::kMsgSendDirectResp2}) {
    const SmcccRegs in = patterned(emu::regs(id, kTpmId << 16));
    EXPECT_FFA_ERROR(call(in), in, hafnium() ? FfaError::Denied : FfaError::InvalidParameters);
  }
}

TEST_P(DirectMessaging, Run_IdlePartition_GivesCpuBackWithMsgWait) {
  boot_negotiated();
  const SmcccRegs in = patterned(emu::regs(fid::kRun, kEchoId << 16));
  EXPECT_REGS(call(in), expected(in, 8, emu::regs(fid::kMsgWait)));
}

TEST_P(DirectMessaging, Run_NormalWorldOrUnknownTarget_IsInvalidParameters) {
  boot_negotiated();
  for (uint32_t target : {0u, 0x8009u}) {
    const SmcccRegs in = emu::regs(fid::kRun, target << 16);
    EXPECT_FFA_ERROR(call(in), in, FfaError::InvalidParameters);
  }
}

TEST_P(DirectMessaging, Run_VcpuIndex_HafniumByContextCount_TfaCoreZeroOnly) {
  boot_negotiated();
  const SmcccRegs in = emu::regs(fid::kRun, (kEchoId << 16) | 3);
  if (hafnium()) {
    EXPECT_EQ(call(in).w(0), fid::kMsgWait);
  } else {
    EXPECT_FFA_ERROR(call(in), in, FfaError::InvalidParameters);
  }
  const SmcccRegs beyond = emu::regs(fid::kRun, (kEchoId << 16) | 8);
  EXPECT_FFA_ERROR(call(beyond), beyond, FfaError::InvalidParameters);
}

INSTANTIATE_BOTH_PERSONAS(DirectMessaging);

TEST_F(FirmwareTest, DirectReq64_OnSmccc1_1_KeepsX8ToX17EvenForV1_2Caller) {
  FirmwareConfig c;
  c.smccc = {1, 1};
  boot(c);
  version(0x10002);
  const SmcccRegs in = patterned(emu::regs(fid::kMsgSendDirectReq64, kEchoId, 0, 9));
  EXPECT_REGS(call(in), expected(in, 8, emu::regs(fid::kMsgSendDirectResp64, kEchoId << 16, 0, 9)));
}

}  // namespace
}  // namespace ffaemu::fw::test

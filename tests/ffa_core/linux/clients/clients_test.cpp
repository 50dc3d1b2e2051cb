// tpm_crb_ffa's probe and START, and IMA's boot aggregate, against the scripted TPM service.
#include <gtest/gtest.h>

#include "ffa_core/linux/errno.h"
#include "ffa_core/linux/support/boot_harness.h"

namespace ffaemu::lnx::test {
namespace {

namespace fid = ffa::fid;

TEST(TpmCrbFfa, StatusCodes_MapLikeTheDriver) {
  EXPECT_EQ(tpm_crb_ffa_to_linux_errno(crb_ffa::kOk), 0);
  EXPECT_EQ(tpm_crb_ffa_to_linux_errno(crb_ffa::kOkResultsReturned), 0);
  EXPECT_EQ(tpm_crb_ffa_to_linux_errno(crb_ffa::kNoFunc), -kEnoent);
  EXPECT_EQ(tpm_crb_ffa_to_linux_errno(crb_ffa::kNotSup), -kEperm);
  EXPECT_EQ(tpm_crb_ffa_to_linux_errno(crb_ffa::kInvArg), -kEinval);
  EXPECT_EQ(tpm_crb_ffa_to_linux_errno(crb_ffa::kInvCrbCtrlData), -kEnoexec);
  EXPECT_EQ(tpm_crb_ffa_to_linux_errno(crb_ffa::kAlready), -kEexist);
  EXPECT_EQ(tpm_crb_ffa_to_linux_errno(crb_ffa::kDenied), -kEacces);
  EXPECT_EQ(tpm_crb_ffa_to_linux_errno(crb_ffa::kNoMem), -kEnomem);
  EXPECT_EQ(tpm_crb_ffa_to_linux_errno(0x1234), -kEinval);
}

TEST(TpmCrbFfa, Probe_Req2CarriesFunctionInX4AndUuidInX2X3) {
  Boot b(FfaVariant::ModuleInit, false);
  b.run();
  const FakeCall* req = nullptr;
  for (const FakeCall& c : b.fw.calls) {
    if (c.in.x[0] == fid::kMsgSendDirectReq2 && !req) req = &c;
  }
  ASSERT_NE(req, nullptr);
  EXPECT_EQ(req->in.x[1], 0x8001u);  // PACK_TARGET_INFO(0, 0x8001)
  EXPECT_EQ(req->in.x[2], tpm_uuid().lo());
  EXPECT_EQ(req->in.x[3], tpm_uuid().hi());
  EXPECT_EQ(req->in.x[4], crb_ffa::kGetInterfaceVersion);
}

TEST(TpmCrbFfa, Probe_ReqWhenNoReq2ReceiveAndYieldRunsThePartition) {
  Boot b(FfaVariant::ModuleInit, false);
  b.fw.partitions[0].properties = kEchoProps;
  b.fw.direct_yields = 1;
  EXPECT_EQ(b.run().tpm, TpmState::Bound);
  EXPECT_EQ(b.fw.calls[b.fw.calls.size() - 12].in.x[0], fid::kRun);
  const auto ids = b.ffa_ids();
  EXPECT_EQ(std::count(ids.begin(), ids.end(), fid::kMsgSendDirectReq64), 12);
}

TEST(TpmCrbFfa, Probe_NoDirectReceiveIsEinval) {
  Boot b(FfaVariant::ModuleInit, false);
  b.fw.partitions[0].properties = 1u << 8;
  const BootResult& r = b.run();
  EXPECT_EQ(r.tpm, TpmState::Failed);
  EXPECT_TRUE(b.logged("ffa-crb arm-ffa-1: partition doesn't support direct message receive."));
  EXPECT_TRUE(b.logged("ffa-crb arm-ffa-1: probe with driver ffa-crb failed with error -22"));
  EXPECT_EQ(r.ima, ImaState::Bypass);
}

TEST(TpmCrbFfa, Probe_ServiceErrorAndIncompatibleVersionFail) {
  Boot err(FfaVariant::ModuleInit, false);
  err.fw.tpm_status = crb_ffa::kNoFunc;
  EXPECT_EQ(err.run().tpm, TpmState::Failed);
  EXPECT_TRUE(err.logged("ffa-crb arm-ffa-1: failed to get crb interface version. rc:-2"));
  Boot ver(FfaVariant::ModuleInit, false);
  ver.fw.tpm_version = 0x20000;
  EXPECT_EQ(ver.run().tpm, TpmState::Failed);
  EXPECT_TRUE(ver.logged("ffa-crb arm-ffa-1: ABI version 2.0"));
  EXPECT_TRUE(ver.logged("ffa-crb arm-ffa-1: Incompatible ABI version"));
}

TEST(TpmCrbFfa, SecondTpmPartition_IsEexist) {
  Boot b(FfaVariant::ModuleInit, false);
  b.fw.partitions.push_back({0x8003, 1, kTpmProps, tpm_uuid()});
  EXPECT_EQ(b.run().tpm, TpmState::Bound);
  EXPECT_TRUE(b.logged("ffa-crb arm-ffa-3: probe with driver ffa-crb failed with error -17"));
}

TEST(TpmCrbFfa, Busy_RetriesUntilTheServiceAnswers) {
  Boot b(FfaVariant::ModuleInit, false);
  int busy = 3;
  b.fw.hook = [&busy](const emu::SmcccRegs& in) -> std::optional<emu::SmcccRegs> {
    if (in.x[0] == fid::kMsgSendDirectReq2 && busy > 0) {
      --busy;
      return emu::regs(fid::kError, 0, -4);
    }
    return std::nullopt;
  };
  EXPECT_EQ(b.run().tpm, TpmState::Bound);
  EXPECT_EQ(busy, 0);
}

TEST(TpmCrbFfa, Busy_ForeverTimesOut) {
  Boot b(FfaVariant::ModuleInit, false);
  b.fw.hook = [](const emu::SmcccRegs& in) -> std::optional<emu::SmcccRegs> {
    if (in.x[0] == fid::kMsgSendDirectReq2) return emu::regs(fid::kError, 0, -4);
    return std::nullopt;
  };
  EXPECT_EQ(b.run().tpm, TpmState::Failed);
  EXPECT_TRUE(b.logged("ffa-crb arm-ffa-1: Busy retry timed out"));
  EXPECT_TRUE(b.logged("ffa-crb arm-ffa-1: failed to get crb interface version. rc:-16"));
}

TEST(Ima, TpmStartFailures_LoggedAndImaFailed) {
  Boot b(FfaVariant::ModuleInit, false);
  b.fw.tpm_start_status = crb_ffa::kDenied;
  const BootResult& r = b.run();
  EXPECT_EQ(r.tpm, TpmState::Bound);
  EXPECT_EQ(r.ima, ImaState::Failed);
  EXPECT_TRUE(b.logged("ima: Error Communicating to TPM chip"));
  EXPECT_TRUE(b.logged("ima: Error Communicating to TPM chip, result: -13"));
  EXPECT_EQ(b.initcall_ret("init_ima"), 0);
  EXPECT_EQ(b.kernel->ima().tpm_commands(), 11);
}

TEST(Ima, LateSyncRetry_StillNoTpmFallsBackToBypass) {
  Boot b(FfaVariant::PlatformDriverProbe, true);
  b.config.ima = ImaMode::LateSyncRetry;
  const BootResult& r = b.run();
  EXPECT_EQ(r.ima, ImaState::Bypass);
  EXPECT_EQ(b.initcall_ret("init_ima"), -kEprobeDefer);
  EXPECT_TRUE(b.logged("ima: No TPM chip found, activating TPM-bypass!"));
}

TEST(Ima, LateSyncRetry_TpmAtLateMeansNoRetry) {
  Boot b(FfaVariant::ModuleInit, false);
  b.config.ima = ImaMode::LateSyncRetry;
  EXPECT_EQ(b.run().ima, ImaState::Tpm);
  EXPECT_EQ(b.kernel->ima().tpm_commands(), 11);
}

TEST(Ima, NoTpmPartition_TpmMissingAndNoTpmCommands) {
  Boot none(FfaVariant::ModuleInit, false);
  none.fw.partitions = {{0x8002, 8, kEchoProps, echo_uuid()}};
  EXPECT_EQ(none.run().tpm, TpmState::Missing);
  EXPECT_EQ(none.kernel->ima().tpm_commands(), 0);
}

}  // namespace
}  // namespace ffaemu::lnx::test

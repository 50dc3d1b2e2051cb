#include "fixture.h"

namespace ffaemu::fw::test {
namespace {

class El3Routing : public FirmwareTest {};

FirmwareConfig with_smccc(uint16_t minor) {
  FirmwareConfig c;
  c.smccc = {1, minor};
  return c;
}

TEST_F(El3Routing, SmcccVersion_AnswersConfiguredVersion_PreservesX1ToX17) {
  boot(with_smccc(2));
  const SmcccRegs in = patterned(emu::regs(fid::kSmcccVersion, 0x11, 0x22, 0x33, 0x44));
  EXPECT_REGS(call(in), expected(in, 1, emu::regs(0x10002)));
}

TEST_F(El3Routing, SmcccVersion_Configured1_5_Answers0x10005) {
  boot(with_smccc(5));
  EXPECT_EQ(call(emu::regs(fid::kSmcccVersion)).x[0], 0x10005u);
}

TEST_F(El3Routing, SmcccVersion_OnSmccc1_0Firmware_IsUnknown) {
  boot(with_smccc(0));
  const SmcccRegs in = patterned(emu::regs(fid::kSmcccVersion));
  EXPECT_REGS(call(in), expected(in, 1, emu::regs(emu::kSmcUnknown)));
}

TEST_F(El3Routing, ArchFeatures_ForSmcccVersionAndItself_IsZero) {
  boot();
  EXPECT_EQ(call(emu::regs(fid::kSmcccArchFeatures, fid::kSmcccVersion)).x[0], 0u);
  EXPECT_EQ(call(emu::regs(fid::kSmcccArchFeatures, fid::kSmcccArchFeatures)).x[0], 0u);
}

TEST_F(El3Routing, ArchFeatures_ForUnimplementedCall_IsMinusOneSignExtended) {
  boot();
  const SmcccRegs in = emu::regs(fid::kSmcccArchFeatures, 0x80008000u, 7);
  EXPECT_REGS(call(in), expected(in, 1, emu::regs(~uint64_t{0})));
}

TEST_F(El3Routing, ArchFeatures_OnSmccc1_0Firmware_IsUnknown) {
  boot(with_smccc(0));
  EXPECT_EQ(call(emu::regs(fid::kSmcccArchFeatures, fid::kSmcccVersion)).x[0], emu::kSmcUnknown);
}

TEST_F(El3Routing, UnknownArchCall_IsUnknown) {
  boot();
  EXPECT_EQ(call(emu::regs(fid::kSmcccArchSocId, 0)).x[0], emu::kSmcUnknown);
}

TEST_F(El3Routing, PsciVersion_Answers1_1) {
  boot();
  const SmcccRegs in = patterned(emu::regs(fid::kPsciVersion, 5));
  EXPECT_REGS(call(in), expected(in, 1, emu::regs(0x10001)));
}

TEST_F(El3Routing, PsciFeatures_SmcccVersion_IsZeroFromSmccc1_1) {
  boot(with_smccc(1));
  EXPECT_EQ(call(emu::regs(fid::kPsciFeatures, fid::kSmcccVersion)).x[0], 0u);
}

TEST_F(El3Routing, PsciFeatures_SmcccVersion_IsNotSupportedOnSmccc1_0) {
  boot(with_smccc(0));
  EXPECT_EQ(call(emu::regs(fid::kPsciFeatures, fid::kSmcccVersion)).x[0], ~uint64_t{0});
}

TEST_F(El3Routing, PsciFeatures_PsciCallsSupported_OthersNot) {
  boot();
  EXPECT_EQ(call(emu::regs(fid::kPsciFeatures, fid::kPsciVersion)).x[0], 0u);
  EXPECT_EQ(call(emu::regs(fid::kPsciFeatures, fid::kVersion)).x[0], ~uint64_t{0});
}

TEST_F(El3Routing, UnmodelledPsciCall_AnswersNotSupported) {
  boot();
  EXPECT_EQ(call(emu::regs(0xC4000003u)).x[0], ~uint64_t{0});  // CPU_ON
}

TEST_F(El3Routing, Hvc_NeverReachesEl3_IsUnknown) {
  boot();
  const SmcccRegs in = patterned(emu::regs(fid::kVersion, 0x10002));
  emu::Trap trap{emu::ConduitKind::Hvc, 0, emu::layout::kCodeBase, 1, in};
  EXPECT_REGS(fw_->on_trap(trap).regs, expected(in, 1, emu::regs(emu::kSmcUnknown)));
  EXPECT_FALSE(fw_->spmd().ns_version_negotiated());
}

TEST_F(El3Routing, FastCallWithReservedBits_IsUnknown_AndStateUnchanged) {
  boot();
  const SmcccRegs in = emu::regs(fid::kVersion | (1u << 17), 0x10001);
  EXPECT_EQ(call(in).x[0], emu::kSmcUnknown);
  EXPECT_EQ(fw_->spmd().ns_version(), 0u);
}

TEST_F(El3Routing, SveHint_IsIgnored) {
  boot();
  EXPECT_EQ(call(emu::regs(fid::kVersion | (1u << 16), 0x10002)).x[0], 0x10002u);
}

TEST_F(El3Routing, YieldingCall_IsUnknown) {
  boot();
  EXPECT_EQ(call(emu::regs(0x04000063u, 0x10002)).x[0], emu::kSmcUnknown);
}

TEST_F(El3Routing, UnownedRange_IsUnknownAllOnes) {
  boot();
  EXPECT_EQ(call(emu::regs(0x82000000u)).x[0], emu::kSmcUnknown);  // SiP
  EXPECT_EQ(call(emu::regs(0x84000050u)).x[0], emu::kSmcUnknown);  // TRNG range
  EXPECT_EQ(call(emu::regs(0x84000098u)).x[0], emu::kSmcUnknown);  // beyond FF-A
}

TEST_F(El3Routing, UnknownFunctionInFfaRange_IsFfaErrorNotSupported) {
  boot();
  const SmcccRegs in = patterned(emu::regs(0x84000091u));
  EXPECT_FFA_ERROR(call(in), in, FfaError::NotSupported);
}

TEST_F(El3Routing, CallFromEl2_IsTheSameNsEndpoint) {
  boot();
  EXPECT_EQ(call(emu::regs(fid::kVersion, 0x10001), 2).x[0], 0x10002u);
  EXPECT_EQ(ns().version, ffa::kV1_1);
  EXPECT_EQ(call(emu::regs(fid::kIdGet), 2).x[2], 0u);
}

struct RecordingObserver final : ffa::HopObserver {
  void on_hop(ffa::Level level, ffa::HopName h) override {
    hops += fmt::format("{} {};", ffa::level_name(level), h.view());
  }
  void on_note(ffa::Level, std::string_view m) override { notes += std::string(m) + ";"; }
  std::string hops, notes;
};

TEST_F(El3Routing, Observer_SeesHopsAndGuestMistakes) {
  boot();
  RecordingObserver obs;
  fw_->attach(&obs);
  call(emu::regs(fid::kRxTxMap64, kTx + 0x100, kRx, 1));
  EXPECT_EQ(obs.hops, "EL3 spmd;S-EL2 spmc:rxtx_map_64;");
  EXPECT_NE(obs.notes.find("not 4K aligned"), std::string::npos) << obs.notes;
}

TEST_F(El3Routing, Observer_DirectRequest_NamesThePartitionByServiceAndId) {
  boot();
  RecordingObserver obs;
  fw_->attach(&obs);
  call(emu::regs(fid::kMsgSendDirectReq64, 0x8002));
  call(emu::regs(fid::kMsgSendDirectReq64, 0x8002));
  EXPECT_EQ(obs.hops,
            "EL3 spmd;S-EL2 spmc:msg_send_direct_req_64;S-EL1 sp:echo@0x8002;"
            "EL3 spmd;S-EL2 spmc:msg_send_direct_req_64;S-EL1 sp:echo@0x8002;");
}

// The SPMD refuses IDs it does not know, so only a direct caller reaches the SPMC's own refusal.
TEST_F(El3Routing, Observer_SpmcGivenUnknownId_HopIsSpmcUnknownAndTheNoteNamesTheId) {
  RecordingObserver obs;
  ffa::HopSink sink;
  sink.attach(&obs);
  Spmc spmc(FirmwareConfig{}, memory_, sink);
  const SmcccRegs out = spmc.handle(emu::regs(0x84000096u)).regs;
  EXPECT_EQ(out.x[0], fid::kError);
  EXPECT_EQ(out.x[2], static_cast<uint32_t>(FfaError::NotSupported));
  EXPECT_EQ(obs.hops, "S-EL2 spmc:unknown;");
  EXPECT_NE(obs.notes.find("0x84000096: not implemented by the hafnium SPMC"), std::string::npos)
      << obs.notes;
}

}  // namespace
}  // namespace ffaemu::fw::test

// Lifecycle and routing: hyp stub before kvm_arm_init, hyp_ffa_init, handle_host_smc's order.
#include "pkvm_test_support.h"

namespace ffaemu::pkvm::test {
namespace {

using ffa::FfaError;

TEST_F(PkvmTest, NotInstalled_HostSmc_GoesStraightToEl3WithEl1Unchanged) {
  SmcccRegs in = pattern(fid::kVersion, 0x100);
  el3.answer(fid::kVersion, pattern(0x10002, 0x900));
  EXPECT_EQ(smc(in), pattern(0x10002, 0x900));
  ASSERT_EQ(el3.calls().size(), 1u);
  EXPECT_EQ(el3.calls()[0].trap.el, 1);
  EXPECT_EQ(el3.calls()[0].trap.regs, in);
  EXPECT_TRUE(observer.hops.empty());
  EXPECT_FALSE(pkvm->host_smc_trapped());
}

TEST_F(PkvmTest, NotInstalled_HostHvcFfaVersion_IsHypStubError) {
  SmcccRegs in = pattern(fid::kVersion, 0x100);
  SmcccRegs expected = in;
  expected.x[0] = kHvcStubErr;
  EXPECT_EQ(hvc(in), expected);
  EXPECT_TRUE(el3.calls().empty());
}

TEST_F(PkvmTest, NotInstalled_HvcSetVectors_RecordsVbarAndReturnsZero) {
  SmcccRegs out = hvc(emu::regs(kHvcSetVectors, 0x40001000));
  EXPECT_EQ(out, emu::regs(0, 0x40001000));
  EXPECT_EQ(pkvm->stub_vbar_el2(), 0x40001000u);
  EXPECT_EQ(hvc(emu::regs(kHvcResetVectors)), emu::regs(0));
}

TEST_F(PkvmTest, Install_SendsFfaVersion12FromEl2AndTrapsSmc) {
  EXPECT_EQ(pkvm->install(1, 2), 0);
  EXPECT_EQ(pkvm->state(), PkvmState::Installed);
  ASSERT_EQ(el3.calls().size(), 1u);
  EXPECT_EQ(el3.calls()[0].trap.el, 2);
  EXPECT_EQ(el3.calls()[0].trap.regs, emu::regs(fid::kVersion, 0x10002));
  EXPECT_EQ(pkvm->hyp_ffa_version(), 0x10002u);
  EXPECT_FALSE(pkvm->version_negotiated());
  EXPECT_TRUE(pkvm->host_smc_trapped());
  ASSERT_TRUE(pkvm->hyp_buffers());
  EXPECT_EQ(*pkvm->hyp_buffers(), (MailboxPair{kHypPages, kHypPages + 4096}));
  EXPECT_FALSE(pkvm->hyp_buffers_mapped());
  EXPECT_EQ(pkvm->ffa_desc_buf_len(), 17u * 4096);  // hyp_ffa_proxy_pages() - 2 at 4K
}

TEST_F(PkvmTest, Install_El3At11_ClampsNothingAndKeeps11) {
  el3.answer(fid::kVersion, emu::regs(0x10001));
  EXPECT_EQ(pkvm->install(1, 2), 0);
  EXPECT_EQ(pkvm->hyp_ffa_version(), 0x10001u);
}

TEST_F(PkvmTest, Install_El3At13_ClampsTo12) {
  el3.answer(fid::kVersion, emu::regs(0x10003));
  EXPECT_EQ(pkvm->install(1, 2), 0);
  EXPECT_EQ(pkvm->hyp_ffa_version(), 0x10002u);
}

TEST_F(PkvmTest, Install_SmcccBelow12_SkipsFfaButInstalls) {
  EXPECT_EQ(pkvm->install(1, 1), 0);
  EXPECT_EQ(pkvm->state(), PkvmState::Installed);
  EXPECT_TRUE(el3.calls().empty());
  EXPECT_FALSE(pkvm->hyp_buffers());
  EXPECT_EQ(pkvm->hyp_ffa_version(), 0u);
}

TEST_F(PkvmTest, Install_El3FfaNotSupportedSignExtended_InstallsWithoutProxy) {
  el3.answer(fid::kVersion, emu::regs(kAllOnes));
  EXPECT_EQ(pkvm->install(1, 2), 0);
  EXPECT_EQ(pkvm->state(), PkvmState::Installed);
  EXPECT_FALSE(pkvm->hyp_buffers());
}

// pKVM compares a0 with FFA_RET_NOT_SUPPORTED as an unsigned long: a 32-bit -1 has major 0x7fff.
TEST_F(PkvmTest, Install_El3FfaNotSupported32Bit_FailsWithEopnotsupp) {
  el3.answer(fid::kVersion, emu::regs(0xffffffffu));
  EXPECT_EQ(pkvm->install(1, 2), -kEopnotsupp);
  EXPECT_EQ(pkvm->state(), PkvmState::NotInstalled);
  EXPECT_FALSE(pkvm->host_smc_trapped());
}

TEST_F(PkvmTest, Install_El3Major2_FailsWithEopnotsupp) {
  el3.answer(fid::kVersion, emu::regs(0x20000));
  EXPECT_EQ(pkvm->install(1, 2), -kEopnotsupp);
  EXPECT_EQ(pkvm->state(), PkvmState::NotInstalled);
}

TEST_F(PkvmTest, Finalize_BeforeInstall_IsNoOp) {
  pkvm->finalize();
  EXPECT_EQ(pkvm->state(), PkvmState::NotInstalled);
}

TEST_F(PkvmTest, Finalize_AfterInstall_TurnsStaticKeyOn) {
  ASSERT_EQ(pkvm->install(1, 2), 0);
  pkvm->finalize();
  EXPECT_EQ(pkvm->state(), PkvmState::Finalized);
  EXPECT_TRUE(pkvm->hcall_state().protected_mode_initialized);
  EXPECT_TRUE(pkvm->hcall_state().cpu_prot_finalized);
}

TEST_F(PkvmTest, Forward_UnknownCall_PassesRegistersUnchanged) {
  install_and_finalize();
  SmcccRegs in = pattern(0xC2000123, 0x100);  // SiP SMC64
  el3.answer(0xC2000123, pattern(0x7, 0x500));
  EXPECT_EQ(smc(in), pattern(0x7, 0x500));
  ASSERT_EQ(el3.calls().size(), 1u);
  EXPECT_EQ(el3.calls()[0].trap.el, 2);
  EXPECT_EQ(el3.calls()[0].trap.regs, in);
  EXPECT_EQ(observer.hops, std::vector<std::string>{"pkvm:forward"});
}

TEST_F(PkvmTest, Forward_SveHintSet_ForwardsX0WithHintButDispatchesWithout) {
  install_and_finalize();
  negotiate();
  SmcccRegs in = emu::regs(fid::kIdGet | 0x10000);
  el3.answer(fid::kIdGet | 0x10000, ffa_ok(0));
  EXPECT_EQ(smc(in), ffa_ok(0));
  ASSERT_EQ(el3.calls().size(), 1u);
  EXPECT_EQ(el3.calls()[0].trap.regs, in);
}

TEST_F(PkvmTest, Forward_El3Stop_IsPropagated) {
  install_and_finalize();
  el3.action = emu::TrapAction::Stop;
  emu::TrapReply r =
      pkvm->on_trap(emu::Trap{emu::ConduitKind::Smc, 0, 0, 1, emu::regs(0x82000001)});
  EXPECT_EQ(r.action, emu::TrapAction::Stop);
}

TEST_F(PkvmTest, Psci_Version_ForwardsX0ToX3AndZeroesX1ToX3) {
  install_and_finalize();
  SmcccRegs in = pattern(fid::kPsciVersion, 0x100);
  el3.answer(fid::kPsciVersion, pattern(0x10001, 0x900));
  SmcccRegs expected = in;
  expected.x[0] = 0x10001;
  expected.x[1] = expected.x[2] = expected.x[3] = 0;
  EXPECT_EQ(smc(in), expected);
  ASSERT_EQ(el3.calls().size(), 1u);
  EXPECT_EQ(el3.calls()[0].trap.regs, emu::regs(fid::kPsciVersion, 0x101, 0x102, 0x103));
  EXPECT_EQ(observer.hops, std::vector<std::string>{"pkvm:kvm_host_psci_handler"});
}

TEST_F(PkvmTest, Psci_UnlistedIdInRange_IsPsciNotSupportedWithoutEl3) {
  install_and_finalize();
  SmcccRegs out = smc(emu::regs(0x84000010, 1, 2, 3, 4));  // PSCI_STAT_RESIDENCY
  EXPECT_EQ(out, emu::regs(kAllOnes, 0, 0, 0, 4));
  EXPECT_TRUE(el3.calls().empty());
}

TEST_F(PkvmTest, Psci_CpuOn_StopsAsNotModelled) {
  install_and_finalize();
  emu::TrapReply r =
      pkvm->on_trap(emu::Trap{emu::ConduitKind::Smc, 0, 0, 1, emu::regs(0xC4000003, 1)});
  EXPECT_EQ(r.action, emu::TrapAction::Stop);
  EXPECT_TRUE(el3.calls().empty());
}

TEST(PkvmConfigTest, PageSizeNot4k16k64k_IsRejected) {
  emu::RegionMemory memory = default_memory();
  FakeEl3 el3;
  PkvmConfig config;
  config.page_size = 8192;
  EXPECT_THROW(Pkvm(config, el3, memory), std::invalid_argument);
}

TEST(PkvmConfigTest, ProxyPagesOutsideHypRam_AreRejected) {
  emu::RegionMemory memory = default_memory();
  FakeEl3 el3;
  PkvmConfig config;
  config.ffa_proxy_pages = kHostRam;
  EXPECT_THROW(Pkvm(config, el3, memory), std::invalid_argument);
}

}  // namespace
}  // namespace ffaemu::pkvm::test

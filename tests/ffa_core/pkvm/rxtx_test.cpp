// do_ffa_rxtx_map / do_ffa_rxtx_unmap: checks, registration, host stage-2 and reverse unwinding.
#include "pkvm_test_support.h"

namespace ffaemu::pkvm::test {
namespace {

using ffa::FfaError;

class RxTxTest : public PkvmTest {
 protected:
  explicit RxTxTest(uint64_t page_size = 4096) : PkvmTest(page_size) {}
  void SetUp() override {
    install_and_finalize();
    negotiate();
  }
  SmcccRegs map(uint64_t tx, uint64_t rx, uint64_t n) {
    return smc(emu::regs(fid::kRxTxMap64, tx, rx, n));
  }
  void expect_untouched() {
    EXPECT_FALSE(pkvm->host_buffers());
    EXPECT_FALSE(pkvm->hyp_buffers_mapped());
    EXPECT_EQ(pkvm->host_page_owner(host_tx()), PageOwner::Owned);
    EXPECT_EQ(pkvm->host_page_owner(host_rx()), PageOwner::Owned);
    EXPECT_EQ(pkvm->hyp_pin_count(host_tx()), 0u);
    EXPECT_EQ(pkvm->hyp_pin_count(host_rx()), 0u);
  }
  std::vector<Stage2Op> ops() const {
    std::vector<Stage2Op> out;
    for (const Stage2Event& e : pkvm->stage2_journal())
      out.push_back(e.op);
    return out;
  }
};

TEST_F(RxTxTest, RxTxMap_Success_MapsHypPairAtEl3SharesAndPinsHostPages) {
  EXPECT_EQ(map(host_tx(), host_rx(), 1), ffa_ok());
  ASSERT_EQ(el3.calls().size(), 1u);
  EXPECT_EQ(el3.calls()[0].trap.el, 2);
  EXPECT_EQ(el3.calls()[0].trap.regs, emu::regs(fid::kRxTxMap64, kHypPages, kHypPages + 4096, 1));
  EXPECT_EQ(el3.calls()[0].stage2_ops_before, 0u);  // hyp pair mapped before any host share
  EXPECT_EQ(*pkvm->host_buffers(), (MailboxPair{host_tx(), host_rx()}));
  EXPECT_TRUE(pkvm->hyp_buffers_mapped());
  EXPECT_EQ(pkvm->host_page_owner(host_tx()), PageOwner::SharedWithHyp);
  EXPECT_EQ(pkvm->host_page_owner(host_rx()), PageOwner::SharedWithHyp);
  EXPECT_EQ(pkvm->hyp_pin_count(host_tx()), 1u);
  EXPECT_EQ(pkvm->hyp_pin_count(host_rx()), 1u);
  EXPECT_EQ(ops(), (std::vector<Stage2Op>{Stage2Op::ShareHyp, Stage2Op::ShareHyp, Stage2Op::Pin,
                                          Stage2Op::Pin}));
}

TEST_F(RxTxTest, RxTxMap_PageCountZeroOrTwo_IsInvalidParameters) {
  EXPECT_EQ(map(host_tx(), host_rx(), 0), ffa_err(FfaError::InvalidParameters));
  EXPECT_EQ(map(host_tx(), host_rx(), 2), ffa_err(FfaError::InvalidParameters));
  EXPECT_TRUE(el3.calls().empty());
  expect_untouched();
}

TEST_F(RxTxTest, RxTxMap_PageCountUpper32BitsIgnored_Succeeds) {
  EXPECT_EQ(map(host_tx(), host_rx(), 0x100000001ull), ffa_ok());
  EXPECT_EQ(el3.calls()[0].trap.regs.x[3], 1u);
}

TEST_F(RxTxTest, RxTxMap_MisalignedTxOrRx_IsInvalidParameters) {
  EXPECT_EQ(map(host_tx() + 0x100, host_rx(), 1), ffa_err(FfaError::InvalidParameters));
  EXPECT_EQ(map(host_tx(), host_rx() + 8, 1), ffa_err(FfaError::InvalidParameters));
  EXPECT_TRUE(el3.calls().empty());
  expect_untouched();
}

TEST_F(RxTxTest, RxTxMap_SecondMap_IsDeniedAndFirstMappingIntact) {
  ASSERT_EQ(map(host_tx(), host_rx(), 1), ffa_ok());
  el3.clear();
  size_t ops_before = pkvm->stage2_journal().size();
  EXPECT_EQ(map(host_tx() + 0x2000, host_rx() + 0x2000, 1), ffa_err(FfaError::Denied));
  EXPECT_TRUE(el3.calls().empty());
  EXPECT_EQ(pkvm->stage2_journal().size(), ops_before);
  EXPECT_EQ(*pkvm->host_buffers(), (MailboxPair{host_tx(), host_rx()}));
  EXPECT_EQ(pkvm->host_page_owner(host_tx() + 0x2000), PageOwner::Owned);
  EXPECT_EQ(pkvm->hyp_pin_count(host_tx()), 1u);
}

TEST_F(RxTxTest, RxTxMap_El3RefusesHypPair_ReturnsEl3StatusSignExtended) {
  el3.answer(fid::kRxTxMap64, emu::regs(fid::kError, 0, 0xfffffffdu));  // NO_MEMORY, 32-bit
  EXPECT_EQ(map(host_tx(), host_rx(), 1), ffa_err(FfaError::NoMemory));
  EXPECT_EQ(el3.ids(), std::vector<uint32_t>{fid::kRxTxMap64});
  expect_untouched();
  EXPECT_TRUE(pkvm->stage2_journal().empty());
}

// ffa_map_hyp_buffers returns a2 when a0 is not FFA_SUCCESS: a reply with a2 = 0 counts as mapped.
TEST_F(RxTxTest, RxTxMap_El3UnknownWithZeroA2_IsTakenAsSuccess) {
  el3.answer(fid::kRxTxMap64, emu::regs(kAllOnes));
  EXPECT_EQ(map(host_tx(), host_rx(), 1), ffa_ok());
  EXPECT_TRUE(pkvm->host_buffers());
  EXPECT_FALSE(pkvm->hyp_buffers_mapped());
}

TEST_F(RxTxTest, RxTxMap_TxNotHostMemory_IsInvalidParametersAndHypPairUnmapped) {
  EXPECT_EQ(map(emu::layout::kSecureRamBase, host_rx(), 1), ffa_err(FfaError::InvalidParameters));
  EXPECT_EQ(el3.ids(), (std::vector<uint32_t>{fid::kRxTxMap64, fid::kRxTxUnmap}));
  EXPECT_EQ(el3.calls()[1].trap.regs, emu::regs(fid::kRxTxUnmap, 0));
  expect_untouched();
}

TEST_F(RxTxTest, RxTxMap_TxInHypMemory_IsInvalidParameters) {
  EXPECT_EQ(map(kHypPages, host_rx(), 1), ffa_err(FfaError::InvalidParameters));
  EXPECT_EQ(pkvm->host_page_owner(kHypPages), PageOwner::NotHost);
  expect_untouched();
}

TEST_F(RxTxTest, RxTxMap_TxEqualsRx_UnsharesTxThenUnmaps) {
  EXPECT_EQ(map(host_tx(), host_tx(), 1), ffa_err(FfaError::InvalidParameters));
  EXPECT_EQ(ops(),
            (std::vector<Stage2Op>{Stage2Op::ShareHyp, Stage2Op::ShareHyp, Stage2Op::UnshareHyp}));
  EXPECT_EQ(el3.calls().back().stage2_ops_before, 3u);  // RXTX_UNMAP comes last
  expect_untouched();
}

TEST_F(RxTxTest, RxTxMap_RxPageAlreadySharedWithHyp_IsInvalidParametersAndTxUnshared) {
  ASSERT_EQ(hvc(emu::regs(kKvmHostSmcccIdBase + 8, host_rx() / 4096)), emu::regs(0, 0));
  EXPECT_EQ(map(host_tx(), host_rx(), 1), ffa_err(FfaError::InvalidParameters));
  EXPECT_EQ(pkvm->host_page_owner(host_tx()), PageOwner::Owned);
  EXPECT_EQ(pkvm->host_page_owner(host_rx()), PageOwner::SharedWithHyp);
  EXPECT_FALSE(pkvm->host_buffers());
  EXPECT_EQ(el3.ids(), (std::vector<uint32_t>{fid::kRxTxMap64, fid::kRxTxUnmap}));
}

TEST_F(RxTxTest, RxTxMap_PinTxFails_UnsharesRxThenTxThenUnmaps) {
  pkvm->inject_stage2_failure(Stage2Op::Pin, -kEperm);
  EXPECT_EQ(map(host_tx(), host_rx(), 1), ffa_err(FfaError::InvalidParameters));
  const auto& j = pkvm->stage2_journal();
  ASSERT_EQ(j.size(), 5u);
  EXPECT_EQ(j[2], (Stage2Event{Stage2Op::Pin, host_tx(), 1, -kEperm}));
  EXPECT_EQ(j[3], (Stage2Event{Stage2Op::UnshareHyp, host_rx(), 1, 0}));
  EXPECT_EQ(j[4], (Stage2Event{Stage2Op::UnshareHyp, host_tx(), 1, 0}));
  EXPECT_EQ(el3.ids(), (std::vector<uint32_t>{fid::kRxTxMap64, fid::kRxTxUnmap}));
  EXPECT_EQ(el3.calls()[1].stage2_ops_before, 5u);
  expect_untouched();
}

TEST_F(RxTxTest, RxTxMap_PinRxFails_UnpinsTxUnsharesRxThenTxThenUnmaps) {
  pkvm->inject_stage2_failure(Stage2Op::Pin, -kEperm, /*after=*/1);
  EXPECT_EQ(map(host_tx(), host_rx(), 1), ffa_err(FfaError::InvalidParameters));
  const auto& j = pkvm->stage2_journal();
  ASSERT_EQ(j.size(), 7u);
  EXPECT_EQ(j[2], (Stage2Event{Stage2Op::Pin, host_tx(), 1, 0}));
  EXPECT_EQ(j[3], (Stage2Event{Stage2Op::Pin, host_rx(), 1, -kEperm}));
  EXPECT_EQ(j[4], (Stage2Event{Stage2Op::Unpin, host_tx(), 1, 0}));
  EXPECT_EQ(j[5], (Stage2Event{Stage2Op::UnshareHyp, host_rx(), 1, 0}));
  EXPECT_EQ(j[6], (Stage2Event{Stage2Op::UnshareHyp, host_tx(), 1, 0}));
  EXPECT_EQ(el3.ids(), (std::vector<uint32_t>{fid::kRxTxMap64, fid::kRxTxUnmap}));
  EXPECT_EQ(el3.calls()[1].stage2_ops_before, 7u);
  expect_untouched();
}

TEST_F(RxTxTest, RxTxMap_ShareRxFails_UnsharesTxThenUnmaps) {
  pkvm->inject_stage2_failure(Stage2Op::ShareHyp, -kEperm, /*after=*/1);
  EXPECT_EQ(map(host_tx(), host_rx(), 1), ffa_err(FfaError::InvalidParameters));
  EXPECT_EQ(ops(),
            (std::vector<Stage2Op>{Stage2Op::ShareHyp, Stage2Op::ShareHyp, Stage2Op::UnshareHyp}));
  EXPECT_EQ(pkvm->stage2_journal()[2].phys, host_tx());
  EXPECT_EQ(el3.calls().back().stage2_ops_before, 3u);
  expect_untouched();
}

TEST_F(RxTxTest, RxTxUnmap_Success_UnpinsUnsharesAndUnmapsHypPair) {
  ASSERT_EQ(map(host_tx(), host_rx(), 1), ffa_ok());
  el3.clear();
  EXPECT_EQ(smc(emu::regs(fid::kRxTxUnmap)), ffa_ok());
  EXPECT_EQ(el3.ids(), std::vector<uint32_t>{fid::kRxTxUnmap});
  EXPECT_EQ(el3.calls()[0].trap.regs, emu::regs(fid::kRxTxUnmap, 0));
  EXPECT_EQ(el3.calls()[0].stage2_ops_before, 8u);  // after unpin/unshare tx and rx
  expect_untouched();
  EXPECT_EQ(map(host_tx(), host_rx(), 1), ffa_ok());  // may map again
}

TEST_F(RxTxTest, RxTxUnmap_NonZeroId_IsInvalidParametersAndMappingIntact) {
  ASSERT_EQ(map(host_tx(), host_rx(), 1), ffa_ok());
  el3.clear();
  EXPECT_EQ(smc(emu::regs(fid::kRxTxUnmap, 1u << 16)), ffa_err(FfaError::InvalidParameters));
  EXPECT_TRUE(el3.calls().empty());
  EXPECT_TRUE(pkvm->host_buffers());
  EXPECT_EQ(pkvm->hyp_pin_count(host_tx()), 1u);
}

TEST_F(RxTxTest, RxTxUnmap_UpperBitsOfX1Ignored_Succeeds) {
  ASSERT_EQ(map(host_tx(), host_rx(), 1), ffa_ok());
  EXPECT_EQ(smc(emu::regs(fid::kRxTxUnmap, 0x100000000ull)), ffa_ok());
}

TEST_F(RxTxTest, RxTxUnmap_NothingMapped_IsInvalidParameters) {
  EXPECT_EQ(smc(emu::regs(fid::kRxTxUnmap)), ffa_err(FfaError::InvalidParameters));
  EXPECT_TRUE(el3.calls().empty());
}

TEST_F(RxTxTest, RxTxUnmap_El3Fails_StillSuccessForHost) {
  ASSERT_EQ(map(host_tx(), host_rx(), 1), ffa_ok());
  el3.answer(fid::kRxTxUnmap, ffa_err(FfaError::InvalidParameters));
  EXPECT_EQ(smc(emu::regs(fid::kRxTxUnmap)), ffa_ok());
  EXPECT_FALSE(pkvm->host_buffers());
  EXPECT_TRUE(pkvm->hyp_buffers_mapped());
}

TEST_F(RxTxTest, HostHvc_UnsharePinnedRxBuffer_IsBusy) {
  ASSERT_EQ(map(host_tx(), host_rx(), 1), ffa_ok());
  SmcccRegs out = hvc(emu::regs(kKvmHostSmcccIdBase + 9, host_rx() / 4096));
  EXPECT_EQ(out, emu::regs(0, static_cast<uint64_t>(-kEbusy)));
  EXPECT_EQ(pkvm->host_page_owner(host_rx()), PageOwner::SharedWithHyp);
}

class RxTx16kTest : public RxTxTest {
 protected:
  RxTx16kTest() : RxTxTest(16384) {}
};

TEST_F(RxTx16kTest, RxTxMap_PageCountNotPageSizeOver4K_IsInvalidParameters) {
  EXPECT_EQ(map(host_tx(), host_rx(), 1), ffa_err(FfaError::InvalidParameters));
  EXPECT_EQ(map(host_tx(), host_rx(), 16), ffa_err(FfaError::InvalidParameters));
  EXPECT_TRUE(el3.calls().empty());
}

TEST_F(RxTx16kTest, RxTxMap_4kAlignedNot16k_IsInvalidParameters) {
  EXPECT_EQ(map(host_tx() + 0x1000, host_rx(), 4), ffa_err(FfaError::InvalidParameters));
}

TEST_F(RxTx16kTest, RxTxMap_FourPages_SharesWhole16kPages) {
  EXPECT_EQ(map(host_tx(), host_rx(), 4), ffa_ok());
  EXPECT_EQ(el3.calls()[0].trap.regs, emu::regs(fid::kRxTxMap64, kHypPages, kHypPages + 0x4000, 4));
  EXPECT_EQ(pkvm->host_page_owner(host_tx() + 0x3000), PageOwner::SharedWithHyp);
  EXPECT_EQ(pkvm->host_page_owner(host_rx() + 0x3000), PageOwner::SharedWithHyp);
  EXPECT_EQ(pkvm->host_page_owner(host_rx() + 0x4000), PageOwner::Owned);
}

class RxTx64kTest : public RxTxTest {
 protected:
  RxTx64kTest() : RxTxTest(65536) {}
};

TEST_F(RxTx64kTest, RxTxMap_SixteenPages_Succeeds) {
  EXPECT_EQ(map(host_tx(), host_rx(), 4), ffa_err(FfaError::InvalidParameters));
  EXPECT_EQ(map(host_tx(), host_rx(), 16), ffa_ok());
  EXPECT_EQ(el3.calls()[0].trap.regs,
            emu::regs(fid::kRxTxMap64, kHypPages, kHypPages + 0x10000, 16));
}

}  // namespace
}  // namespace ffaemu::pkvm::test

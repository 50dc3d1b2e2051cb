// __do_ffa_mem_xfer, do_ffa_mem_frag_tx and do_ffa_mem_reclaim on the host stage-2 model.
#include "pkvm_test_support.h"

namespace ffaemu::pkvm::test {
namespace {

using ffa::FfaError;

struct Range {
  uint64_t address;
  uint32_t pages;  // 4K FF-A pages
};

class MemXferTest : public PkvmTest {
 protected:
  void SetUp() override { ready(); }

  // A v1.1+ transaction descriptor in the host TX: header 48, one 32-byte EMAD, composite at 80,
  // constituents from 96. Returns its length.
  uint32_t write_descriptor(const std::vector<Range>& ranges, uint16_t sender = 0,
                            uint32_t ep_count = 1, uint32_t composite_off = 80) {
    memory.fill(emu::PhysAddr{host_tx()}, 4096, 0);
    uint8_t s[2] = {static_cast<uint8_t>(sender), static_cast<uint8_t>(sender >> 8)};
    memory.write(emu::PhysAddr{host_tx()}, s);
    memory.write_u32(emu::PhysAddr{host_tx() + 28}, ep_count);
    memory.write_u32(emu::PhysAddr{host_tx() + 48 + 4}, composite_off);
    memory.write_u32(emu::PhysAddr{host_tx() + 84}, static_cast<uint32_t>(ranges.size()));
    for (size_t i = 0; i < ranges.size(); ++i) {
      memory.write_u64(emu::PhysAddr{host_tx() + 96 + 16 * i}, ranges[i].address);
      memory.write_u32(emu::PhysAddr{host_tx() + 96 + 16 * i + 8}, ranges[i].pages);
    }
    return static_cast<uint32_t>(96 + 16 * ranges.size());
  }
  SmcccRegs share(uint32_t len, uint32_t fraglen, uint32_t fid = fid::kMemShare) {
    return smc(emu::regs(fid, len, fraglen));
  }
  // EL3's FFA_MEM_RETRIEVE_REQ_64 answer: the same descriptor layout in the hyp RX.
  void el3_retrieve(const std::vector<Range>& ranges) {
    el3.answer(fid::kMemRetrieveReq64, [this, ranges](const emu::Trap&) {
      uint64_t rx = kHypPages + 4096;
      memory.fill(emu::PhysAddr{rx}, 4096, 0);
      memory.write_u32(emu::PhysAddr{rx + 48 + 4}, 80);
      memory.write_u32(emu::PhysAddr{rx + 84}, static_cast<uint32_t>(ranges.size()));
      for (size_t i = 0; i < ranges.size(); ++i) {
        memory.write_u64(emu::PhysAddr{rx + 96 + 16 * i}, ranges[i].address);
        memory.write_u32(emu::PhysAddr{rx + 96 + 16 * i + 8}, ranges[i].pages);
      }
      uint64_t len = 96 + 16 * ranges.size();
      return emu::regs(fid::kMemRetrieveResp, len, len);
    });
  }
  static constexpr uint64_t kPage = kHostRam + 0x10000;
};

TEST_F(MemXferTest, MemShare32_SharesPagesAndForwardsAs64) {
  uint32_t len = write_descriptor({{kPage, 2}});
  EXPECT_EQ(share(len, len), ffa_ok(0x1234, 0x1));
  ASSERT_EQ(el3.calls().size(), 1u);
  EXPECT_EQ(el3.calls()[0].trap.regs, emu::regs(fid::kMemShare64, len, len));
  EXPECT_EQ(pkvm->host_page_owner(kPage), PageOwner::SharedWithFfa);
  EXPECT_EQ(pkvm->host_page_owner(kPage + 0x1000), PageOwner::SharedWithFfa);
  EXPECT_EQ(pkvm->host_page_owner(kPage + 0x2000), PageOwner::Owned);
}

TEST_F(MemXferTest, MemLend64_ForwardsLend64) {
  uint32_t len = write_descriptor({{kPage, 1}});
  EXPECT_EQ(share(len, len, fid::kMemLend64), ffa_ok(0x1234, 0x1));
  EXPECT_EQ(el3.calls()[0].trap.regs.x[0], fid::kMemLend64);
}

TEST_F(MemXferTest, MemShare_PageNotOwnedByHost_IsDeniedAndNothingForwarded) {
  uint32_t len = write_descriptor({{kPage, 1}, {kHypPages, 1}});
  EXPECT_EQ(share(len, len), ffa_err(FfaError::Denied));
  EXPECT_TRUE(el3.calls().empty());
  EXPECT_EQ(pkvm->host_page_owner(kPage), PageOwner::Owned);  // first range rolled back
}

TEST_F(MemXferTest, MemShare_HostRxBufferPage_IsDenied) {
  uint32_t len = write_descriptor({{host_rx(), 1}});
  EXPECT_EQ(share(len, len), ffa_err(FfaError::Denied));
  EXPECT_EQ(pkvm->host_page_owner(host_rx()), PageOwner::SharedWithHyp);
}

TEST_F(MemXferTest, MemShare_AlreadyShared_IsDenied) {
  uint32_t len = write_descriptor({{kPage, 1}});
  ASSERT_EQ(share(len, len), ffa_ok(0x1234, 0x1));
  EXPECT_EQ(share(len, len), ffa_err(FfaError::Denied));
}

TEST_F(MemXferTest, MemShare_ArgumentChecks_AreInvalidParameters) {
  uint32_t len = write_descriptor({{kPage, 1}});
  EXPECT_EQ(smc(emu::regs(fid::kMemShare, len, len, 0x1000)), ffa_err(FfaError::InvalidParameters));
  EXPECT_EQ(smc(emu::regs(fid::kMemShare, len, len, 0, 1)), ffa_err(FfaError::InvalidParameters));
  EXPECT_EQ(share(len, len + 16), ffa_err(FfaError::InvalidParameters));
  EXPECT_EQ(share(8192, 4097), ffa_err(FfaError::InvalidParameters));
  EXPECT_EQ(share(79, 79), ffa_err(FfaError::InvalidParameters));
  EXPECT_EQ(share(len, len - 8), ffa_err(FfaError::InvalidParameters));  // partial constituent
  EXPECT_TRUE(el3.calls().empty());
  EXPECT_EQ(pkvm->host_page_owner(kPage), PageOwner::Owned);
}

TEST_F(MemXferTest, MemShare_DescriptorChecks_AreInvalidParameters) {
  uint32_t len = write_descriptor({{kPage, 1}}, /*sender=*/1);
  EXPECT_EQ(share(len, len), ffa_err(FfaError::InvalidParameters));
  len = write_descriptor({{kPage, 1}}, 0, /*ep_count=*/2);
  EXPECT_EQ(share(len, len), ffa_err(FfaError::InvalidParameters));
  len = write_descriptor({{kPage, 1}}, 0, 1, /*composite_off=*/0);
  EXPECT_EQ(share(len, len), ffa_err(FfaError::InvalidParameters));
  len = write_descriptor({{kPage, 1}}, 0, 1, /*composite_off=*/0xfffffff8u);
  EXPECT_EQ(share(len, len), ffa_err(FfaError::InvalidParameters));
  EXPECT_TRUE(el3.calls().empty());
}

TEST_F(MemXferTest, MemShare_LenAboveDescriptorBuffer_IsNoMemory) {
  uint32_t len = write_descriptor({{kPage, 1}});
  EXPECT_EQ(share(17 * 4096 + 1, len), ffa_err(FfaError::NoMemory));
}

TEST_F(MemXferTest, MemShare_WithoutHostTx_IsInvalidParameters) {
  ASSERT_EQ(smc(emu::regs(fid::kRxTxUnmap)), ffa_ok());
  EXPECT_EQ(share(96, 96), ffa_err(FfaError::InvalidParameters));
}

TEST_F(MemXferTest, MemShare_El3Refuses_UnsharesAndReturnsEl3Reply) {
  el3.answer(fid::kMemShare64, pattern(fid::kError, 0x20));
  uint32_t len = write_descriptor({{kPage, 1}});
  EXPECT_EQ(share(len, len), pattern(fid::kError, 0x20));
  EXPECT_EQ(pkvm->host_page_owner(kPage), PageOwner::Owned);
}

TEST_F(MemXferTest, MemShare_FragmentedWithFragRx_KeepsShares) {
  uint32_t fraglen = write_descriptor({{kPage, 1}});
  el3.answer(fid::kMemShare64, emu::regs(fid::kMemFragRx, 0x1234, 0x1, fraglen));
  EXPECT_EQ(share(fraglen + 16, fraglen), emu::regs(fid::kMemFragRx, 0x1234, 0x1, fraglen));
  EXPECT_EQ(pkvm->host_page_owner(kPage), PageOwner::SharedWithFfa);
}

TEST_F(MemXferTest, MemFragTx_SharesNextRangesAndForwards) {
  memory.write_u64(emu::PhysAddr{host_tx()}, kPage + 0x4000);
  memory.write_u32(emu::PhysAddr{host_tx() + 8}, 1);
  el3.answer(fid::kMemFragTx, ffa_ok(0x1234, 0x1));
  EXPECT_EQ(smc(emu::regs(fid::kMemFragTx, 0x1234, 0x1, 16, 0)), ffa_ok(0x1234, 0x1));
  EXPECT_EQ(el3.calls()[0].trap.regs, emu::regs(fid::kMemFragTx, 0x1234, 0x1, 16, 0));
  EXPECT_EQ(pkvm->host_page_owner(kPage + 0x4000), PageOwner::SharedWithFfa);
}

TEST_F(MemXferTest, MemFragTx_UnshareableRange_ReclaimsHandleAndIsDenied) {
  memory.write_u64(emu::PhysAddr{host_tx()}, kHypPages);
  memory.write_u32(emu::PhysAddr{host_tx() + 8}, 1);
  EXPECT_EQ(smc(emu::regs(fid::kMemFragTx, 0x1234, 0x1, 16, 0)), ffa_err(FfaError::Denied));
  ASSERT_EQ(el3.calls().size(), 1u);
  EXPECT_EQ(el3.calls()[0].trap.regs, emu::regs(fid::kMemReclaim, 0x1234, 0x1, 0));
}

TEST_F(MemXferTest, MemFragTx_BadLength_IsInvalidParameters) {
  EXPECT_EQ(smc(emu::regs(fid::kMemFragTx, 1, 0, 24)), ffa_err(FfaError::InvalidParameters));
  EXPECT_EQ(smc(emu::regs(fid::kMemFragTx, 1, 0, 4096 + 16)), ffa_err(FfaError::InvalidParameters));
  EXPECT_TRUE(el3.calls().empty());
}

TEST_F(MemXferTest, MemReclaim_RetrievesDescriptorReclaimsThenUnshares) {
  uint32_t len = write_descriptor({{kPage, 2}});
  ASSERT_EQ(share(len, len), ffa_ok(0x1234, 0x1));
  el3.clear();
  el3_retrieve({{kPage, 2}});
  EXPECT_EQ(smc(emu::regs(fid::kMemReclaim, 0x1234, 0x1, 1)), ffa_ok());
  EXPECT_EQ(el3.ids(),
            (std::vector<uint32_t>{fid::kMemRetrieveReq64, fid::kRxRelease, fid::kMemReclaim}));
  EXPECT_EQ(el3.calls()[0].trap.regs, emu::regs(fid::kMemRetrieveReq64, 48, 48));
  EXPECT_EQ(memory.read_u64(emu::PhysAddr{kHypPages + 8}), 0x100001234u);  // handle in hyp TX
  EXPECT_EQ(el3.calls()[2].trap.regs, emu::regs(fid::kMemReclaim, 0x1234, 0x1, 1));
  EXPECT_EQ(pkvm->host_page_owner(kPage), PageOwner::Owned);
  EXPECT_EQ(pkvm->host_page_owner(kPage + 0x1000), PageOwner::Owned);
}

TEST_F(MemXferTest, MemReclaim_El3RefusesReclaim_KeepsShares) {
  uint32_t len = write_descriptor({{kPage, 1}});
  ASSERT_EQ(share(len, len), ffa_ok(0x1234, 0x1));
  el3_retrieve({{kPage, 1}});
  el3.answer(fid::kMemReclaim, ffa_err(FfaError::Denied));
  EXPECT_EQ(smc(emu::regs(fid::kMemReclaim, 0x1234, 0x1, 0)), ffa_err(FfaError::Denied));
  EXPECT_EQ(pkvm->host_page_owner(kPage), PageOwner::SharedWithFfa);
}

TEST_F(MemXferTest, MemReclaim_RetrieveRefused_ReturnsEl3Reply) {
  el3.answer(fid::kMemRetrieveReq64, pattern(fid::kError, 0x30));
  EXPECT_EQ(smc(emu::regs(fid::kMemReclaim, 1, 0, 0)), pattern(fid::kError, 0x30));
  EXPECT_EQ(el3.ids(), std::vector<uint32_t>{fid::kMemRetrieveReq64});
}

TEST_F(MemXferTest, MemReclaim_CompositeOffsetPastLength_IsAbortedAfterRxRelease) {
  el3.answer(fid::kMemRetrieveReq64, emu::regs(fid::kMemRetrieveResp, 40, 40));
  memory.write_u32(emu::PhysAddr{kHypPages + 4096 + 52}, 80);
  EXPECT_EQ(smc(emu::regs(fid::kMemReclaim, 1, 0, 0)), ffa_err(FfaError::Aborted));
  EXPECT_EQ(el3.ids(), (std::vector<uint32_t>{fid::kMemRetrieveReq64, fid::kRxRelease}));
}

TEST_F(MemXferTest, MemReclaim_FragRxNotAnsweredWithFragTx_IsInvalidParameters) {
  el3.answer(fid::kMemRetrieveReq64, emu::regs(fid::kMemRetrieveResp, 200, 100));
  memory.write_u32(emu::PhysAddr{kHypPages + 4096 + 52}, 80);
  EXPECT_EQ(smc(emu::regs(fid::kMemReclaim, 1, 0, 0)), ffa_err(FfaError::InvalidParameters));
  EXPECT_EQ(el3.ids(),
            (std::vector<uint32_t>{fid::kMemRetrieveReq64, fid::kRxRelease, fid::kMemFragRx}));
  EXPECT_EQ(el3.calls()[2].trap.regs, emu::regs(fid::kMemFragRx, 1, 0, 100, 0));
}

TEST_F(MemXferTest, Refused_MemDonate_LeavesPagesOwned) {
  uint32_t len = write_descriptor({{kPage, 1}});
  EXPECT_EQ(share(len, len, fid::kMemDonate64), ffa_err(FfaError::NotSupported));
  EXPECT_EQ(pkvm->host_page_owner(kPage), PageOwner::Owned);
  EXPECT_TRUE(el3.calls().empty());
}

}  // namespace
}  // namespace ffaemu::pkvm::test

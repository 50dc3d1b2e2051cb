// The proxy against the real EL3 firmware model: the driver's probe sequence (reference 4.7)
// through EL2 to the SPMD/SPMC and back.
#include "ffa_core/firmware/el3.h"
#include "ffa_core/firmware/spmc/services/echo.h"
#include "pkvm_test_support.h"

namespace ffaemu::pkvm::test {
namespace {

using ffa::FfaError;

class PkvmEl3Test : public ::testing::Test {
 protected:
  PkvmEl3Test() : memory(default_memory()), el3(fw::FirmwareConfig{}, memory) {
    pkvm = std::make_unique<Pkvm>(PkvmConfig{}, el3, memory);
  }
  SmcccRegs smc(SmcccRegs in) {
    return pkvm->on_trap(emu::Trap{emu::ConduitKind::Smc, 0, 0x40000000, 1, in}).regs;
  }
  void ready() {
    ASSERT_EQ(pkvm->install(1, 2), 0);
    pkvm->finalize();
    ASSERT_EQ(smc(emu::regs(fid::kVersion, 0x10002)).x[0], 0x10002u);
  }

  emu::RegionMemory memory;
  fw::El3Firmware el3;
  std::unique_ptr<Pkvm> pkvm;
};

TEST_F(PkvmEl3Test, ProbeSequence_VersionIdGetFeatures_NegotiatesThroughEl2) {
  ready();
  EXPECT_TRUE(pkvm->version_negotiated());
  EXPECT_EQ(smc(emu::regs(fid::kIdGet)).x[0], fid::kSuccess);
  EXPECT_EQ(smc(emu::regs(fid::kFeatures, fid::kMsgSendDirectReq2)),
            ffa_err(FfaError::NotSupported));
  EXPECT_EQ(smc(emu::regs(fid::kFeatures, fid::kMemLend64)), ffa_ok(0));
}

TEST_F(PkvmEl3Test, ProbeSequence_RxTxMapThenPartitionInfoGet_CopiesDescriptorsToHostRx) {
  ready();
  ASSERT_EQ(smc(emu::regs(fid::kRxTxMap64, kHostRam, kHostRam + 0x1000, 1)), ffa_ok());
  EXPECT_TRUE(pkvm->hyp_buffers_mapped());
  SmcccRegs count = smc(emu::regs(fid::kPartitionInfoGet, 0, 0, 0, 0, 1));
  ASSERT_EQ(count.x[0], fid::kSuccess);
  ASSERT_GT(count.w(2), 0u);
  SmcccRegs info = smc(emu::regs(fid::kPartitionInfoGet));
  ASSERT_EQ(info.x[0], fid::kSuccess);
  EXPECT_EQ(info.w(2), count.w(2));
  EXPECT_EQ(info.w(3), 24u);
  uint16_t first_id = static_cast<uint16_t>(memory.read_u32(emu::PhysAddr{kHostRam + 0x1000}));
  EXPECT_EQ(first_id, el3.spmc().partitions()[0].config.id.value());
  // The hyp RX is still owned by the host's endpoint: the SPMC answers BUSY until the release,
  // and the proxy returns that reply as EL3 encoded it (32-bit status, not sign-extended).
  EXPECT_EQ(smc(emu::regs(fid::kPartitionInfoGet)), emu::regs(fid::kError, 0, 0xfffffffcu));
  EXPECT_EQ(smc(emu::regs(fid::kRxRelease)).x[0], fid::kSuccess);
  EXPECT_EQ(smc(emu::regs(fid::kPartitionInfoGet)).x[0], fid::kSuccess);
}

// do_ffa_version reads only bits 30:16 for the major, so a request with bit 31 set is a v1.0
// downgrade to ask EL3 about. The SPMD answers NOT_SUPPORTED as a 32-bit value, which pKVM's
// 64-bit compare with FFA_RET_NOT_SUPPORTED misses: pKVM adopts the invalid request as its version
// and hands it back. Found by FuzzFfaDispatch; the model follows the kernel and TF-A sources.
TEST_F(PkvmEl3Test, Version_Bit31Request_EscapesTheSpmdRefusalAndIsAdopted) {
  ASSERT_EQ(pkvm->install(1, 2), 0);
  pkvm->finalize();
  SmcccRegs out = smc(emu::regs(fid::kVersion, 0x80010000));
  EXPECT_EQ(out.x[0], 0x80010000u);
  EXPECT_EQ(pkvm->hyp_ffa_version(), 0x80010000u);
  EXPECT_TRUE(pkvm->version_negotiated());
}

TEST_F(PkvmEl3Test, RxTxUnmap_UnmapsHypPairAtEl3) {
  ready();
  ASSERT_EQ(smc(emu::regs(fid::kRxTxMap64, kHostRam, kHostRam + 0x1000, 1)), ffa_ok());
  EXPECT_EQ(smc(emu::regs(fid::kRxTxUnmap)), ffa_ok());
  EXPECT_FALSE(pkvm->hyp_buffers_mapped());
  EXPECT_EQ(pkvm->host_page_owner(kHostRam), PageOwner::Owned);
}

// Memory transfer through the real proxy into the real SPMC: a Linux-layout v1.2 descriptor
// (48-byte header, one 32-byte EMAD for the echo partition, composite at 80, one constituent).
class PkvmEl3MemoryTest : public PkvmEl3Test {
 protected:
  static constexpr uint64_t kPage = kHostRam + 0x100000;
  static constexpr uint16_t kEcho = 0x8002;

  void ready_with_buffers() {
    ready();
    el3.attach(&el3_hops);
    ASSERT_EQ(smc(emu::regs(fid::kRxTxMap64, kHostRam, kHostRam + 0x1000, 1)), ffa_ok());
    el3_hops.hops.clear();
  }
  // Writes the descriptor into the host TX and returns its length.
  uint32_t write_descriptor(uint64_t address) {
    memory.fill(emu::PhysAddr{kHostRam}, 112, 0);
    memory.write_u32(emu::PhysAddr{kHostRam + 2}, 0x2f);  // normal WB inner shareable
    memory.write_u32(emu::PhysAddr{kHostRam + 24}, 32);   // ep_mem_size
    memory.write_u32(emu::PhysAddr{kHostRam + 28}, 1);    // ep_count
    memory.write_u32(emu::PhysAddr{kHostRam + 32}, 48);   // ep_mem_offset
    memory.write_u32(emu::PhysAddr{kHostRam + 48}, kEcho | (2u << 16));  // receiver, RW
    memory.write_u32(emu::PhysAddr{kHostRam + 52}, 80);                  // composite_off
    memory.write_u32(emu::PhysAddr{kHostRam + 80}, 1);                   // total_pg_cnt
    memory.write_u32(emu::PhysAddr{kHostRam + 84}, 1);                   // addr_range_cnt
    memory.write_u64(emu::PhysAddr{kHostRam + 96}, address);
    memory.write_u32(emu::PhysAddr{kHostRam + 104}, 1);  // pg_cnt
    return 112;
  }
  SmcccRegs share(uint64_t address) {
    const uint32_t len = write_descriptor(address);
    return smc(emu::regs(fid::kMemShare64, len, len));
  }

  RecordingObserver el3_hops;
};

TEST_F(PkvmEl3MemoryTest, MemShare64_ThroughPkvm_ReturnsSpmcHandleAndSharesPageWithFfa) {
  ready_with_buffers();
  // Hafnium's first handle: share-state slot 0, allocator bit clear.
  EXPECT_EQ(share(kPage), emu::regs(fid::kSuccess, 0, 0, 0));
  EXPECT_EQ(pkvm->host_page_owner(kPage), PageOwner::SharedWithFfa);
  ASSERT_EQ(el3.spmc().mem_transactions().size(), 1u);
  EXPECT_EQ(el3.spmc().mem_transactions().at(0).ranges, (std::vector<fw::MemRange>{{kPage, 1}}));
  EXPECT_EQ(el3_hops.hops, (std::vector<std::string>{"spmd", "spmc:mem_share_64"}));
}

TEST_F(PkvmEl3MemoryTest, MemReclaim_ThroughPkvm_RetrievesDescriptorAndReturnsPageToHost) {
  ready_with_buffers();
  ASSERT_EQ(share(kPage).x[0], fid::kSuccess);
  EXPECT_EQ(smc(emu::regs(fid::kMemReclaim, 0, 0, 0)), emu::regs(fid::kSuccess));
  EXPECT_EQ(pkvm->host_page_owner(kPage), PageOwner::Owned);
  EXPECT_TRUE(el3.spmc().mem_transactions().empty());
  EXPECT_EQ(el3.spmc().ns_endpoint().rx_state, fw::RxState::Empty);
}

TEST_F(PkvmEl3MemoryTest, MemReclaim_WhileEchoPartitionHoldsIt_IsDeniedAndPageStaysShared) {
  ready_with_buffers();
  ASSERT_EQ(share(kPage).x[0], fid::kSuccess);
  const SmcccRegs resp =
      smc(emu::regs(fid::kMsgSendDirectReq, kEcho, 0, fw::echo::kMemRetrieve, 0, 0));
  ASSERT_EQ(resp.x[0], fid::kMsgSendDirectResp);
  ASSERT_EQ(resp.x[4], 0u);
  EXPECT_EQ(smc(emu::regs(fid::kMemReclaim, 0, 0, 0)), emu::regs(fid::kError, 0, 0xfffffffau));
  EXPECT_EQ(pkvm->host_page_owner(kPage), PageOwner::SharedWithFfa);
  EXPECT_EQ(el3.spmc().mem_transactions().size(), 1u);
}

TEST_F(PkvmEl3MemoryTest, MemShare_PageHostDoesNotOwn_DeniedAtEl2WithNothingAtEl3) {
  ready_with_buffers();
  EXPECT_EQ(share(emu::layout::kHypRamBase), ffa_err(FfaError::Denied));
  EXPECT_TRUE(el3_hops.hops.empty());
  EXPECT_TRUE(el3.spmc().mem_transactions().empty());
  EXPECT_EQ(pkvm->host_page_owner(emu::layout::kHypRamBase), PageOwner::NotHost);
}

}  // namespace
}  // namespace ffaemu::pkvm::test

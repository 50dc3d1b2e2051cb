// The proxy against the real EL3 firmware model: the driver's probe sequence (reference 4.7)
// through EL2 to the SPMD/SPMC and back.
#include "ffa_core/firmware/el3.h"
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

TEST_F(PkvmEl3Test, RxTxUnmap_UnmapsHypPairAtEl3) {
  ready();
  ASSERT_EQ(smc(emu::regs(fid::kRxTxMap64, kHostRam, kHostRam + 0x1000, 1)), ffa_ok());
  EXPECT_EQ(smc(emu::regs(fid::kRxTxUnmap)), ffa_ok());
  EXPECT_FALSE(pkvm->hyp_buffers_mapped());
  EXPECT_EQ(pkvm->host_page_owner(kHostRam), PageOwner::Owned);
}

}  // namespace
}  // namespace ffaemu::pkvm::test

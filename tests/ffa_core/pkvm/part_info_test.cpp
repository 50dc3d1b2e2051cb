// do_ffa_part_get: BUSY without a host RX, the copy from the hyp RX, ABORTED when it cannot fit.
#include "pkvm_test_support.h"

namespace ffaemu::pkvm::test {
namespace {

using ffa::FfaError;

class PartInfoTest : public PkvmTest {
 protected:
  void SetUp() override {
    install_and_finalize();
    negotiate();
  }
  // EL3 writes `count` descriptors of `size` bytes (byte i = i & 0xff) into the hyp RX, whatever
  // the flags say, so a copy the proxy should not make shows up in the host RX.
  void el3_partitions(uint32_t count, uint32_t size) {
    el3.answer(fid::kPartitionInfoGet, [this, count, size](const emu::Trap&) {
      for (uint64_t i = 0; i < uint64_t{count} * size && i < 4096; ++i) {
        uint8_t b = static_cast<uint8_t>(i);
        memory.write(emu::PhysAddr{kHypPages + 4096 + i}, std::span<const uint8_t>(&b, 1));
      }
      return ffa_ok(count, size);
    });
  }
  uint8_t host_rx_byte(uint64_t i) {
    uint8_t b = 0;
    memory.read(emu::PhysAddr{host_rx() + i}, std::span<uint8_t>(&b, 1));
    return b;
  }
};

TEST_F(PartInfoTest, PartInfoGet_WithoutHostRxBuffer_IsBusy) {
  EXPECT_EQ(smc(emu::regs(fid::kPartitionInfoGet)), ffa_err(FfaError::Busy));
  EXPECT_TRUE(el3.calls().empty());
}

TEST_F(PartInfoTest, PartInfoGet_TwoPartitions_CopiesHypRxToHostRxAndReturnsEl3Reply) {
  map_rxtx();
  el3_partitions(2, 24);
  SmcccRegs in = pattern(fid::kPartitionInfoGet, 0x100000000ull);
  in.x[5] = 0xffffffff00000000ull;  // flags 0 in w5: full descriptors
  EXPECT_EQ(smc(in), ffa_ok(2, 24));
  ASSERT_EQ(el3.calls().size(), 1u);  // no FFA_RX_RELEASE from EL2
  EXPECT_EQ(el3.calls()[0].trap.regs,
            emu::regs(fid::kPartitionInfoGet, in.w(1), in.w(2), in.w(3), in.w(4), in.w(5)));
  for (uint64_t i = 0; i < 48; ++i)
    EXPECT_EQ(host_rx_byte(i), static_cast<uint8_t>(i)) << i;
  EXPECT_EQ(host_rx_byte(48), 0);
}

TEST_F(PartInfoTest, PartInfoGet_CountOnlyFlag_DoesNotCopy) {
  map_rxtx();
  el3_partitions(2, 24);
  EXPECT_EQ(smc(emu::regs(fid::kPartitionInfoGet, 0, 0, 0, 0, 1)), ffa_ok(2, 24));
  EXPECT_EQ(host_rx_byte(1), 0);
}

TEST_F(PartInfoTest, PartInfoGet_ZeroCount_ReturnsEl3ReplyWithoutCopy) {
  map_rxtx();
  el3_partitions(0, 24);
  EXPECT_EQ(smc(emu::regs(fid::kPartitionInfoGet)), ffa_ok(0, 24));
}

TEST_F(PartInfoTest, PartInfoGet_El3Error_ReturnedUnchanged) {
  map_rxtx();
  el3.answer(fid::kPartitionInfoGet, pattern(fid::kError, 0x40));
  EXPECT_EQ(smc(emu::regs(fid::kPartitionInfoGet)), pattern(fid::kError, 0x40));
}

TEST_F(PartInfoTest, PartInfoGet_ExactlyOnePage_Copies) {
  map_rxtx();
  el3_partitions(256, 16);
  EXPECT_EQ(smc(emu::regs(fid::kPartitionInfoGet)), ffa_ok(256, 16));
  EXPECT_EQ(host_rx_byte(4095), 0xff);
}

TEST_F(PartInfoTest, PartInfoGet_DescriptorsLargerThanPage_IsAbortedWithoutCopy) {
  map_rxtx();
  el3_partitions(171, 24);  // 4104 bytes
  EXPECT_EQ(smc(emu::regs(fid::kPartitionInfoGet)), ffa_err(FfaError::Aborted));
  EXPECT_EQ(host_rx_byte(1), 0);
  EXPECT_EQ(el3.ids(), std::vector<uint32_t>{fid::kPartitionInfoGet});
}

TEST_F(PartInfoTest, PartInfoGet_SizeTimesCountWrapsU32_CopiesTheWrappedSize) {
  map_rxtx();
  el3_partitions(2, 0x80000008u);  // u32 product 16
  EXPECT_EQ(smc(emu::regs(fid::kPartitionInfoGet)), ffa_ok(2, 0x80000008u));
  EXPECT_EQ(host_rx_byte(15), 15);
  EXPECT_EQ(host_rx_byte(16), 0);
}

class PartInfoV10Test : public PartInfoTest {
 protected:
  void SetUp() override {
    install_and_finalize();
    el3.answer(fid::kVersion, emu::regs(0x10002));
    ASSERT_EQ(smc(emu::regs(fid::kVersion, 0x10000)), emu::regs(0x10000));
    el3.clear();
  }
};

TEST_F(PartInfoV10Test, PartInfoGet_V10_Copies8BytesPerPartitionIgnoringW3AndFlags) {
  map_rxtx();
  el3_partitions(3, 24);
  EXPECT_EQ(smc(emu::regs(fid::kPartitionInfoGet, 0, 0, 0, 0, 1)), ffa_ok(3, 24));
  EXPECT_EQ(host_rx_byte(23), 23);
  EXPECT_EQ(host_rx_byte(24), 0);
}

}  // namespace
}  // namespace ffaemu::pkvm::test

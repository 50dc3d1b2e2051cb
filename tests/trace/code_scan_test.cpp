// trace/code_scan.h: which words end a translation block, which runs the tracer cannot split
// with one read per block, and how their ranges are merged into few hooks.
#include "trace/code_scan.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "trace/insn_writes.h"

namespace ffaemu::trace {
namespace {

constexpr uint64_t kBase = 0x40000000;

std::vector<emu::AddressRange> scan(const std::vector<uint32_t>& words) {
  std::vector<uint8_t> bytes(words.size() * 4);
  std::memcpy(bytes.data(), words.data(), bytes.size());
  return ambiguous_runs(kBase, bytes, [](uint64_t, uint32_t word) {
    return encoded_writes(word).value_or(kAllRegs);
  });
}

TEST(CodeScan, EndsBlock_BranchesAndExceptionWordsOnly) {
  EXPECT_TRUE(ends_block(0x14000001));   // b
  EXPECT_TRUE(ends_block(0x94000001));   // bl
  EXPECT_TRUE(ends_block(0x54ffffe1));   // b.ne
  EXPECT_TRUE(ends_block(0xb4000040));   // cbz x0
  EXPECT_TRUE(ends_block(0x36000040));   // tbz w0, #0
  EXPECT_TRUE(ends_block(0xd65f03c0));   // ret
  EXPECT_TRUE(ends_block(0xd63f0020));   // blr x1
  EXPECT_TRUE(ends_block(0xd69f03e0));   // eret
  EXPECT_TRUE(ends_block(0xd4000003));   // smc #0
  EXPECT_TRUE(ends_block(0x00000000));   // udf #0
  EXPECT_FALSE(ends_block(0x91000400));  // add x0, x0, #1
  EXPECT_FALSE(ends_block(0xf9400022));  // ldr x2, [x1]
  EXPECT_FALSE(ends_block(0xd503201f));  // nop
}

TEST(CodeScan, IsTrapWord_ExceptionClassAndUdf) {
  EXPECT_TRUE(is_trap_word(0xd4000002));  // hvc #0
  EXPECT_TRUE(is_trap_word(0xd4200000));  // brk #0
  EXPECT_TRUE(is_trap_word(0x0000beef));  // udf #0xbeef
  EXPECT_FALSE(is_trap_word(0xd65f03c0));
}

TEST(CodeScan, DistinctWritesInARun_AreNotAmbiguous) {
  EXPECT_TRUE(scan({0x91000400, 0x91000421, 0xd65f03c0}).empty());  // x0, x1, ret
}

TEST(CodeScan, SameRegisterTwiceInARun_IsAmbiguousUpToTheBranch) {
  // nop-free: add x0; b +4 | add x0; add x0; ret
  auto runs = scan({0x91000400, 0x14000001, 0x91000400, 0x91000400, 0xd65f03c0});
  EXPECT_EQ(runs, (std::vector<emu::AddressRange>{{kBase + 8, kBase + 20}}));
}

TEST(CodeScan, AWriteAcrossABranch_IsNotAmbiguous) {
  EXPECT_TRUE(scan({0x91000400, 0x54000020, 0x91000400, 0xd65f03c0}).empty());  // b.eq between
}

TEST(CodeScan, TrapWord_IsAReadPoint) {
  // movz x0, #0x63; smc #0 writes x0 again, but the tracer reads before the trap.
  EXPECT_TRUE(scan({0xd2800c60, 0xd4000003, 0xd65f03c0}).empty());
}

TEST(CodeScan, RunWithNoEnd_ReachesTheEndOfTheCode) {
  auto runs = scan({0x91000400, 0x91000400});
  EXPECT_EQ(runs, (std::vector<emu::AddressRange>{{kBase, kBase + 8}}));
}

TEST(CodeScan, Coalesce_MergesCloseRangesThenTheClosestUntilFewRemain) {
  std::vector<emu::AddressRange> in = {
      {0x500, 0x510}, {0x100, 0x110}, {0x120, 0x130}, {0x1000, 0x1010}, {0x3000, 0x3010}};
  EXPECT_EQ(coalesce(in, 0x10, 8),
            (std::vector<emu::AddressRange>{
                {0x100, 0x130}, {0x500, 0x510}, {0x1000, 0x1010}, {0x3000, 0x3010}}));
  EXPECT_EQ(coalesce(in, 0x10, 2),
            (std::vector<emu::AddressRange>{{0x100, 0x1010}, {0x3000, 0x3010}}));
  EXPECT_TRUE(coalesce({}, 0x10, 2).empty());
}

}  // namespace
}  // namespace ffaemu::trace

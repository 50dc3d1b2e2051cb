// The registers an instruction can change, read from its disassembly: names in the operands (w
// and x alike), the implicit x30 of bl/blr, and everything for exception-generating instructions.
#include "trace/insn_writes.h"

#include <gtest/gtest.h>

namespace ffaemu::trace {
namespace {

constexpr uint64_t bit(int i) {
  return uint64_t{1} << i;
}
constexpr uint64_t kNzcv = bit(33);

TEST(InsnWrites, EveryNamedRegisterCountsWhetherWOrX) {
  EXPECT_EQ(written_regs("ldp", "w1, w2, [x3], #8"), bit(1) | bit(2) | bit(3) | kNzcv);
  EXPECT_EQ(written_regs("stp", "x29, x30, [sp, #-0x10]!"), bit(29) | bit(30) | bit(31) | kNzcv);
}

TEST(InsnWrites, ImmediatesVectorsAndSystemRegistersAreNotGeneralRegisters) {
  EXPECT_EQ(written_regs("movk", "x0, #0x8400, lsl #16"), bit(0) | kNzcv);
  EXPECT_EQ(written_regs("fmov", "x4, d1"), bit(4) | kNzcv);
  EXPECT_EQ(written_regs("mrs", "x2, tpidr_el1"), bit(2) | kNzcv);
  EXPECT_EQ(written_regs("add", "v0.4s, v1.4s, v2.4s"), kNzcv);
  EXPECT_EQ(written_regs("cmp", "xzr, #0x1"), kNzcv);
}

TEST(InsnWrites, BranchWithLinkWritesX30AndMsrMaySwitchSp) {
  EXPECT_EQ(written_regs("bl", "#0x40000018"), bit(30) | kNzcv);
  EXPECT_EQ(written_regs("blr", "x1"), bit(1) | bit(30) | kNzcv);
  EXPECT_EQ(written_regs("msr", "spsel, #1"), bit(31) | kNzcv);
  EXPECT_EQ(written_regs("b.ne", "#0x40000004"), kNzcv);
}

TEST(InsnWrites, ExceptionGeneratingInstructionsMayChangeEverything) {
  for (const char* m : {"smc", "hvc", "svc", "brk", "udf"})
    EXPECT_EQ(written_regs(m, "#0"), kAllRegs) << m;
  EXPECT_EQ(kAllRegs & bit(32), 0u);  // pc comes from the next instruction's address
}

}  // namespace
}  // namespace ffaemu::trace

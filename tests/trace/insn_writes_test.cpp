// The registers an instruction can change: data-processing and branch words classified from the
// encoding, the others from the registers their disassembly names.
#include "trace/insn_writes.h"

#include <gtest/gtest.h>

namespace ffaemu::trace {
namespace {

constexpr uint64_t bit(int i) {
  return uint64_t{1} << i;
}
constexpr uint64_t kSp = bit(31);
constexpr uint64_t kNzcv = bit(33);

TEST(InsnWrites, DataProcessingWritesRdAndFlagsOnlyWhenBit29IsSet) {
  EXPECT_EQ(encoded_writes(0x8b020020), bit(0));          // add x0, x1, x2
  EXPECT_EQ(encoded_writes(0xf1000400), bit(0) | kNzcv);  // subs x0, x0, #1
  EXPECT_EQ(encoded_writes(0x910003fd), bit(29));         // mov x29, sp
  EXPECT_EQ(encoded_writes(0x910043ff), kSp);             // add sp, sp, #16
  EXPECT_EQ(encoded_writes(0xd2800060), bit(0));          // movz x0, #0x3
  EXPECT_EQ(encoded_writes(0x9a9f17e4), bit(4));          // cset x4, eq
  EXPECT_EQ(encoded_writes(0xfa411800), bit(0) | kNzcv);  // ccmp x0, #1, #0, ne: #0 in Rd
  EXPECT_EQ(encoded_writes(0xf1000c1f), kSp | kNzcv);     // cmp x0, #3 (xzr read as sp)
  EXPECT_EQ(encoded_writes(0xf2b08000), bit(0) | kNzcv);  // movk: bit 29 is opc, an extra read
}

TEST(InsnWrites, BranchesWriteX30OnlyWithLink) {
  EXPECT_EQ(encoded_writes(0x94000004), bit(30));  // bl
  EXPECT_EQ(encoded_writes(0x14000004), 0u);       // b
  EXPECT_EQ(encoded_writes(0x54ffffe1), 0u);       // b.ne
  EXPECT_EQ(encoded_writes(0xb4000000), 0u);       // cbz x0
  EXPECT_EQ(encoded_writes(0x36000000), 0u);       // tbz w0, #0
  EXPECT_EQ(encoded_writes(0xd63f0020), bit(30));  // blr x1
  EXPECT_EQ(encoded_writes(0xd73f0822), bit(30));  // blraa x1, x2
  EXPECT_EQ(encoded_writes(0xd61f0020), 0u);       // br x1
  EXPECT_EQ(encoded_writes(0xd65f03c0), 0u);       // ret
}

TEST(InsnWrites, ExceptionGeneratingAndReturningWordsMayChangeEverything) {
  for (uint32_t word : {0xd4000003u, 0xd4000002u, 0xd4000001u, 0xd4200000u, 0xd69f03e0u})
    EXPECT_EQ(encoded_writes(word), kAllRegs) << std::hex << word;
  EXPECT_EQ(kAllRegs & bit(32), 0u);  // pc comes from the next instruction's address
}

TEST(InsnWrites, SystemSimdAndStructureLoadsAreLeftToTheDisassembly) {
  for (uint32_t word : {0xd538d082u, 0x9e660024u, 0x4ea28420u, 0x4c407000u})
    EXPECT_EQ(encoded_writes(word), std::nullopt) << std::hex << word;
}

TEST(InsnWrites, LoadsWriteTheirTargetsStoresNothingAndWritebackTheBase) {
  EXPECT_EQ(encoded_writes(0xf9400022), bit(2));                    // ldr x2, [x1]
  EXPECT_EQ(encoded_writes(0xf9000041), 0u);                        // str x1, [x2]
  EXPECT_EQ(encoded_writes(0xf940003f), 0u);                        // ldr xzr, [x1]
  EXPECT_EQ(encoded_writes(0xf9800020), 0u);                        // prfm pldl1keep, [x1]
  EXPECT_EQ(encoded_writes(0xfd400020), 0u);                        // ldr d0, [x1]
  EXPECT_EQ(encoded_writes(0xf8408c45), bit(5) | bit(2));           // ldr x5, [x2, #8]!
  EXPECT_EQ(encoded_writes(0xf8008441), bit(2));                    // str x1, [x2], #8
  EXPECT_EQ(encoded_writes(0xf8616843), bit(3));                    // ldr x3, [x2, x1]
  EXPECT_EQ(encoded_writes(0xf8210043), bit(3));                    // ldadd x1, x3, [x2]
  EXPECT_EQ(encoded_writes(0x28c10861), bit(1) | bit(2) | bit(3));  // ldp w1, w2, [x3], #8
  EXPECT_EQ(encoded_writes(0xa9bf7bfd), kSp);                       // stp x29, x30, [sp, #-16]!
  EXPECT_EQ(encoded_writes(0xa9400c41), bit(1) | bit(3));           // ldp x1, x3, [x2]
  EXPECT_EQ(encoded_writes(0x58000041), bit(1));                    // ldr x1, #8 (literal)
  EXPECT_EQ(encoded_writes(0xc85f7c41), bit(1));                    // ldxr x1, [x2]
  // stxr w3, x1, [x2]: exclusives take every register field (Rt, Rt2, Rs, Rs+1) as written.
  EXPECT_EQ(encoded_writes(0xc8037c41), bit(1) | bit(3) | bit(4));
}

TEST(InsnWrites, NamedRegistersCountWhetherWOrXAndLoadsStoresSetNoFlags) {
  EXPECT_EQ(named_writes(0x28c10861, "ldp", "w1, w2, [x3], #8"), bit(1) | bit(2) | bit(3));
  EXPECT_EQ(named_writes(0xa9bf7bfd, "stp", "x29, x30, [sp, #-0x10]!"), bit(29) | bit(30) | kSp);
}

TEST(InsnWrites, ImmediatesVectorsAndSystemRegistersAreNotGeneralRegisters) {
  EXPECT_EQ(written_regs(0x9e660024, "fmov", "x4, d1"), bit(4) | kNzcv);
  EXPECT_EQ(written_regs(0xd538d082, "mrs", "x2, tpidr_el1"), bit(2) | kNzcv);
  EXPECT_EQ(written_regs(0x4ea28420, "add", "v0.4s, v1.4s, v2.4s"), kNzcv);
  EXPECT_EQ(written_regs(0x1e612000, "fcmp", "d0, d1"), kNzcv);
}

TEST(InsnWrites, MsrMaySwitchSpAndSetFlags) {
  EXPECT_EQ(written_regs(0xd50041bf, "msr", "spsel, #1"), kSp | kNzcv);
  EXPECT_EQ(written_regs(0xd51b4200, "msr", "nzcv, x0"), bit(0) | kSp | kNzcv);
}

TEST(InsnWrites, UndefinedMnemonicsFromTheDisassemblyMayChangeEverything) {
  for (const char* m : {"udf", "hlt", "dcps1", "drps"})
    EXPECT_EQ(named_writes(0, m, "#0"), kAllRegs) << m;
}

}  // namespace
}  // namespace ffaemu::trace

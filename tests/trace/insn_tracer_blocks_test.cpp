// Block-level tracing: registers read once per block and at each trap must give the deltas an
// instruction-by-instruction reference gives, runs it cannot split are observed per instruction,
// and a run that stops inside a block writes exactly the instructions that ran.
#include <gtest/gtest.h>

#include <array>
#include <cstring>
#include <optional>
#include <random>
#include <utility>

#include "emu/disasm.h"
#include "trace/insn_tracer.h"
#include "trace/insn_writes.h"

#include "tests/trace/trace_fixture.h"

namespace ffaemu::trace::testing {
namespace {

constexpr uint32_t kRet = 0xd65f03c0;

struct Traced {
  std::vector<InsnCopy> insns;
  std::vector<emu::AddressRange> observed;
  emu::RunResult result;
};

Traced trace(GuestRun& guest, InsnTracerOptions options, emu::RunOptions run = {}) {
  RecordingWriter writer;
  InsnTracer tracer(guest.engine, writer, options);
  guest.engine.reset_cpu();
  emu::RunResult result = guest.engine.run(kCodeBase, run);
  return {writer.insns, tracer.observed(), result};
}

// Data-processing words (immediate and register classes) that Capstone accepts and whose write
// sets (insn_writes.h) do not overlap: a block the tracer reads once, at its end.
std::vector<uint32_t> disjoint_block(const emu::Disassembler& disasm, std::mt19937& rng,
                                     size_t count) {
  std::vector<uint32_t> words;
  uint64_t written = uint64_t{1} << 30;  // keep x30 for the ret
  for (int tries = 0; words.size() < count && tries < 10000; ++tries) {
    uint32_t word = static_cast<uint32_t>(rng());
    word = (rng() & 1) ? (word & ~0x1c000000u) | 0x10000000u   // op0 100x
                       : (word & ~0x0e000000u) | 0x0a000000u;  // op0 x101
    uint64_t writes = *encoded_writes(word);
    if (writes & written) continue;
    uint8_t bytes[4];
    std::memcpy(bytes, &word, 4);
    if (!disasm.decode(kCodeBase, bytes)) continue;
    words.push_back(word);
    written |= writes;
  }
  words.push_back(kRet);
  return words;
}

TEST(InsnTracerBlocks, RandomBlocksReadOnceAtTheirEnd_GiveTheReferenceDeltas) {
  emu::Disassembler disasm;
  GuestRun guest;
  std::mt19937 rng(20261125);
  size_t compared = 0;
  for (uint64_t program = 0; program < 200; ++program) {
    guest.load(disjoint_block(disasm, rng, 12));
    emu::RunOptions run;
    std::mt19937_64 args(program);
    for (std::optional<uint64_t>& arg : run.args)
      arg = args();
    Traced fast = trace(guest, {}, run);
    Traced full = trace(guest, {.read_all_registers = true}, run);
    ASSERT_TRUE(fast.observed.empty()) << "program " << program;
    ASSERT_EQ(fast.insns.size(), full.insns.size());
    for (size_t i = 0; i < fast.insns.size(); ++i) {
      ASSERT_EQ(fast.insns[i].deltas, full.insns[i].deltas)
          << fast.insns[i].disasm << " (" << std::hex << fast.insns[i].word << ")";
      ASSERT_EQ(fast.insns[i].before.r, full.insns[i].before.r) << fast.insns[i].disasm;
    }
    compared += fast.insns.size();
  }
  EXPECT_GT(compared, 1500u);
}

// Random general-purpose loads and stores (unsigned offset, register and indexed forms, pairs,
// exclusives) on base x2, which points into the zeroed data region: the encoded write sets must
// miss nothing reading every register sees. A word that faults ends its program; both traces
// include it.
TEST(InsnTracerBlocks, RandomLoadsAndStores_GiveTheReferenceDeltas) {
  constexpr std::array<std::pair<uint32_t, uint32_t>, 4> kClasses = {{
      {0x3b000000, 0x39000000},
      {0x3b000000, 0x38000000},
      {0x3a000000, 0x28000000},
      {0x3f000000, 0x08000000},
  }};
  emu::Disassembler disasm;
  GuestRun guest;
  std::mt19937 rng(7);
  size_t compared = 0;
  size_t with_writeback = 0;
  for (uint64_t program = 0; program < 400; ++program) {
    std::vector<uint32_t> words = {0xd503305f};  // clrex: no exclusive monitor left from before
    while (words.size() < 4) {
      auto [mask, value] = kClasses[rng() % kClasses.size()];
      uint32_t word = (static_cast<uint32_t>(rng()) & ~mask) | value;
      word = (word & ~(31u << 5)) | (2u << 5);  // base x2
      word &= ~(1u << 26);  // general-purpose registers: SIMD state is not reset between runs
      uint8_t bytes[4];
      std::memcpy(bytes, &word, 4);
      if (disasm.decode(kCodeBase, bytes)) words.push_back(word);
    }
    words.push_back(kRet);
    guest.load(words);
    emu::RunOptions run;
    run.args[2] = kDataBase + 0x8000;
    std::vector<InsnCopy> runs[2];
    for (int full = 0; full < 2; ++full) {
      guest.engine.memory().fill(emu::PhysAddr{kDataBase}, emu::layout::kDataSize, 0x5a);
      runs[full] = trace(guest, {.read_all_registers = full == 1}, run).insns;
    }
    ASSERT_EQ(runs[0].size(), runs[1].size());
    for (size_t i = 0; i < runs[0].size(); ++i) {
      ASSERT_EQ(runs[0][i].deltas, runs[1][i].deltas)
          << runs[0][i].disasm << " (" << std::hex << runs[0][i].word << ")";
      ASSERT_EQ(runs[0][i].memory, runs[1][i].memory) << runs[0][i].disasm;
      for (const RegDelta& d : runs[0][i].deltas)
        with_writeback += d.reg == 2;
    }
    compared += runs[0].size();
  }
  EXPECT_GT(compared, 600u);
  EXPECT_GT(with_writeback, 50u);
}

TEST(InsnTracerBlocks, TwoWritesToOneRegister_AreObservedPerInstructionAndBothSeen) {
  GuestRun guest;
  guest.load({0x91000400, 0x91000400, kRet});  // add x0, x0, #1 (twice); ret
  Traced t = trace(guest, {});
  EXPECT_EQ(t.observed, (std::vector<emu::AddressRange>{{kCodeBase, kCodeBase + 12}}));
  ASSERT_EQ(t.insns.size(), 3u);
  EXPECT_EQ(t.insns[0].deltas, (std::vector<RegDelta>{{0, 0, 1}}));
  EXPECT_EQ(t.insns[1].deltas, (std::vector<RegDelta>{{0, 1, 2}}));
}

TEST(InsnTracerBlocks, RegisterSetBeforeAnSmc_KeepsItsOwnValueApartFromTheReply) {
  GuestRun guest;
  guest.load({0xd2a00021, 0xd4000003, kRet});  // movz x1, #0x1, lsl #16; smc #0; ret
  emu::RunOptions run;
  run.args[0] = 0x84000063;
  Traced t = trace(guest, {}, run);
  ASSERT_TRUE(t.result.exited());
  EXPECT_TRUE(t.observed.empty());  // the trap is a read point: x1 is not ambiguous
  ASSERT_EQ(t.insns.size(), 3u);
  EXPECT_EQ(t.insns[0].deltas, (std::vector<RegDelta>{{1, 0, 0x10000}}));
  EXPECT_EQ(t.insns[1].deltas, (std::vector<RegDelta>{{0, 0x84000063, 0x10002}}));
}

TEST(InsnTracerBlocks, BudgetStopInsideABlock_WritesOnlyTheInstructionsThatRan) {
  GuestRun guest;
  // loop: add x1, x1, #1; add x2, x2, #1; add x3, x3, #1; b loop
  guest.load({0x91000421, 0x91000442, 0x91000463, 0x17fffffd});
  emu::RunOptions run;
  run.budget = 6;
  Traced t = trace(guest, {}, run);
  ASSERT_TRUE(t.result.fault);
  EXPECT_EQ(t.result.fault->kind, emu::FaultKind::BudgetExhausted);
  EXPECT_EQ(t.result.fault->pc, kCodeBase + 8);
  ASSERT_EQ(t.insns.size(), 6u);
  EXPECT_EQ(
      t.insns[3].deltas,
      (std::vector<RegDelta>{{static_cast<uint8_t>(emu::Reg::Pc), kCodeBase + 12, kCodeBase}}));
  EXPECT_EQ(t.insns[5].pc, kCodeBase + 4);
  EXPECT_EQ(t.insns[5].deltas, (std::vector<RegDelta>{{2, 1, 2}}));
}

TEST(InsnTracerBlocks, MemoryFaultInsideABlock_EndsWithTheFaultingLoad) {
  GuestRun guest;
  // movz x3, #0x1; ldr x4, [x1]; movz x5, #0x2; ret
  guest.load({0xd2800023, 0xf9400024, 0xd2800045, kRet});
  emu::RunOptions run;
  run.args[1] = 0x1000;
  Traced t = trace(guest, {}, run);
  ASSERT_TRUE(t.result.fault);
  EXPECT_EQ(t.result.fault->kind, emu::FaultKind::ReadUnmapped);
  ASSERT_EQ(t.insns.size(), 2u);
  EXPECT_EQ(t.insns[0].deltas, (std::vector<RegDelta>{{3, 0, 1}}));
  EXPECT_EQ(t.insns[1].pc, kCodeBase + 4);
  EXPECT_TRUE(t.insns[1].deltas.empty());
}

TEST(InsnTracerBlocks, AccessesGoToTheInstructionThatMadeThemWithinOneBlock) {
  GuestRun guest;
  // str x1, [x2]; movz x5, #0x7; ldr x3, [x2]; str x5, [x2, #8]; ret
  guest.load({0xf9000041, 0xd28000e5, 0xf9400043, 0xf9000445, kRet});
  emu::RunOptions run;
  run.args[1] = 0xabc;
  run.args[2] = kDataBase;
  Traced t = trace(guest, {}, run);
  ASSERT_EQ(t.insns.size(), 5u);
  EXPECT_TRUE(t.observed.empty());
  EXPECT_EQ(t.insns[0].memory, (std::vector<MemAccess>{{true, kDataBase, 8, 0xabc}}));
  EXPECT_TRUE(t.insns[1].memory.empty());
  EXPECT_EQ(t.insns[2].memory, (std::vector<MemAccess>{{false, kDataBase, 8, 0xabc}}));
  EXPECT_EQ(t.insns[3].memory, (std::vector<MemAccess>{{true, kDataBase + 8, 8, 0x7}}));
}

TEST(InsnTracerBlocks, CodeLoadedAfterAttach_IsScannedBeforeItRuns) {
  GuestRun guest;
  RecordingWriter writer;
  InsnTracer tracer(guest.engine, writer);
  EXPECT_TRUE(tracer.observed().empty());
  guest.load({0x91000400, 0x91000400, kRet});
  EXPECT_EQ(tracer.observed(), (std::vector<emu::AddressRange>{{kCodeBase, kCodeBase + 12}}));
  ASSERT_TRUE(guest.engine.run(kCodeBase).exited());
  ASSERT_EQ(writer.insns.size(), 3u);
  EXPECT_EQ(writer.insns[1].deltas, (std::vector<RegDelta>{{0, 1, 2}}));
}

}  // namespace
}  // namespace ffaemu::trace::testing

// InsnTracer on a real emu::Engine: deltas belong to the instruction that made them, memory
// accesses carry their values, disassembly is decoded once per address until the code changes.
#include "trace/insn_tracer.h"

#include <gtest/gtest.h>

#include <cstring>
#include <optional>
#include <random>

#include "emu/disasm.h"

#include "tests/trace/trace_fixture.h"

namespace ffaemu::trace::testing {
namespace {

using emu::Reg;

constexpr uint8_t kPcIndex = static_cast<uint8_t>(Reg::Pc);

emu::RunOptions with_data_pointer() {
  emu::RunOptions options;
  options.args[2] = kDataBase;
  return options;
}

class InsnTracerTest : public ::testing::Test {
 protected:
  void run_version_guest() {
    guest.load(kVersionGuest);
    emu::RunResult r = guest.run(writer, true);
    ASSERT_TRUE(r.exited()) << (r.fault ? r.fault->message() : "");
  }
  GuestRun guest;
  RecordingWriter writer;
};

TEST_F(InsnTracerTest, MovDeltaShowsTheDestinationRegisterChanging) {
  run_version_guest();
  ASSERT_EQ(writer.insns.size(), 9u);
  const InsnCopy& mov = writer.insns[0];
  EXPECT_EQ(mov.pc, kCodeBase);
  EXPECT_EQ(mov.word, 0xd2800c60u);
  EXPECT_EQ(mov.disasm, "movz x0, #0x63");
  EXPECT_EQ(mov.deltas, (std::vector<RegDelta>{{0, 0x0, 0x63}}));
  EXPECT_EQ(writer.insns[1].deltas, (std::vector<RegDelta>{{0, 0x63, 0x84000063}}));
}

TEST_F(InsnTracerTest, SmcDeltaIsTheResultTheModelsWroteBack) {
  run_version_guest();
  const InsnCopy& smc = writer.insns[4];
  EXPECT_EQ(smc.disasm, "smc #0");
  EXPECT_EQ(smc.deltas, (std::vector<RegDelta>{{0, 0x84000063, 0x10002}}));
  EXPECT_EQ(smc.before.x(0), 0x84000063u);
}

TEST_F(InsnTracerTest, StoreRecordsAddressSizeAndValueWithNoRegisterDelta) {
  run_version_guest();
  const InsnCopy& str = writer.insns[6];
  EXPECT_EQ(str.disasm, "str x1, [x2]");
  EXPECT_TRUE(str.deltas.empty());
  EXPECT_EQ(str.memory, (std::vector<MemAccess>{{true, kDataBase, 8, 0x10004}}));
}

TEST_F(InsnTracerTest, LoadRecordsTheValueReadAndTheRegisterItFilled) {
  run_version_guest();
  const InsnCopy& ldr = writer.insns[7];
  EXPECT_EQ(ldr.memory, (std::vector<MemAccess>{{false, kDataBase, 8, 0x10004}}));
  EXPECT_EQ(ldr.deltas, (std::vector<RegDelta>{{3, 0x0, 0x10004}}));
}

TEST_F(InsnTracerTest, PcDeltaOnlyWhenTheNextPcIsNotSequential) {
  run_version_guest();
  for (size_t i = 0; i + 1 < writer.insns.size(); ++i) {
    for (const RegDelta& d : writer.insns[i].deltas)
      EXPECT_NE(d.reg, kPcIndex) << writer.insns[i].disasm;
  }
  EXPECT_EQ(writer.insns.back().deltas,
            (std::vector<RegDelta>{{kPcIndex, kCodeBase + 0x20, emu::layout::kExitAddress}}));
}

TEST_F(InsnTracerTest, LastInstructionIsWrittenWhenTheRunEndsAndFlushAddsNothing) {
  guest.load(kVersionGuest);
  InsnTracer tracer(guest.engine, writer);
  ASSERT_TRUE(guest.engine.run(kCodeBase, with_data_pointer()).exited());
  ASSERT_EQ(writer.insns.size(), 9u);
  tracer.flush();
  ASSERT_EQ(writer.insns.size(), 9u);
  EXPECT_EQ(writer.insns.back().disasm, "ret");
  EXPECT_EQ(tracer.instructions(), 9u);
}

TEST_F(InsnTracerTest, CallIsWrittenAfterTheSmcThatRaisedItInIssueOrder) {
  run_version_guest();
  std::vector<std::string> expected = {"insn movz x0, #0x63",
                                       "insn movk x0, #0x8400, lsl #16",
                                       "insn movz x1, #0x2",
                                       "insn movk x1, #0x1, lsl #16",
                                       "insn smc #0",
                                       "call 1",  // pKVM's own smc completes first
                                       "call 0",
                                       "insn add x1, x0, #2",
                                       "insn str x1, [x2]",
                                       "insn ldr x3, [x2]",
                                       "insn ret"};
  EXPECT_EQ(writer.order, expected);
}

TEST_F(InsnTracerTest, BootEventFlushesThePendingInstructionFirst) {
  guest.load(kVersionGuest);
  InsnTracer tracer(guest.engine, writer);
  ASSERT_TRUE(guest.engine.run(kCodeBase, with_data_pointer()).exited());
  tracer.boot({BootKind::Log, "", "after-run", std::nullopt, "done"});
  ASSERT_GE(writer.order.size(), 2u);
  EXPECT_EQ(writer.order[writer.order.size() - 2], "insn ret");
  EXPECT_EQ(writer.order.back(), "boot after-run");
}

TEST_F(InsnTracerTest, EachAddressIsDecodedOnceAcrossLoopIterations) {
  guest.load(kLoopGuest);
  InsnTracer tracer(guest.engine, writer);
  ASSERT_TRUE(guest.engine.run(kCodeBase).exited());
  tracer.flush();
  EXPECT_EQ(tracer.instructions(), 8u);  // movz, 3 x (subs, b.ne), ret
  EXPECT_EQ(tracer.decodes(), 4u);
  EXPECT_EQ(writer.insns[2].disasm, "b.ne #0x40000004");
  EXPECT_EQ(writer.insns[2].deltas,
            (std::vector<RegDelta>{{kPcIndex, kCodeBase + 8, kCodeBase + 4}}));
}

TEST_F(InsnTracerTest, ReloadedCodeAtTheSameAddressIsDecodedAfresh) {
  InsnTracer tracer(guest.engine, writer);
  guest.load({0xd2800023, 0xd65f03c0});  // movz x3, #0x1; ret
  ASSERT_TRUE(guest.engine.run(kCodeBase).exited());
  tracer.flush();
  guest.load({0xd2800043, 0xd65f03c0});  // movz x3, #0x2; ret
  ASSERT_TRUE(guest.engine.run(kCodeBase).exited());
  tracer.flush();
  ASSERT_EQ(writer.insns.size(), 4u);
  EXPECT_EQ(writer.insns[0].disasm, "movz x3, #0x1");
  EXPECT_EQ(writer.insns[2].disasm, "movz x3, #0x2");
  EXPECT_EQ(writer.insns[2].deltas, (std::vector<RegDelta>{{3, 0x1, 0x2}}));
  EXPECT_EQ(tracer.decodes(), 3u);  // the two movz words and one ret
}

TEST(InsnTracerSelfModifying, GuestStoreIntoCodeIsDisassembledAfresh) {
  std::vector<emu::RegionSpec> regions = emu::layout::default_regions();
  for (emu::RegionSpec& r : regions) {
    if (r.kind == emu::RegionKind::Code) r.perms |= emu::kWrite;
  }
  GuestRun guest(regions);
  guest.load({
      0xb9000041,  // str w1, [x2]
      0x14000001,  // b 0x40000008
      0xd503201f,  // nop (patched by the str)
      0xd65f03c0,  // ret
  });
  RecordingWriter writer;
  InsnTracer tracer(guest.engine, writer);
  for (uint64_t word : {0xd2800023u, 0xd2800043u}) {  // movz x3, #0x1; movz x3, #0x2
    emu::RunOptions options;
    options.args[1] = word;
    options.args[2] = kCodeBase + 8;
    ASSERT_TRUE(guest.engine.run(kCodeBase, options).exited());
    tracer.flush();
  }
  ASSERT_EQ(writer.insns.size(), 8u);
  EXPECT_EQ(writer.insns[2].disasm, "movz x3, #0x1");
  EXPECT_EQ(writer.insns[6].disasm, "movz x3, #0x2");
  EXPECT_EQ(writer.insns[6].deltas, (std::vector<RegDelta>{{3, 0x1, 0x2}}));
  EXPECT_EQ(writer.insns[4].memory, (std::vector<MemAccess>{{true, kCodeBase + 8, 4, 0xd2800043}}));
}

TEST(InsnTracerAttach, NoInstructionIsSeenOnceTheTracerIsGone) {
  GuestRun guest;
  guest.load(kLoopGuest);
  RecordingWriter writer;
  { InsnTracer tracer(guest.engine, writer); }
  ASSERT_TRUE(guest.engine.run(kCodeBase).exited());
  EXPECT_TRUE(writer.insns.empty());
}

}  // namespace
}  // namespace ffaemu::trace::testing

namespace ffaemu::trace::testing {
namespace {

// Writeback, calls, flags and system-register reads: registers an instruction changes without
// naming them in the obvious place.
const std::vector<uint32_t> kMixedGuest = {
    0xa9bf7bfd,  // stp x29, x30, [sp, #-0x10]!
    0x910003fd,  // mov x29, sp
    0x94000004,  // bl 0x40000018
    0xa8c17bfd,  // ldp x29, x30, [sp], #0x10
    0xf1000c1f,  // cmp x0, #3
    0xd65f03c0,  // ret
    0xd2800060,  // movz x0, #0x3
    0x9a9f17e4,  // cset x4, eq
    0xf8408c45,  // ldr x5, [x2, #0x8]!
    0xd53b4206,  // mrs x6, nzcv
    0xd65f03c0,  // ret
};

std::vector<InsnCopy> trace_mixed(InsnTracerOptions options) {
  GuestRun guest;
  guest.load(kMixedGuest);
  guest.engine.memory().write_u64(emu::PhysAddr{kDataBase + 8}, 0x1234);
  RecordingWriter writer;
  InsnTracer tracer(guest.engine, writer, options);
  emu::RunOptions run;
  run.args[2] = kDataBase;
  EXPECT_TRUE(guest.engine.run(kCodeBase, run).exited());
  tracer.flush();
  return writer.insns;
}

TEST(InsnTracerRegisterReads, NamedRegisterReadsGiveTheSameDeltasAsReadingEverything) {
  std::vector<InsnCopy> fast = trace_mixed({});
  std::vector<InsnCopy> full = trace_mixed({.read_all_registers = true});
  ASSERT_EQ(fast.size(), 11u);
  ASSERT_EQ(fast.size(), full.size());
  for (size_t i = 0; i < fast.size(); ++i) {
    EXPECT_EQ(fast[i].disasm, full[i].disasm);
    EXPECT_EQ(fast[i].deltas, full[i].deltas) << fast[i].disasm;
    EXPECT_EQ(fast[i].memory, full[i].memory) << fast[i].disasm;
    EXPECT_EQ(fast[i].before.r, full[i].before.r) << fast[i].disasm;
  }
}

// Random data-processing words (immediate and register classes) that Capstone accepts, with Rd
// other than x30 so the closing ret still returns: the encoding-based write sets
// (trace/insn_writes.h) must miss nothing that reading every register sees.
std::vector<uint32_t> random_data_processing(const emu::Disassembler& disasm, std::mt19937& rng,
                                             size_t count) {
  std::vector<uint32_t> words;
  while (words.size() < count) {
    uint32_t word = static_cast<uint32_t>(rng());
    word = (rng() & 1) ? (word & ~0x1c000000u) | 0x10000000u   // op0 100x
                       : (word & ~0x0e000000u) | 0x0a000000u;  // op0 x101
    if ((word & 31) == 30) continue;
    uint8_t bytes[4];
    std::memcpy(bytes, &word, 4);
    if (disasm.decode(kCodeBase, bytes)) words.push_back(word);
  }
  words.push_back(0xd65f03c0);  // ret
  return words;
}

// From zeroed registers with random x0-x7; a word Unicorn refuses ends the run early.
std::vector<InsnCopy> trace_words(GuestRun& guest, uint64_t seed, InsnTracerOptions options) {
  RecordingWriter writer;
  InsnTracer tracer(guest.engine, writer, options);
  std::mt19937_64 rng(seed);
  emu::RunOptions run;
  for (std::optional<uint64_t>& arg : run.args)
    arg = rng();
  guest.engine.reset_cpu();
  guest.engine.run(kCodeBase, run);
  tracer.flush();
  return writer.insns;
}

TEST(InsnTracerRegisterReads, RandomDataProcessingWordsGiveTheSameDeltasAsReadingEverything) {
  emu::Disassembler disasm;
  GuestRun guest;
  std::mt19937 rng(20261125);
  size_t compared = 0;
  for (uint64_t program = 0; program < 200; ++program) {
    guest.load(random_data_processing(disasm, rng, 16));
    std::vector<InsnCopy> fast = trace_words(guest, program, {});
    std::vector<InsnCopy> full = trace_words(guest, program, {.read_all_registers = true});
    ASSERT_EQ(fast.size(), full.size());
    for (size_t i = 0; i < fast.size(); ++i) {
      ASSERT_EQ(fast[i].deltas, full[i].deltas)
          << fast[i].disasm << " (" << std::hex << fast[i].word << ")";
    }
    compared += fast.size();
  }
  EXPECT_GT(compared, 2000u);  // most words ran: Capstone and Unicorn agree on what is valid
}

TEST(InsnTracerRegisterReads, WritebackCallAndFlagDeltasAreSeen) {
  std::vector<InsnCopy> t = trace_mixed({});
  uint64_t sp = emu::layout::kStackBase + emu::layout::kStackSize;
  constexpr uint8_t kSp = 31, kPc = 32, kNzcv = 33;
  EXPECT_EQ(t[0].deltas, (std::vector<RegDelta>{{kSp, sp, sp - 16}}));
  EXPECT_EQ(t[0].memory, (std::vector<MemAccess>{{true, sp - 16, 8, 0},
                                                 {true, sp - 8, 8, emu::layout::kExitAddress}}));
  EXPECT_EQ(t[2].deltas, (std::vector<RegDelta>{{30, emu::layout::kExitAddress, kCodeBase + 12},
                                                {kPc, kCodeBase + 8, kCodeBase + 0x18}}));
  EXPECT_EQ(t[4].disasm, "cset x4, eq");
  EXPECT_EQ(t[4].deltas, (std::vector<RegDelta>{{4, 0, 1}}));
  EXPECT_EQ(t[5].deltas, (std::vector<RegDelta>{{2, kDataBase, kDataBase + 8}, {5, 0, 0x1234}}));
  EXPECT_EQ(t[6].deltas, (std::vector<RegDelta>{{6, 0, 0x40000000}}));
  EXPECT_EQ(t[9].disasm, "cmp x0, #3");
  EXPECT_EQ(t[9].deltas, (std::vector<RegDelta>{{kNzcv, 0x40000000, 0x60000000}}));
}

}  // namespace
}  // namespace ffaemu::trace::testing

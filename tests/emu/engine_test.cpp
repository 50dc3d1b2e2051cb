// Engine behaviour with hand-encoded guests: the assembly sits next to each word, as in Unicorn's
// tests/unit/test_arm64.c, so these tests do not depend on the assembler.
#include "emu/engine.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

#include "emu/layout.h"

namespace ffaemu::emu {
namespace {

using layout::kCodeBase;

constexpr uint32_t kNop = 0xd503201f;
constexpr uint32_t kRet = 0xd65f03c0;
constexpr uint32_t kSmc0 = 0xd4000003;
constexpr uint32_t kSmc42 = 0xd4000843;  // smc #0x42
constexpr uint32_t kHvc7 = 0xd40000e2;   // hvc #0x7
constexpr uint32_t kLdrX2X1 = 0xf9400022;
constexpr uint32_t kStrX2X1 = 0xf9000022;
constexpr uint32_t kBrX1 = 0xd61f0020;
constexpr uint32_t kUdf0 = 0x00000000;
constexpr uint32_t kBrk3 = 0xd4200060;
constexpr uint32_t kWfi = 0xd503207f;
constexpr uint32_t kBSelf = 0x14000000;  // b .
constexpr uint32_t kSvc0 = 0xd4000001;
constexpr uint32_t kSubsX19 = 0xf1000673;   // subs x19, x19, #1
constexpr uint32_t kBneBack2 = 0x54ffffc1;  // b.ne .-8

class RecordingHandler : public TrapHandler {
 public:
  TrapReply on_trap(const Trap& trap) override {
    traps.push_back(trap);
    if (throw_on_trap) throw std::runtime_error("model failed");
    return TrapReply{reply, action};
  }
  std::vector<Trap> traps;
  SmcccRegs reply = regs(0x1234);
  TrapAction action = TrapAction::Resume;
  bool throw_on_trap = false;
};

class EngineTest : public ::testing::Test {
 protected:
  void load(std::vector<uint32_t> words) {
    std::vector<uint8_t> bytes(words.size() * 4);
    std::memcpy(bytes.data(), words.data(), bytes.size());
    engine.load(kCodeBase, bytes);
  }
  RunResult run(RunOptions options = {}) { return engine.run(kCodeBase, options); }

  std::vector<RegionSpec> regions = layout::default_regions();
  Engine engine{regions};
  RecordingHandler handler;
  void SetUp() override { engine.set_trap_handler(&handler); }
};

SmcccRegs pattern(uint64_t seed) {
  SmcccRegs r;
  for (int i = 0; i < kSmcccRegCount; ++i)
    r.x[i] = seed * 0x0101010101010101ull + i;
  return r;
}

TEST_F(EngineTest, Smc_TrapCarriesConduitImmediatePcElAndRegisters) {
  load({kNop, kSmc42, kRet});
  RunOptions options;
  options.args[0] = 0xC4000066;
  options.args[1] = 0xdeadbeef00001000;
  options.args[7] = 0x77;
  RunResult r = run(options);
  ASSERT_TRUE(r.exited()) << (r.fault ? r.fault->message() : "");
  ASSERT_EQ(handler.traps.size(), 1u);
  const Trap& t = handler.traps[0];
  EXPECT_EQ(t.conduit, ConduitKind::Smc);
  EXPECT_EQ(t.imm, 0x42);
  EXPECT_EQ(t.pc, kCodeBase + 4);
  EXPECT_EQ(t.el, 1);
  EXPECT_EQ(t.regs.x[0], 0xC4000066u);
  EXPECT_EQ(t.regs.x[1], 0xdeadbeef00001000u);
  EXPECT_EQ(t.regs.x[7], 0x77u);
  EXPECT_EQ(r.traps, 1u);
}

TEST_F(EngineTest, Hvc_WithEl2Present_TrapsAsHvcWithImmediate) {
  load({kHvc7, kRet});
  RunResult r = run();
  ASSERT_TRUE(r.exited());
  ASSERT_EQ(handler.traps.size(), 1u);
  EXPECT_EQ(handler.traps[0].conduit, ConduitKind::Hvc);
  EXPECT_EQ(handler.traps[0].imm, 7);
  EXPECT_EQ(handler.traps[0].pc, kCodeBase);
}

TEST_F(EngineTest, Hvc_WithoutEl2_IsUndefinedInstructionAtTheHvc) {
  engine.set_el2_present(false);
  load({kNop, kHvc7, kRet});
  RunResult r = run();
  ASSERT_EQ(r.reason, StopReason::Fault);
  EXPECT_EQ(r.fault->kind, FaultKind::UndefinedInstruction);
  EXPECT_EQ(r.fault->pc, kCodeBase + 4);
  EXPECT_EQ(r.fault->disasm, "hvc #0x7");
  EXPECT_NE(r.fault->detail.find("no EL2"), std::string::npos);
  EXPECT_TRUE(handler.traps.empty());
}

TEST_F(EngineTest, Reply_IsWrittenBackToX0X17Exactly) {
  load({kSmc0, kRet});
  handler.reply = pattern(0xa5);
  handler.reply.x[0] = 0x00000000ffffffff;  // a zero-extended 32-bit -1 stays zero-extended
  RunResult r = run();
  ASSERT_TRUE(r.exited());
  CpuRegs cpu = engine.cpu();
  for (int i = 0; i < kSmcccRegCount; ++i)
    EXPECT_EQ(cpu.x(i), handler.reply.x[i]) << "x" << i;
}

TEST_F(EngineTest, Smc32Arguments_ReachTheHandlerWithUpperHalvesUntouched) {
  load({kSmc0, kRet});
  RunOptions options;
  options.args[0] = 0x84000066;
  options.args[1] = 0xffffffff80001000;
  RunResult r = run(options);
  ASSERT_TRUE(r.exited());
  EXPECT_EQ(handler.traps[0].regs.x[1], 0xffffffff80001000u);
  EXPECT_EQ(handler.traps[0].regs.w(1), 0x80001000u);
  EXPECT_FALSE(handler.traps[0].regs.function_id().smc64());
}

TEST_F(EngineTest, Call_PreservesX18ToX30AndSp) {
  load({kSmc0, kRet});
  for (int i = 18; i <= 29; ++i)
    engine.set_reg(i, 0xbad0000000000000ull | i);
  handler.reply = pattern(0x3c);
  RunOptions options;
  options.sp = layout::kStackBase + 0x8000;
  RunResult r = run(options);
  ASSERT_TRUE(r.exited());
  CpuRegs cpu = engine.cpu();
  for (int i = 18; i <= 29; ++i)
    EXPECT_EQ(cpu.x(i), 0xbad0000000000000ull | i) << "x" << i;
  EXPECT_EQ(cpu.x(30), layout::kExitAddress);
  EXPECT_EQ(cpu.sp(), layout::kStackBase + 0x8000);
}

TEST_F(EngineTest, TrapsInALoop_AreAllDeliveredInOneRun) {
  load({kSmc0, kSubsX19, kBneBack2, kRet});
  engine.set_reg(19, 5);
  RunResult r = run();
  ASSERT_TRUE(r.exited());
  EXPECT_EQ(r.traps, 5u);
  EXPECT_EQ(handler.traps.size(), 5u);
}

TEST_F(EngineTest, StopAction_EndsTheRunAfterTheCall) {
  load({kSmc0, kNop, kRet});
  handler.action = TrapAction::Stop;
  RunResult r = run();
  EXPECT_EQ(r.reason, StopReason::Stopped);
  EXPECT_EQ(r.pc, kCodeBase + 4);
  EXPECT_EQ(engine.reg(0), 0x1234u);
}

TEST_F(EngineTest, NoHandler_SmcIsAnUnhandledExceptionFault) {
  engine.set_trap_handler(nullptr);
  load({kSmc0, kRet});
  RunResult r = run();
  ASSERT_EQ(r.reason, StopReason::Fault);
  EXPECT_EQ(r.fault->kind, FaultKind::UnhandledException);
  EXPECT_EQ(r.fault->pc, kCodeBase);
  EXPECT_NE(r.fault->detail.find("no trap handler"), std::string::npos);
}

TEST_F(EngineTest, HandlerException_IsRethrownAndEngineStaysUsable) {
  load({kSmc0, kRet});
  handler.throw_on_trap = true;
  EXPECT_THROW(run(), std::runtime_error);
  handler.throw_on_trap = false;
  EXPECT_TRUE(run().exited());
}

struct FaultCase {
  const char* name;
  std::vector<uint32_t> words;
  uint64_t x1;
  FaultKind kind;
  uint64_t pc_offset;
  uint64_t address;
  uint32_t size;
  const char* disasm;
};

class EngineFaultTest : public EngineTest, public ::testing::WithParamInterface<FaultCase> {};

TEST_P(EngineFaultTest, Fault_ReportsKindExactPcAddressAndInstruction) {
  const FaultCase& c = GetParam();
  load(c.words);
  RunOptions options;
  options.args[1] = c.x1;
  options.budget = 1000;
  RunResult r = run(options);
  ASSERT_EQ(r.reason, StopReason::Fault);
  const Fault& f = *r.fault;
  EXPECT_EQ(f.kind, c.kind) << f.message();
  EXPECT_EQ(f.pc, kCodeBase + c.pc_offset) << f.message();
  EXPECT_TRUE(f.pc_exact);
  EXPECT_EQ(f.address, c.address);
  EXPECT_EQ(f.size, c.size);
  EXPECT_EQ(f.disasm, c.disasm);
  // The engine is usable for the next run.
  load({kNop, kRet});
  EXPECT_TRUE(run().exited());
}

INSTANTIATE_TEST_SUITE_P(
    AllKinds, EngineFaultTest,
    ::testing::Values(
        FaultCase{"ReadUnmapped",
                  {kNop, kNop, kLdrX2X1, kRet},
                  0x1000,
                  FaultKind::ReadUnmapped,
                  8,
                  0x1000,
                  8,
                  "ldr x2, [x1]"},
        FaultCase{"WriteUnmapped",
                  {kNop, kStrX2X1, kRet},
                  0x2008,
                  FaultKind::WriteUnmapped,
                  4,
                  0x2008,
                  8,
                  "str x2, [x1]"},
        FaultCase{"WriteReadOnly",
                  {kNop, kNop, kNop, kStrX2X1, kRet},
                  kCodeBase + 0x100,
                  FaultKind::WriteProtected,
                  12,
                  kCodeBase + 0x100,
                  8,
                  "str x2, [x1]"},
        FaultCase{"Undefined",
                  {kNop, kUdf0, kRet},
                  0,
                  FaultKind::UndefinedInstruction,
                  4,
                  0,
                  0,
                  "udf #0"},
        FaultCase{"Brk", {kBrk3, kRet}, 0, FaultKind::Breakpoint, 0, 0, 0, "brk #0x3"},
        FaultCase{"Wfi", {kNop, kWfi, kRet}, 0, FaultKind::WaitForInterrupt, 4, 0, 0, "wfi"},
        FaultCase{
            "Budget", {kNop, kBSelf}, 0, FaultKind::BudgetExhausted, 4, 0, 0, "b #0x40000004"},
        FaultCase{"Svc", {kNop, kSvc0, kRet}, 0, FaultKind::UnhandledException, 4, 0, 0, "svc #0"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST_F(EngineTest, FetchFromUnmapped_ReportsTargetAndTheBranch) {
  load({kNop, kBrX1});
  RunOptions options;
  options.args[1] = 0x3000;
  RunResult r = run(options);
  ASSERT_EQ(r.reason, StopReason::Fault);
  EXPECT_EQ(r.fault->kind, FaultKind::FetchUnmapped);
  EXPECT_EQ(r.fault->pc, 0x3000u);
  EXPECT_EQ(r.fault->address, 0x3000u);
  EXPECT_NE(r.fault->detail.find("pc 0x40000004: `br x1`"), std::string::npos) << r.fault->detail;
}

TEST_F(EngineTest, ReplayOfFault_DoesNotCallTheHandlerTwice) {
  load({kSmc0, kLdrX2X1, kRet});
  RunOptions options;
  options.args[1] = 0x1000;
  handler.reply = regs(0x55, 0x1000);  // keeps x1 pointing at the hole
  RunResult r = run(options);
  ASSERT_EQ(r.reason, StopReason::Fault);
  EXPECT_EQ(r.fault->kind, FaultKind::ReadUnmapped);
  EXPECT_EQ(r.fault->pc, kCodeBase + 4);
  EXPECT_EQ(handler.traps.size(), 1u);
}

class CountingObserver : public ExecObserver {
 public:
  void on_block(uint64_t pc, uint32_t size) override { blocks.push_back({pc, pc + size}); }
  void on_instruction(uint64_t pc, uint32_t) override { pcs.push_back(pc); }
  void on_trap(uint64_t pc) override { traps.push_back(pc); }
  void on_memory(uint64_t pc, bool write, uint64_t address, uint32_t, uint64_t) override {
    accesses.push_back({pc, address, write});
  }
  void on_run_end(const RunResult& result) override { ends.push_back(result.pc); }
  struct Access {
    uint64_t pc, address;
    bool write;
    friend bool operator==(const Access&, const Access&) = default;
  };
  std::vector<AddressRange> blocks;
  std::vector<uint64_t> pcs;
  std::vector<uint64_t> traps;
  std::vector<Access> accesses;
  std::vector<uint64_t> ends;
};

TEST_F(EngineTest, Observer_SeesBlocksTrapsAndTheInstructionOfEachAccess) {
  // str x1, [x2]; ldr x3, [x2, #8]; smc #0; ret
  load({0xf9000041, 0xf9400443, kSmc0, kRet});
  CountingObserver observer;
  engine.attach(&observer);
  RunOptions options;
  options.args[2] = layout::kDataBase;
  RunResult r = run(options);
  engine.attach(nullptr);
  ASSERT_TRUE(r.exited());
  EXPECT_EQ(observer.blocks, (std::vector<AddressRange>{{kCodeBase, kCodeBase + 12},
                                                        {kCodeBase + 12, kCodeBase + 16}}));
  EXPECT_TRUE(observer.pcs.empty());  // no range observed
  EXPECT_EQ(observer.traps, (std::vector<uint64_t>{kCodeBase + 8}));
  EXPECT_EQ(observer.accesses,
            (std::vector<CountingObserver::Access>{{kCodeBase, layout::kDataBase, true},
                                                   {kCodeBase + 4, layout::kDataBase + 8, false}}));
  EXPECT_EQ(observer.ends, (std::vector<uint64_t>{layout::kExitAddress}));
}

TEST_F(EngineTest, ObserveInstructions_ReportsOnlyTheRangesAsked) {
  load({kNop, kNop, kNop, kRet});
  CountingObserver observer;
  engine.attach(&observer);
  std::vector<AddressRange> ranges = {{kCodeBase + 4, kCodeBase + 12}, {kCodeBase, kCodeBase}};
  engine.observe_instructions(ranges);
  ASSERT_TRUE(run().exited());
  ranges.clear();
  engine.observe_instructions(ranges);
  ASSERT_TRUE(run().exited());
  engine.attach(nullptr);
  EXPECT_EQ(observer.pcs, (std::vector<uint64_t>{kCodeBase + 4, kCodeBase + 8}));
  EXPECT_EQ(observer.blocks.size(), 2u);
}

TEST_F(EngineTest, ObserveInstructions_WithNoObserver_IsALogicError) {
  std::vector<AddressRange> ranges = {{kCodeBase, kCodeBase + 4}};
  EXPECT_THROW(engine.observe_instructions(ranges), std::logic_error);
}

TEST_F(EngineTest, FaultReplay_IsInvisibleToAnAttachedObserver) {
  load({kNop, kNop, kLdrX2X1, kRet});
  CountingObserver observer;
  engine.attach(&observer);
  std::vector<AddressRange> all = {{kCodeBase, kCodeBase + 16}};
  engine.observe_instructions(all);
  RunOptions options;
  options.args[1] = 0x1000;
  RunResult r = run(options);
  engine.attach(nullptr);
  ASSERT_EQ(r.reason, StopReason::Fault);
  EXPECT_EQ(r.fault->pc, kCodeBase + 8);
  EXPECT_EQ(observer.pcs, (std::vector<uint64_t>{kCodeBase, kCodeBase + 4, kCodeBase + 8}));
  EXPECT_EQ(observer.blocks.size(), 1u);
  EXPECT_TRUE(observer.accesses.empty());
  EXPECT_EQ(observer.ends, (std::vector<uint64_t>{r.pc}));
}

TEST_F(EngineTest, ImpreciseMode_ReportsTheBlockStart) {
  load({kNop, kNop, kLdrX2X1, kRet});
  RunOptions options;
  options.args[1] = 0x1000;
  options.precise_faults = false;
  RunResult r = run(options);
  ASSERT_EQ(r.reason, StopReason::Fault);
  EXPECT_EQ(r.fault->kind, FaultKind::ReadUnmapped);
  EXPECT_FALSE(r.fault->pc_exact);
  EXPECT_NE(r.fault->message().find("exact instruction unknown"), std::string::npos);
}

TEST_F(EngineTest, Load_OverCodeThatRan_TakesEffect) {
  load({kSmc0, kRet});
  ASSERT_TRUE(run().exited());
  load({kNop, kRet});
  ASSERT_TRUE(run().exited());
  EXPECT_EQ(handler.traps.size(), 1u);
}

TEST_F(EngineTest, PreparedRead_ReadsOnlyTheMaskedRegistersAndNzcvWidened) {
  load({kSubsX19, kRet});  // x19 = 0 - 1: N set, C clear
  ASSERT_TRUE(run().exited());
  CpuRegs into;
  into.r.fill(0xdeadbeefdeadbeef);
  constexpr uint64_t kX19 = uint64_t{1} << 19;
  constexpr uint64_t kNzcv = uint64_t{1} << static_cast<int>(Reg::Nzcv);
  RegRead read = engine.prepare_read(kX19 | kNzcv, into);
  EXPECT_EQ(read.count, 2);
  engine.read(read);
  EXPECT_EQ(into.r[19], UINT64_MAX);
  EXPECT_EQ(into.r[static_cast<int>(Reg::Nzcv)], 0x80000000u);
  EXPECT_EQ(into.r[18], 0xdeadbeefdeadbeef);
  EXPECT_EQ(into.r[static_cast<int>(Reg::Pc)], 0xdeadbeefdeadbeef);

  engine.set_reg(19, 7);
  engine.read(read);  // the same prepared read sees the new value
  EXPECT_EQ(into.r[19], 7u);
  EXPECT_EQ(engine.cpu().r, [&] {
    CpuRegs all;
    engine.read_regs(~uint64_t{0}, all);
    return all.r;
  }());
  RegRead none = engine.prepare_read(0, into);
  EXPECT_EQ(none.count, 0);
  engine.read(none);
  EXPECT_EQ(into.r[19], 7u);
}

TEST_F(EngineTest, Load_OutsideGuestMemory_Throws) {
  std::vector<uint8_t> bytes(8);
  EXPECT_THROW(engine.load(0x1000, bytes), GuestMemoryError);
}

TEST_F(EngineTest, FaultMessage_NamesKindAddressPcAndInstruction) {
  load({kNop, kNop, kLdrX2X1, kRet});
  RunOptions options;
  options.args[1] = 0x1000;
  RunResult r = run(options);
  EXPECT_EQ(r.fault->message(),
            "read of unmapped memory at 0x1000 (8 bytes) at pc 0x40000008: `ldr x2, [x1]` "
            "[f9400022]; no region maps it");
}

TEST_F(EngineTest, WriteToCode_NamesTheReadOnlyRegion) {
  load({kNop, kStrX2X1, kRet});
  RunOptions options;
  options.args[1] = kCodeBase + 0x40;
  RunResult r = run(options);
  ASSERT_EQ(r.reason, StopReason::Fault);
  EXPECT_EQ(r.fault->detail, "in region 'code' (r-x)");
}

constexpr uint32_t kSubSp8 = 0xd10023ff;   // sub sp, sp, #8
constexpr uint32_t kStrX0Sp = 0xf90003e0;  // str x0, [sp]
constexpr uint32_t kAddSp8 = 0x910023ff;   // add sp, sp, #8

TEST_F(EngineTest, MisalignedSp_LoadOrStoreThroughSpIsAnSpAlignmentFault) {
  load({kSubSp8, kStrX0Sp, kAddSp8, kRet});
  RunResult r = run();
  ASSERT_EQ(r.reason, StopReason::Fault);
  EXPECT_EQ(r.fault->kind, FaultKind::SpAlignment);
  EXPECT_EQ(r.fault->pc, kCodeBase + 4);
  EXPECT_EQ(r.fault->address, layout::kStackBase + layout::kStackSize - 8);
  EXPECT_EQ(r.fault->disasm, "str x0, [sp]");
  EXPECT_EQ(r.fault->detail, "sp 0x4020fff8 is not 16-byte aligned (SCTLR_EL1.SA)");
  load({kNop, kRet});
  EXPECT_TRUE(run().exited());
}

TEST_F(EngineTest, AlignedSp_SpBasedAccessRunsUnhindered) {
  load({kStrX0Sp, kRet});
  RunOptions options;
  options.sp = layout::kStackBase + 0x100;
  EXPECT_TRUE(run(options).exited());
}

}  // namespace
}  // namespace ffaemu::emu

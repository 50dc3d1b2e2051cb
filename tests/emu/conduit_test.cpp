// GuestConduit: every invoke() really runs the assembled arm_smccc_1_2_smc/_hvc trampoline.
#include "emu/conduit.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "emu/layout.h"
#include "guest_images/assembler.h"

namespace ffaemu::emu {
namespace {

class ScriptedHandler : public TrapHandler {
 public:
  TrapReply on_trap(const Trap& trap) override {
    seen.push_back(trap);
    return TrapReply{reply};
  }
  std::vector<Trap> seen;
  SmcccRegs reply;
};

SmcccRegs counting(uint64_t base) {
  SmcccRegs r;
  for (int i = 0; i < kSmcccRegCount; ++i)
    r.x[i] = base + (uint64_t(i) << 40) + i;
  return r;
}

class ConduitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine.load(image.base, image.bytes);
    engine.set_trap_handler(&handler);
  }
  GuestConduit conduit(ConduitKind kind) {
    return GuestConduit(engine, kind, entries, layout::kDataBase);
  }

  std::vector<RegionSpec> regions = layout::default_regions();
  Engine engine{regions};
  guest::Image image = guest::assemble_builtin("smccc_trampoline", layout::kCodeBase);
  TrampolineEntries entries{image.symbol("arm_smccc_1_2_smc"), image.symbol("arm_smccc_1_2_hvc")};
  ScriptedHandler handler;
};

TEST_F(ConduitTest, SmcInvoke_HandlerSeesEveryArgumentRegister) {
  GuestConduit smc = conduit(ConduitKind::Smc);
  SmcccRegs in = counting(0xC4000000);
  smc.invoke(in);
  ASSERT_EQ(handler.seen.size(), 1u);
  EXPECT_EQ(handler.seen[0].regs, in);
  EXPECT_EQ(handler.seen[0].conduit, ConduitKind::Smc);
  EXPECT_EQ(handler.seen[0].imm, 0);
}

TEST_F(ConduitTest, SmcInvoke_ReturnsExactlyWhatTheHandlerProduced) {
  GuestConduit smc = conduit(ConduitKind::Smc);
  handler.reply = counting(0xffffffff00000000);
  EXPECT_EQ(smc.invoke(regs(0x84000063, 0x10002)), handler.reply);
}

TEST_F(ConduitTest, SmcInvoke_TrapPcIsTheSmcInsideTheTrampoline) {
  GuestConduit smc = conduit(ConduitKind::Smc);
  smc.invoke(regs(0x80000000));
  uint64_t pc = handler.seen[0].pc;
  EXPECT_GT(pc, entries.smc);
  EXPECT_LT(pc, entries.hvc);
  EXPECT_EQ(engine.memory().read_u32(PhysAddr{pc}), 0xd4000003u);  // smc #0
}

TEST_F(ConduitTest, HvcInvoke_TrapsAsHvc) {
  GuestConduit hvc = conduit(ConduitKind::Hvc);
  EXPECT_EQ(hvc.kind(), ConduitKind::Hvc);
  hvc.invoke(regs(0x84000063, 0x10002));
  ASSERT_EQ(handler.seen.size(), 1u);
  EXPECT_EQ(handler.seen[0].conduit, ConduitKind::Hvc);
  EXPECT_EQ(engine.memory().read_u32(PhysAddr{handler.seen[0].pc}), 0xd4000002u);  // hvc #0
}

TEST_F(ConduitTest, HvcInvoke_WithoutEl2_ThrowsUndefinedInstruction) {
  engine.set_el2_present(false);
  GuestConduit hvc = conduit(ConduitKind::Hvc);
  try {
    hvc.invoke(regs(0x84000063));
    FAIL() << "expected ConduitError";
  } catch (const ConduitError& e) {
    ASSERT_TRUE(e.result().fault);
    EXPECT_EQ(e.result().fault->kind, FaultKind::UndefinedInstruction);
    EXPECT_EQ(e.result().fault->disasm, "hvc #0");
  }
  EXPECT_TRUE(handler.seen.empty());
}

TEST_F(ConduitTest, Invoke_PreservesCalleeSavedRegistersAndSp) {
  GuestConduit smc = conduit(ConduitKind::Smc);
  for (int i = 19; i <= 29; ++i)
    engine.set_reg(i, 0x5a5a000000000000ull | i);
  handler.reply = counting(0x1111);
  smc.invoke(regs(0x84000064));
  CpuRegs cpu = engine.cpu();
  for (int i = 19; i <= 29; ++i)
    EXPECT_EQ(cpu.x(i), 0x5a5a000000000000ull | i) << "x" << i;
  EXPECT_EQ(cpu.sp(), layout::kStackBase + layout::kStackSize);
}

TEST_F(ConduitTest, Invoke_ManyCallsInARow_StateCarriesNothingOver) {
  GuestConduit smc = conduit(ConduitKind::Smc);
  for (uint64_t i = 0; i < 100; ++i) {
    handler.reply = regs(i, i * 2);
    ASSERT_EQ(smc.invoke(regs(0x84000063, i)), regs(i, i * 2));
  }
  EXPECT_EQ(handler.seen.size(), 100u);
}

TEST_F(ConduitTest, Construction_BlockOutsideWritableMemory_Throws) {
  EXPECT_THROW(GuestConduit(engine, ConduitKind::Smc, entries, layout::kCodeBase),
               std::invalid_argument);
  EXPECT_THROW(GuestConduit(engine, ConduitKind::Smc, entries, 0x1000), std::invalid_argument);
}

TEST_F(ConduitTest, Calls_CountEachInvokeAndEachIsOneEngineRun) {
  GuestConduit smc = conduit(ConduitKind::Smc);
  const uint64_t runs = engine.runs();
  smc.invoke(regs(0x84000063));
  smc.invoke(regs(0x84000063));
  EXPECT_EQ(smc.calls(), 2u);
  EXPECT_EQ(engine.runs(), runs + 2);
}

TEST_F(ConduitTest, ClearBlocks_ZeroesTheArgumentAndResultBlocks) {
  GuestConduit smc = conduit(ConduitKind::Smc);
  handler.reply = counting(0x1000);
  smc.invoke(counting(0xC4000000));
  smc.clear_blocks();
  const uint8_t* blocks = engine.memory().host(PhysAddr{layout::kDataBase}, 2 * 144);
  EXPECT_EQ(std::count(blocks, blocks + 2 * 144, 0), 2 * 144);
}

}  // namespace
}  // namespace ffaemu::emu

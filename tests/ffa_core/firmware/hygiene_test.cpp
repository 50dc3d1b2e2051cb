// The preserved-register check of tf-a-tests test_smccc_callee_preserved: x8-x17 (all of the
// register block that exists here) are unchanged across the setup-and-discovery sequence.
#include "fixture.h"

namespace ffaemu::fw::test {
namespace {

class CalleePreserved : public BothPersonas {};

TEST_P(CalleePreserved, X8ToX17_UnchangedAcrossSetupAndDiscovery) {
  boot(GetParam());
  const SmcccRegs sequence[] = {
      emu::regs(fid::kVersion, 0x10002),
      emu::regs(fid::kIdGet),
      emu::regs(fid::kRxTxMap64, kTx, kRx, 1),
      emu::regs(fid::kPartitionInfoGet),
      emu::regs(fid::kRxRelease),
      emu::regs(fid::kRxTxUnmap),
  };
  for (const SmcccRegs& step : sequence) {
    const SmcccRegs in = patterned(step);
    const SmcccRegs out = call(in);
    EXPECT_NE(out.w(0), fid::kError) << fmt::format("{:#x}", step.x[0]);
    for (int i = 8; i < emu::kSmcccRegCount; ++i) {
      EXPECT_EQ(out.x[i], in.x[i]) << fmt::format("x{} after {:#x}", i, step.x[0]);
    }
  }
}

INSTANTIATE_BOTH_PERSONAS(CalleePreserved);

}  // namespace
}  // namespace ffaemu::fw::test

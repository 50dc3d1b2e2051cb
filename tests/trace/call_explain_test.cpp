// The --explain lines for calls that take other paths: hvc, no hypervisor, an older SMCCC.
#include "trace/call_explain.h"

#include <gtest/gtest.h>

namespace ffaemu::trace {
namespace {

using ffa::Level;

CallRecord call(emu::ConduitKind conduit, PathSteps path) {
  CallRecord c;
  c.conduit = conduit;
  c.in = emu::regs(0xC4000066, 0x80000000, 0x80001000, 1);
  c.out = emu::regs(0x84000061);
  c.path = std::move(path);
  return c;
}

TEST(CallExplain, HvcGoesToEl2ByDefinition) {
  CallRecord c = call(emu::ConduitKind::Hvc,
                      {{Level::El1, ""}, {Level::El2, "pkvm:do_ffa_rxtx_map"}, {Level::El1, ""}});
  EXPECT_EQ(explain_path(c),
            "hvc from EL1; hvc targets EL2, so EL2 took it in pkvm:do_ffa_rxtx_map; EL2 answered");
}

TEST(CallExplain, WithoutPkvmSmcGoesStraightToEl3) {
  CallRecord c = call(emu::ConduitKind::Smc, {{Level::El1, ""},
                                              {Level::El3, "spmd"},
                                              {Level::SEl2, "spmc:rxtx_map"},
                                              {Level::El3, ""},
                                              {Level::El1, ""}});
  EXPECT_EQ(explain_path(c),
            "smc from EL1; nothing traps smc at EL2 (no pKVM), so it went straight to EL3 in spmd; "
            "the SPMD at EL3 passed it to the SPMC at S-EL2 in spmc:rxtx_map; S-EL2 answered");
}

TEST(CallExplain, CallNoModelTookSaysSo) {
  EXPECT_EQ(explain_path(call(emu::ConduitKind::Smc, {{Level::El1, ""}})),
            "smc from EL1; no model took the call");
}

TEST(CallExplain, Smccc10Smc64UsesSixArgumentsAndFourResults) {
  CallRecord c = call(emu::ConduitKind::Smc, {});
  EXPECT_EQ(explain_registers(c, 1, 0),
            "SMCCC 1.0, SMC64: arguments x1-x6 (x7 client ID), results x0-x3; x4-x17 may be "
            "clobbered (unpredictable); x18-x30 and SP preserved; this call changed x0 x1 x2 x3");
}

}  // namespace
}  // namespace ffaemu::trace

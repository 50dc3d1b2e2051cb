// The text trace: a golden for a small guest, colour only when asked, the --explain lines, and
// boot steps indented by nesting.
#include "trace/writers/text.h"

#include <gtest/gtest.h>

#include <sstream>

#include "tests/trace/trace_fixture.h"

namespace ffaemu::trace::testing {
namespace {

constexpr const char* kCallGolden =
    R"(#0   EL1 smc #0  FFA_VERSION version=0x10002
     id    0x84000063  fast SMC32, owner 4 (Standard Secure Service), function 0x63
     ->    v1.2 (0x10002)
     path  EL1 -> EL2 pkvm:do_ffa_version -> EL3 spmd -> S-EL2 spmc:version -> EL3 -> EL2 -> EL1
     note  negotiated v1.2
    #1   EL2 smc #0  FFA_VERSION version=0x10002
         id    0x84000063  fast SMC32, owner 4 (Standard Secure Service), function 0x63
         ->    v1.2 (0x10002)
         path  EL2 -> EL3 spmd -> S-EL2 spmc:version -> EL3 -> EL2
)";

TEST(TextTrace, InsnLevelGoldenShowsEachInstructionThenTheCallsOfItsSmc) {
  std::string expected =
      "       0  0x40000000  d2800c60  movz x0, #0x63               x0=0x0->0x63\n"
      "       1  0x40000004  f2b08000  movk x0, #0x8400, lsl #16    x0=0x63->0x84000063\n"
      "       2  0x40000008  d2800041  movz x1, #0x2                x1=0x0->0x2\n"
      "       3  0x4000000c  f2a00021  movk x1, #0x1, lsl #16       x1=0x2->0x10002\n"
      "       4  0x40000010  d4000003  smc #0                       x0=0x84000063->0x10002\n" +
      std::string(kCallGolden) +
      "       5  0x40000014  91000801  add x1, x0, #2               x1=0x10002->0x10004\n"
      "       6  0x40000018  f9000041  str x1, [x2]                 mw 0x40100000:8=0x10004\n"
      "       7  0x4000001c  f9400043  ldr x3, [x2]                 x3=0x0->0x10004 mr "
      "0x40100000:8=0x10004\n"
      "       8  0x40000020  d65f03c0  ret                          pc=0x40000020->0xfff0000\n";
  EXPECT_EQ(trace_of(kVersionGuest, "text", true), expected);
}

TEST(TextTrace, CallLevelGoldenHasOnlyTheCallsInIssueOrder) {
  EXPECT_EQ(trace_of(kVersionGuest, "text", false), kCallGolden);
}

TEST(TextTrace, ColourOnlyWhenAsked) {
  EXPECT_EQ(trace_of(kVersionGuest, "text", true).find('\x1b'), std::string::npos);
  WriterOptions color;
  color.color = true;
  std::string painted = trace_of(kVersionGuest, "text", true, color);
  EXPECT_NE(painted.find("\x1b[36m x0=0x0->0x63\x1b[0m"), std::string::npos);
  EXPECT_NE(painted.find("\x1b[33m mw 0x40100000:8=0x10004\x1b[0m"), std::string::npos);
}

TEST(TextTrace, ExplainAddsRegisterUsageAndWhyThePathWasTaken) {
  WriterOptions explain;
  explain.explain = true;
  explain.smccc_minor = 1;
  std::vector<std::string> lines = lines_of(trace_of(kVersionGuest, "text", false, explain));
  ASSERT_EQ(lines.size(), 13u);
  EXPECT_EQ(
      lines[5],
      "     regs  SMCCC 1.1, SMC32: arguments w1-w6 (w7 client ID), results w0-w3; x4-x17 not "
      "used for results are preserved; x18-x30 and SP preserved; callee ignores the upper "
      "32 bits of x1-x7; this call changed x0");
  EXPECT_EQ(lines[6],
            "     why   smc from EL1; EL2 trapped the smc (pKVM sets HCR_EL2.TSC for the host) in "
            "pkvm:do_ffa_version; EL2 forwarded it to EL3 with its own smc in spmd; the SPMD at "
            "EL3 passed it to the SPMC at S-EL2 in spmc:version; S-EL2 answered");
  EXPECT_EQ(lines[12],
            "         why   smc from EL2; EL3 took it in spmd; the SPMD at EL3 passed it to "
            "the SPMC at S-EL2 in spmc:version; S-EL2 answered");
}

TEST(TextTrace, BootStepsAreIndentedByNesting) {
  std::ostringstream out;
  TextWriter w(out, {});
  w.boot({BootKind::InitcallStart, "device_initcall", "ffa_init", std::nullopt, ""});
  w.boot({BootKind::ProbeStart, "", "arm-ffa", std::nullopt, ""});
  w.boot({BootKind::Defer, "", "arm-ffa", std::nullopt, "supplier not ready"});
  w.boot({BootKind::ProbeEnd, "", "arm-ffa", -517, ""});
  w.boot({BootKind::InitcallEnd, "device_initcall", "ffa_init", 0, ""});
  w.boot({BootKind::PkvmState, "", "finalized", std::nullopt, "host deprivileged"});
  w.boot({BootKind::Log, "", "", std::nullopt, "ARM FF-A: Driver version 1.2"});
  w.finish();
  EXPECT_EQ(out.str(),
            "[boot] device_initcall        ffa_init\n"
            "[boot]   probe  arm-ffa\n"
            "[boot]     defer  arm-ffa: supplier not ready\n"
            "[boot]   probe  arm-ffa returned -517\n"
            "[boot] device_initcall        ffa_init returned 0\n"
            "[boot] pkvm   finalized: host deprivileged\n"
            "[boot] log    ARM FF-A: Driver version 1.2\n");
}

}  // namespace
}  // namespace ffaemu::trace::testing

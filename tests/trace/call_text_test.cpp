#include "trace/call_text.h"

#include <gtest/gtest.h>

namespace ffaemu::trace {
namespace {

TEST(CallText, KnownId_IsNamedFromTheCatalog) {
  EXPECT_EQ(call_name(0xC4000066), "FFA_RXTX_MAP_64");
  EXPECT_EQ(call_name(0x80000000), "SMCCC_VERSION");
}

TEST(CallText, UnknownId_IsDescribedByItsFields) {
  EXPECT_EQ(call_name(0xC2000001), "fast SMC64 owner 2 fn 0x1");
  EXPECT_EQ(call_name(0x02000001), "yielding SMC32 owner 2 fn 0x1");
}

TEST(CallText, DescribeId_ShowsEveryField) {
  EXPECT_EQ(describe_id(0x84000063),
            "fast SMC32, owner 4 (Standard Secure Service), function 0x63");
  EXPECT_EQ(describe_id(0x84010063),
            "fast SMC32, owner 4 (Standard Secure Service), function 0x63, SVE hint");
  EXPECT_EQ(describe_id(0x84020063),
            "fast SMC32, owner 4 (Standard Secure Service), function "
            "0x63, reserved bits 23:17 = 0x1");
}

TEST(CallText, Args_Smc64ShowsFullRegistersSmc32OnlyTheLowHalves) {
  EXPECT_EQ(describe_args(emu::regs(0xC4000066, 0x80000000, 0x80010000, 1)),
            "FFA_RXTX_MAP_64 tx=0x80000000 rx=0x80010000 pages=0x1");
  EXPECT_EQ(describe_args(emu::regs(0x84000063, 0xffffffff00010002)),
            "FFA_VERSION version=0x10002");
}

TEST(CallText, Results_AreDecodedPerCall) {
  EXPECT_EQ(describe_result(emu::regs(0x84000063), emu::regs(0x10002)), "v1.2 (0x10002)");
  EXPECT_EQ(describe_result(emu::regs(0x84000063), emu::regs(~uint64_t{0})), "NOT_SUPPORTED (-1)");
  EXPECT_EQ(describe_result(emu::regs(0x80000000), emu::regs(~uint64_t{0})), "SMC_UNK (-1)");
  EXPECT_EQ(describe_result(emu::regs(0xC4000066), emu::regs(0x84000061)), "FFA_SUCCESS");
  EXPECT_EQ(describe_result(emu::regs(0x84000069), emu::regs(0x84000061, 0, 0x8001)),
            "FFA_SUCCESS x2=0x8001 x3=0x0");
  EXPECT_EQ(describe_result(emu::regs(0xC4000066), emu::regs(0x84000060, 0, 0xfffffffa)),
            "FFA_ERROR DENIED");
  EXPECT_EQ(describe_result(emu::regs(0xC4000066), emu::regs(0x84000060, 0, 0x1234)),
            "FFA_ERROR code 0x1234");
  EXPECT_EQ(describe_result(emu::regs(0x8400000A, 0x80000000), emu::regs(0)), "SUCCESS (0)");
  EXPECT_EQ(describe_result(emu::regs(0x84000000), emu::regs(0x10001)), "PSCI v1.1");
  EXPECT_EQ(describe_result(emu::regs(0xC2000001), emu::regs(~uint64_t{0})), "SMC_UNK (-1)");
}

}  // namespace
}  // namespace ffaemu::trace

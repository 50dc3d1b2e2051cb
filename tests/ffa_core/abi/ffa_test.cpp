#include <gtest/gtest.h>

#include "ffa_core/abi/ffa.h"

namespace ffaemu::ffa {
namespace {

TEST(FfaError, Encodings_AreExact32BitTwosComplement) {
  const std::pair<FfaError, uint32_t> table[] = {
      {FfaError::NotSupported, 0xffffffff}, {FfaError::InvalidParameters, 0xfffffffe},
      {FfaError::NoMemory, 0xfffffffd},     {FfaError::Busy, 0xfffffffc},
      {FfaError::Interrupted, 0xfffffffb},  {FfaError::Denied, 0xfffffffa},
      {FfaError::Retry, 0xfffffff9},        {FfaError::Aborted, 0xfffffff8},
      {FfaError::NoData, 0xfffffff7},       {FfaError::NotReady, 0xfffffff6}};
  for (auto [e, w2] : table) {
    const SmcccRegs r = error_reply(e);
    EXPECT_EQ(r, emu::regs(0x84000060u, 0, w2)) << error_name(e);
    EXPECT_TRUE(is_error(r, e));
    EXPECT_EQ(error_from_code(w2), e);
  }
  EXPECT_FALSE(error_from_code(0));
  EXPECT_FALSE(error_from_code(0xfffffff5));
  EXPECT_EQ(fmt::format("{}", FfaError::Denied), "DENIED");
}

TEST(FfaReplies, Success32TruncatesTo32Bits_Success64Keeps64) {
  EXPECT_EQ(success_reply(0x1'0000'0002ull, 3), emu::regs(0x84000061u, 0, 2, 3));
  EXPECT_EQ(success64_reply(0x1'0000'0002ull), emu::regs(0xC4000061u, 0, 0x1'0000'0002ull));
  EXPECT_TRUE(is_success(success_reply()));
  EXPECT_TRUE(is_success(success64_reply()));
  EXPECT_FALSE(is_success(error_reply(FfaError::Busy)));
}

TEST(FfaVersion, FieldsComparisonAndCompatibility) {
  EXPECT_EQ(kV1_2.raw(), 0x10002u);
  EXPECT_EQ(kV1_1.major(), 1);
  EXPECT_EQ(kV1_1.minor(), 1);
  EXPECT_LT(kV1_0, kV1_1);
  EXPECT_GT(kV1_2, kV1_1);
  EXPECT_TRUE(FfaVersion::from_raw(0x10001).valid());
  EXPECT_FALSE(FfaVersion::from_raw(0x80010001).valid());
  EXPECT_TRUE(kV1_1.compatible_with_callee(kV1_2));
  EXPECT_TRUE(kV1_2.compatible_with_callee(kV1_2));
  EXPECT_FALSE(kV1_2.compatible_with_callee(kV1_1));
  EXPECT_FALSE(FfaVersion(2, 0).compatible_with_callee(kV1_2));
  EXPECT_EQ(fmt::format("{}", kV1_2), "v1.2");
}

TEST(EndpointId, SecureBitAndFormatting) {
  EXPECT_FALSE(kHostId.secure());
  EXPECT_TRUE(kSpmcId.secure());
  EXPECT_TRUE(kSpmdId.secure());
  EXPECT_LT(kHostId, kSpmcId);
  EXPECT_EQ(EndpointId(0x8001), EndpointId(0x8001));
  EXPECT_EQ(fmt::format("{}", EndpointId(0x8001)), "ep:0x8001");
}

TEST(IsFfaCall, CoversFastOwner4Numbers0x60To0xFF) {
  EXPECT_TRUE(is_ffa_call(FunctionId(0x84000060)));
  EXPECT_TRUE(is_ffa_call(FunctionId(0xC40000FF)));
  EXPECT_FALSE(is_ffa_call(FunctionId(0x8400005F)));
  EXPECT_FALSE(is_ffa_call(FunctionId(0x04000063)));
  EXPECT_FALSE(is_ffa_call(FunctionId(0x84000100)));
}

}  // namespace
}  // namespace ffaemu::ffa

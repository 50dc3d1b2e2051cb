#include "cli/call_parser.h"

#include <gtest/gtest.h>

namespace ffaemu::cli {
namespace {

emu::SmcccRegs ok(std::string_view text) {
  auto r = parse_call(text);
  if (auto* e = std::get_if<CallParseError>(&r)) ADD_FAILURE() << e->message;
  return std::get<emu::SmcccRegs>(r);
}

std::string error(std::string_view text) {
  auto r = parse_call(text);
  auto* e = std::get_if<CallParseError>(&r);
  return e ? e->message : "";
}

TEST(ParseCall, Name_SetsX0FromTheCatalog) {
  EXPECT_EQ(ok("FFA_VERSION"), emu::regs(0x84000063));
  EXPECT_EQ(ok("FFA_RXTX_MAP_64"), emu::regs(0xC4000066));
  EXPECT_EQ(ok("SMCCC_VERSION"), emu::regs(0x80000000));
}

TEST(ParseCall, Arguments_GoToX1OnwardsHexOrDecimal) {
  EXPECT_EQ(ok("FFA_VERSION:0x10002"), emu::regs(0x84000063, 0x10002));
  EXPECT_EQ(ok("0x84000064:0x84000066,0,7"), emu::regs(0x84000064, 0x84000066, 0, 7));
}

TEST(ParseCall, BufferTokens_AreTwoAlignedHostPagesWithOffsets) {
  EXPECT_EQ(ok("FFA_RXTX_MAP_64:@tx,@rx,1"), emu::regs(0xC4000066, kTxPage, kRxPage, 1));
  EXPECT_EQ(ok("FFA_RXTX_MAP_64:@tx+0x100,@rx+16,1"),
            emu::regs(0xC4000066, kTxPage + 0x100, kRxPage + 16, 1));
  EXPECT_EQ(kTxPage % 0x10000, 0u);
  EXPECT_EQ(kRxPage % 0x10000, 0u);
}

TEST(ParseCall, UnknownName_IsAnErrorNamingIt) {
  EXPECT_NE(error("FFA_VERSON").find("'FFA_VERSON': unknown call name"), std::string::npos);
}

TEST(ParseCall, BadArgument_NamesItsPosition) {
  EXPECT_EQ(error("FFA_VERSION:12q"),
            "'FFA_VERSION:12q': argument 1 '12q' is not a number, @tx or @rx (+N)");
  EXPECT_NE(error("FFA_RXTX_MAP:@tx,@rx+z").find("argument 2"), std::string::npos);
}

TEST(ParseCall, TooManyArguments_IsAnError) {
  EXPECT_NE(error("FFA_VERSION:1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18").find("at most 17"),
            std::string::npos);
}

TEST(ParseCall, RawIdAbove32Bits_IsAnError) {
  EXPECT_NE(error("0x184000063").find("unknown call name"), std::string::npos);
}

}  // namespace
}  // namespace ffaemu::cli

#include <gtest/gtest.h>

#include "ffa_core/abi/uuid.h"

namespace ffaemu::ffa {
namespace {

const char* kTpm = "17b862a4-1806-4faf-86b3-089a58353861";

TEST(Uuid, ParseAndFormat_RoundTrip) {
  const auto u = Uuid::parse(kTpm);
  ASSERT_TRUE(u);
  EXPECT_EQ(u->bytes()[0], 0x17);
  EXPECT_EQ(u->bytes()[15], 0x61);
  EXPECT_EQ(u->to_string(), kTpm);
  EXPECT_EQ(fmt::format("{}", *u), kTpm);
  EXPECT_EQ(Uuid::parse("17B862A4-1806-4FAF-86B3-089A58353861"), u);
}

TEST(Uuid, Parse_RejectsMalformed) {
  for (const char* bad :
       {"", "17b862a4-1806-4faf-86b3-089a5835386", "17b862a4x1806-4faf-86b3-089a58353861",
        "17b862a4-1806-4faf-86b3-089a5835386g"}) {
    EXPECT_FALSE(Uuid::parse(bad)) << bad;
  }
}

TEST(Uuid, SmcccPacking_ByteZeroInLowBitsOfFirstRegister) {
  const Uuid u = *Uuid::parse(kTpm);
  const auto w = u.words();
  EXPECT_EQ(w[0], 0xa462b817u);
  EXPECT_EQ(w[1], 0xaf4f0618u);
  EXPECT_EQ(w[2], 0x9a08b386u);
  EXPECT_EQ(w[3], 0x61383558u);
  EXPECT_EQ(u.lo(), 0xaf4f0618a462b817ull);
  EXPECT_EQ(u.hi(), 0x613835589a08b386ull);
  EXPECT_EQ(Uuid::from_words(w[0], w[1], w[2], w[3]), u);
  EXPECT_EQ(Uuid::from_halves(u.lo(), u.hi()), u);
}

TEST(Uuid, Nil) {
  EXPECT_TRUE(Uuid().nil());
  EXPECT_FALSE(Uuid::parse(kTpm)->nil());
}

}  // namespace
}  // namespace ffaemu::ffa

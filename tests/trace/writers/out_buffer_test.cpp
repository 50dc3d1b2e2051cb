// OutBuffer's number formatting, its growth for a record larger than the buffer and its hand-over
// on destruction; SiteText's per-site cache.
#include "trace/writers/out_buffer.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <sstream>
#include <string>

namespace ffaemu::trace {
namespace {

template <typename Put>
std::string formatted(Put put) {
  char buf[64];
  char* end = put(buf);
  return std::string(buf, static_cast<size_t>(end - buf));
}

TEST(OutBuffer, HexHasNoLeadingZerosUnlessAskedAndZeroIsOneDigit) {
  EXPECT_EQ(formatted([](char* p) { return OutBuffer::put_hex(p, 0); }), "0x0");
  EXPECT_EQ(formatted([](char* p) { return OutBuffer::put_hex(p, 0x1869f); }), "0x1869f");
  EXPECT_EQ(formatted([](char* p) { return OutBuffer::put_hex(p, 0xf1000400, 8); }), "0xf1000400");
  EXPECT_EQ(formatted([](char* p) { return OutBuffer::put_hex(p, 0x63, 8); }), "0x00000063");
  EXPECT_EQ(formatted([](char* p) { return OutBuffer::put_hex(p, UINT64_MAX); }),
            "0xffffffffffffffff");
  EXPECT_EQ(formatted([](char* p) { return OutBuffer::put_hex_digits(p, 0xabc); }), "abc");
}

TEST(OutBuffer, DecimalIsRightAlignedInItsWidth) {
  EXPECT_EQ(formatted([](char* p) { return OutBuffer::put_dec(p, 0); }), "0");
  EXPECT_EQ(formatted([](char* p) { return OutBuffer::put_dec(p, 9); }), "9");
  EXPECT_EQ(formatted([](char* p) { return OutBuffer::put_dec(p, 10); }), "10");
  EXPECT_EQ(formatted([](char* p) { return OutBuffer::put_dec(p, 123456); }), "123456");
  EXPECT_EQ(formatted([](char* p) { return OutBuffer::put_dec(p, 1234567); }), "1234567");
  EXPECT_EQ(formatted([](char* p) { return OutBuffer::put_dec(p, UINT64_MAX); }),
            "18446744073709551615");
  EXPECT_EQ(formatted([](char* p) { return OutBuffer::put_dec(p, 42, 8); }), "      42");
  EXPECT_EQ(formatted([](char* p) { return OutBuffer::put_dec(p, 123, 2); }), "123");
}

TEST(OutBuffer, LittleEndianBytesInMemoryOrder) {
  EXPECT_EQ(formatted([](char* p) { return OutBuffer::put_le_bytes(p, 0xf1000400, 4); }),
            "000400f1");
}

TEST(OutBuffer, NothingReachesTheStreamUntilFlushOrDestruction) {
  std::ostringstream out;
  {
    OutBuffer buffer(out);
    buffer.put("first\n");
    EXPECT_EQ(out.str(), "");
    buffer.flush();
    EXPECT_EQ(out.str(), "first\n");
    buffer.put("second\n");
  }
  EXPECT_EQ(out.str(), "first\nsecond\n");
}

TEST(OutBuffer, RecordsLargerThanTheBufferArriveWholeAndInOrder) {
  std::ostringstream out;
  std::string big(200'000, 'b');
  {
    OutBuffer buffer(out);
    buffer.put("a");
    buffer.put(big);
    buffer.put("c");
  }
  EXPECT_EQ(out.str(), "a" + big + "c");
}

TEST(SiteText, EachSiteIsBuiltOnceAndEventsWithoutASiteEveryTime) {
  SiteText sites;
  int builds = 0;
  auto build = [&](const InsnEvent& e) {
    ++builds;
    return std::string(e.disasm);
  };
  InsnEvent a;
  a.site = 3;
  a.disasm = "nop";
  InsnEvent b = a;
  b.disasm = "different text, same site";
  EXPECT_EQ(sites.get(a, build), "nop");
  EXPECT_EQ(sites.get(b, build), "nop");
  EXPECT_EQ(builds, 1);
  InsnEvent none;
  none.disasm = "ret";
  EXPECT_EQ(sites.get(none, build), "ret");
  EXPECT_EQ(sites.get(none, build), "ret");
  EXPECT_EQ(builds, 3);
}

TEST(SiteText, CopiesExactlyTheTextThoughItMovesWholeBlocks) {
  SiteText sites;
  InsnEvent e;
  e.site = 0;
  std::string text(SiteText::kBlock + 5, 'x');
  e.disasm = text;
  std::string_view cached =
      sites.get(e, [](const InsnEvent& ev) { return std::string(ev.disasm); });
  char buf[3 * SiteText::kBlock] = {};
  char* end = SiteText::put(buf, cached);
  EXPECT_EQ(std::string(buf, static_cast<size_t>(end - buf)), text);
}

std::string counted(DecimalCounter& counter, uint64_t value) {
  char buf[32];
  return {buf, static_cast<size_t>(counter.put(buf, value) - buf)};
}

TEST(DecimalCounter, CountsUpThroughEveryCarryAndJumpsWhenNotConsecutive) {
  DecimalCounter counter;
  for (uint64_t v = 0; v <= 100'000; ++v)
    ASSERT_EQ(counted(counter, v), std::to_string(v));
  EXPECT_EQ(counted(counter, 7), "7");
  EXPECT_EQ(counted(counter, 9), "9");
  EXPECT_EQ(counted(counter, 10), "10");
  for (uint64_t v = 99'999'998; v <= 100'000'002; ++v)  // from eight digits to nine
    EXPECT_EQ(counted(counter, v), std::to_string(v));
  EXPECT_EQ(counted(counter, UINT64_MAX), std::to_string(UINT64_MAX));
}

}  // namespace
}  // namespace ffaemu::trace

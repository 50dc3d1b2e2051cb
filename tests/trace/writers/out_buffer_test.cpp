// OutBuffer's number formatting, its growth for a record larger than the buffer and its hand-over
// on destruction; SiteText's per-site cache.
#include "trace/writers/out_buffer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

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

// The vector form against the two-digits-a-step loop, for every digit count and padding, at the
// values where a digit count changes and on a spread of others.
TEST(OutBuffer, HexDigitsMatchThePortableFormForEveryWidth) {
  std::vector<uint64_t> values = {0, 1, 9, 10, 15, 16, 0xa5, UINT64_MAX, 0x8000000000000000};
  for (int bits = 1; bits < 64; ++bits) {
    values.push_back((uint64_t{1} << bits) - 1);
    values.push_back(uint64_t{1} << bits);
  }
  uint64_t x = 0x9e3779b97f4a7c15;
  for (int i = 0; i < 200; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    values.push_back(x >> (i % 64));
  }
  for (uint64_t v : values) {
    for (int min_digits = 1; min_digits <= 16; ++min_digits) {
      int digits = v ? (67 - __builtin_clzll(v)) / 4 : 1;
      std::string want = formatted([&](char* p) {
        return OutBuffer::put_hex_digits_scalar(p, v, std::max(digits, min_digits));
      });
      EXPECT_EQ(formatted([&](char* p) { return OutBuffer::put_hex_digits(p, v, min_digits); }),
                want)
          << std::hex << v << " " << min_digits;
    }
  }
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
  const std::string all = "efcdab8967452301";
  for (uint32_t size = 0; size <= 8; ++size) {
    EXPECT_EQ(
        formatted([&](char* p) { return OutBuffer::put_le_bytes(p, 0x0123456789abcdef, size); }),
        all.substr(0, 2 * size))
        << size;
  }
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
  for (size_t size : {size_t{1}, SiteText::kBlock + 5, SiteText::kShort - 1, SiteText::kShort,
                      SiteText::kShort + SiteText::kBlock + 3}) {
    SiteText sites;
    InsnEvent e;
    e.site = 0;
    std::string text(size, 'x');
    e.disasm = text;
    std::string_view cached =
        sites.get(e, [](const InsnEvent& ev) { return std::string(ev.disasm); });
    std::vector<char> buf(SiteText::room(cached) + 1, '#');
    char* end = SiteText::put(buf.data(), cached);
    EXPECT_EQ(std::string(buf.data(), static_cast<size_t>(end - buf.data())), text) << size;
    EXPECT_EQ(buf.back(), '#') << size;  // nothing stored past room()
  }
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

TEST(DecimalCounter, RightAlignedCountUpFillsTheSpacesThenOutgrowsTheWidth) {
  DecimalCounter counter(8);
  auto padded = [](uint64_t v) {
    std::string text = std::to_string(v);
    return std::string(text.size() < 8 ? 8 - text.size() : 0, ' ') + text;
  };
  for (uint64_t v = 0; v <= 100'000; ++v)
    ASSERT_EQ(counted(counter, v), padded(v));
  EXPECT_EQ(counted(counter, 42), "      42");
  for (uint64_t v = 99'999'997; v <= 100'000'002; ++v)  // eight digits fill it, nine overflow
    EXPECT_EQ(counted(counter, v), padded(v));
  EXPECT_EQ(counted(counter, 3), "       3");
  EXPECT_EQ(counted(counter, 4), "       4");
}

// Every value through the cache reads as put_hex writes it: first sight, repeats, and values
// that share a slot and push each other out.
TEST(HexCache, WritesWhatPutHexWritesForNewRepeatedAndCollidingValues) {
  HexCache cache;
  std::vector<uint64_t> values = {0, 1, 0x10, UINT64_MAX, 0x40004000, 0x40004004};
  uint64_t x = 0x2545f4914f6cdd1d;
  for (int i = 0; i < 5000; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    values.push_back(x >> (i % 64));
    values.push_back(values[static_cast<size_t>(i) % values.size()]);  // a repeat
  }
  for (uint64_t v : values) {
    std::string want = formatted([&](char* p) { return OutBuffer::put_hex(p, v); });
    ASSERT_EQ(formatted([&](char* p) { return cache.put_hex(p, v); }), want) << std::hex << v;
  }
}

}  // namespace
}  // namespace ffaemu::trace

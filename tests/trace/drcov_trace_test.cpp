// drcov version 2: the text header and module table, then a binary block table whose records,
// parsed back, are exactly the basic blocks the guest ran, each once.
#include "trace/writers/drcov.h"

#include <gtest/gtest.h>

#include <sstream>

#include "tests/trace/trace_fixture.h"

namespace ffaemu::trace::testing {
namespace {

struct Record {
  uint32_t start;
  uint16_t size;
  uint16_t module;
  friend bool operator==(const Record&, const Record&) = default;
};

struct Drcov {
  std::vector<std::string> header;
  std::vector<Record> blocks;
};

// Six header lines, then the records; the BB line's count must match them.
Drcov parse(const std::string& bytes) {
  Drcov out;
  size_t at = 0;
  for (int i = 0; i < 6; ++i) {
    size_t nl = bytes.find('\n', at);
    EXPECT_NE(nl, std::string::npos);
    out.header.push_back(bytes.substr(at, nl - at));
    at = nl + 1;
  }
  size_t count = std::stoul(out.header[5].substr(std::string("BB Table: ").size()));
  EXPECT_EQ(bytes.size() - at, count * 8);
  for (; at + 8 <= bytes.size(); at += 8) {
    auto u = [&](size_t off, size_t n) {
      uint32_t v = 0;
      for (size_t i = 0; i < n; ++i)
        v |= uint32_t{static_cast<uint8_t>(bytes[at + off + i])} << (8 * i);
      return v;
    };
    out.blocks.push_back({u(0, 4), static_cast<uint16_t>(u(4, 2)), static_cast<uint16_t>(u(6, 2))});
  }
  return out;
}

TEST(DrcovTrace, HeaderNamesVersionFlavorAndTheGuestModule) {
  WriterOptions options;
  options.module = {kCodeBase, kCodeBase + 0x1000, kCodeBase, "/tmp/loop.o"};
  Drcov d = parse(trace_of(kLoopGuest, "drcov", true, options));
  EXPECT_EQ(d.header,
            (std::vector<std::string>{
                "DRCOV VERSION: 2",
                "DRCOV FLAVOR: drcov-64",
                "Module Table: version 2, count 1",
                "Columns: id, base, end, entry, path",
                "  0, 0x0000000040000000, 0x0000000040001000, 0x0000000040000000, /tmp/loop.o",
                "BB Table: 3 bbs",
            }));
}

TEST(DrcovTrace, LoopBlocksAreWrittenOnceEachInFirstRunOrder) {
  Drcov d = parse(trace_of(kLoopGuest, "drcov", true));
  // movz+subs+b.ne; subs+b.ne (three times, taken or not); ret
  EXPECT_EQ(d.blocks, (std::vector<Record>{{0x0, 12, 0}, {0x4, 8, 0}, {0xc, 4, 0}}));
}

TEST(DrcovTrace, SmcEndsABlock) {
  Drcov d = parse(trace_of(kVersionGuest, "drcov", true));
  EXPECT_EQ(d.blocks, (std::vector<Record>{{0x0, 0x14, 0}, {0x14, 0x10, 0}}));
}

TEST(DrcovTrace, InstructionsOutsideTheModuleAreLeftOut) {
  WriterOptions options;
  options.module = {kCodeBase + 0x10, kCodeBase + 0x1000, kCodeBase + 0x10, "tail.bin"};
  Drcov d = parse(trace_of(kVersionGuest, "drcov", true, options));
  EXPECT_EQ(d.blocks, (std::vector<Record>{{0x4, 0x10, 0}}));
}

TEST(DrcovTrace, DefaultModuleIsTheCodeRegion) {
  Drcov d = parse(trace_of(kLoopGuest, "drcov", true));
  EXPECT_EQ(d.header[4],
            "  0, 0x0000000040000000, 0x0000000040010000, 0x0000000040000000, guest.bin");
}

}  // namespace
}  // namespace ffaemu::trace::testing

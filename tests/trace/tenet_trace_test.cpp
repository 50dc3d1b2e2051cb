// Tenet's text format: a golden for a small guest, and the grammar of every line: name=value
// items, the full state first, pc the last register, memory items after it.
#include "trace/writers/tenet.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <sstream>

#include "tests/trace/trace_fixture.h"

namespace ffaemu::trace::testing {
namespace {

std::vector<std::string> items_of(const std::string& line) {
  std::vector<std::string> out;
  std::istringstream in(line);
  for (std::string item; std::getline(in, item, ',');)
    out.push_back(item);
  return out;
}

TEST(TenetTrace, GoldenForTheVersionGuest) {
  EXPECT_EQ(trace_of(kVersionGuest, "tenet", true),
            "x0=0x0,x1=0x0,x2=0x40100000,x3=0x0,x4=0x0,x5=0x0,x6=0x0,x7=0x0,x8=0x0,x9=0x0,"
            "x10=0x0,x11=0x0,x12=0x0,x13=0x0,x14=0x0,x15=0x0,x16=0x0,x17=0x0,x18=0x0,x19=0x0,"
            "x20=0x0,x21=0x0,x22=0x0,x23=0x0,x24=0x0,x25=0x0,x26=0x0,x27=0x0,x28=0x0,fp=0x0,"
            "lr=0xfff0000,sp=0x40210000,pc=0x40000000\n"
            "x0=0x63,pc=0x40000004\n"
            "x0=0x84000063,pc=0x40000008\n"
            "x1=0x2,pc=0x4000000c\n"
            "x1=0x10002,pc=0x40000010\n"
            "x0=0x10002,pc=0x40000014\n"
            "x1=0x10004,pc=0x40000018\n"
            "pc=0x4000001c,mw=0x40100000:0400010000000000\n"
            "x3=0x10004,pc=0x40000020,mr=0x40100000:0400010000000000\n"
            "pc=0xfff0000\n");
}

TEST(TenetTrace, EveryLineFollowsTheGrammar) {
  const std::regex reg_item("(x([0-9]|1[0-9]|2[0-8])|fp|lr|sp|pc)=0x[0-9a-f]+");
  const std::regex mem_item("(mr|mw|mrw)=0x[0-9a-f]+:([0-9a-f]{2})+");
  std::vector<std::string> lines = lines_of(trace_of(kLoopGuest, "tenet", true));
  ASSERT_EQ(lines.size(), 9u);  // the initial state, then one line per instruction
  for (size_t n = 0; n < lines.size(); ++n) {
    std::vector<std::string> items = items_of(lines[n]);
    std::set<std::string> names;
    bool seen_pc = false;
    for (const std::string& item : items) {
      if (seen_pc) {
        EXPECT_TRUE(std::regex_match(item, mem_item)) << "after pc: " << item;
        continue;
      }
      ASSERT_TRUE(std::regex_match(item, reg_item)) << item;
      EXPECT_TRUE(names.insert(item.substr(0, item.find('='))).second) << "twice: " << item;
      seen_pc = item.starts_with("pc=");
    }
    EXPECT_TRUE(seen_pc) << lines[n];
    if (n == 0) {
      EXPECT_EQ(names.size(), 33u);
    }
  }
}

TEST(TenetTrace, RegistersTheHostChangedBetweenRunsAppearBeforeTheNextInstruction) {
  GuestRun guest;
  guest.load(kLoopGuest);
  std::ostringstream out;
  TenetWriter w(out);
  guest.run(w, true);
  emu::RunOptions second;
  second.args[5] = 0x55;
  guest.run(w, true, second);
  w.finish();
  std::vector<std::string> lines = lines_of(out.str());
  ASSERT_EQ(lines.size(), 18u);
  EXPECT_EQ(lines[8], "pc=0xfff0000");
  EXPECT_EQ(lines[9], "x5=0x55,pc=0x40000000");
}

}  // namespace
}  // namespace ffaemu::trace::testing

// make_writer and parse_trace_level: every documented name works, anything else is a clear error.
#include "trace/writer.h"

#include <gtest/gtest.h>

#include <sstream>
#include <stdexcept>

namespace ffaemu::trace {
namespace {

TEST(WriterFactory, EveryListedFormatMakesAWriter) {
  std::vector<std::string> names(trace_formats().begin(), trace_formats().end());
  EXPECT_EQ(names, (std::vector<std::string>{"text", "jsonl", "chrome", "tenet", "drcov"}));
  for (const std::string& name : names) {
    std::ostringstream out;
    EXPECT_NE(make_writer(name, out), nullptr) << name;
  }
}

TEST(WriterFactory, UnknownFormatListsTheValidOnes) {
  std::ostringstream out;
  try {
    (void)make_writer("xml", out);
    FAIL() << "no error";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "unknown trace format 'xml' (valid: text, jsonl, chrome, tenet, drcov)");
  }
}

TEST(WriterFactory, TraceLevelsParseAndUnknownOnesAreNamed) {
  EXPECT_EQ(parse_trace_level("call"), TraceLevel::Call);
  EXPECT_EQ(parse_trace_level("insn"), TraceLevel::Insn);
  try {
    (void)parse_trace_level("all");
    FAIL() << "no error";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "unknown trace level 'all' (valid: call, insn)");
  }
}

}  // namespace
}  // namespace ffaemu::trace

#include "cli/boot.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <utility>
#include <vector>

namespace ffaemu::cli {
namespace {

using Kind = TimelineItem::Kind;

std::vector<std::pair<Kind, size_t>> items(const std::vector<TimelineItem>& timeline) {
  std::vector<std::pair<Kind, size_t>> out;
  for (const TimelineItem& item : timeline)
    out.emplace_back(item.kind, item.index);
  return out;
}

TEST(Timeline, EventsAndTopLevelCallsInTheOrderTheyStarted_NestedCallsLeftOut) {
  BootRun run;
  run.events.resize(2);
  run.calls.resize(3);
  run.calls[1].depth = 1;     // made by EL2 while handling call 0
  run.calls_before = {0, 2};  // event 0 before any call, event 1 after calls 0 and 1
  EXPECT_EQ(items(timeline(run)),
            (std::vector<std::pair<Kind, size_t>>{
                {Kind::Event, 0}, {Kind::Call, 0}, {Kind::Event, 1}, {Kind::Call, 2}}));
}

TEST(Timeline, DefaultBoot_HoldsEveryEventAndEveryTopLevelCallOnce) {
  BootRun run = boot(SystemOptions{});
  size_t top_level = 0;
  for (const trace::CallRecord& c : run.calls)
    top_level += c.depth == 0;
  ASSERT_GT(top_level, 0u);
  ASSERT_LT(top_level, run.calls.size());  // pKVM made calls of its own
  ASSERT_EQ(run.calls_before.size(), run.events.size());
  std::vector<size_t> events, calls;
  for (const TimelineItem& item : timeline(run))
    (item.kind == Kind::Event ? events : calls).push_back(item.index);
  EXPECT_EQ(events.size(), run.events.size());
  EXPECT_EQ(calls.size(), top_level);
  EXPECT_TRUE(std::is_sorted(events.begin(), events.end()));
  EXPECT_TRUE(std::is_sorted(calls.begin(), calls.end()));
}

TEST(Timeline, BootRecordingNoCalls_HoldsOnlyEvents) {
  BootRun run = boot(SystemOptions{}, {.record_calls = false, .partitions = {}});
  EXPECT_TRUE(run.calls.empty());
  std::vector<TimelineItem> t = timeline(run);
  EXPECT_EQ(t.size(), run.events.size());
  for (const TimelineItem& item : t)
    EXPECT_EQ(item.kind, Kind::Event);
}

}  // namespace
}  // namespace ffaemu::cli

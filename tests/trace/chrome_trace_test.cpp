// Chrome Trace Event JSON: parses, names every track, calls are slices on each exception level
// they pass through, slices on one track nest perfectly, boot steps are kernel-track slices, and
// timestamps come from the virtual clock (identical across runs).
#include "trace/writers/chrome.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <tuple>

#include "tests/trace/trace_fixture.h"

namespace ffaemu::trace::testing {
namespace {

using nlohmann::json;

struct Slice {
  std::string name;
  uint64_t ts, dur;
  friend bool operator==(const Slice&, const Slice&) = default;
};

json parse_trace(const std::string& text) {
  json j = json::parse(text);
  EXPECT_TRUE(j.at("traceEvents").is_array());
  for (const json& e : j["traceEvents"]) {
    EXPECT_TRUE(e.contains("name") && e.contains("ph") && e.contains("pid")) << e;
    std::string ph = e["ph"];
    EXPECT_TRUE(ph == "M" || ph == "X" || ph == "i") << e;
    if (ph == "X") {
      EXPECT_TRUE(e.contains("ts") && e.contains("dur") && e.contains("tid")) << e;
    }
  }
  return j;
}

std::map<int, std::vector<Slice>> slices_by_track(const json& trace) {
  std::map<int, std::vector<Slice>> out;
  for (const json& e : trace["traceEvents"]) {
    if (e["ph"] == "X") out[e["tid"]].push_back({e["name"], e["ts"], e["dur"]});
  }
  for (auto& [tid, v] : out) {
    std::sort(v.begin(), v.end(), [](const Slice& a, const Slice& b) {
      return std::tuple(a.ts, b.ts + b.dur) < std::tuple(b.ts, a.ts + a.dur);
    });
  }
  return out;
}

// Each slice either ends before the next starts or contains it.
void expect_perfect_nesting(const json& trace) {
  for (const auto& [tid, slices] : slices_by_track(trace)) {
    std::vector<const Slice*> open;
    for (const Slice& s : slices) {
      while (!open.empty() && open.back()->ts + open.back()->dur <= s.ts)
        open.pop_back();
      if (!open.empty()) {
        EXPECT_LE(s.ts + s.dur, open.back()->ts + open.back()->dur)
            << "track " << tid << ": " << s.name << " overlaps " << open.back()->name;
      }
      open.push_back(&s);
    }
  }
}

TEST(ChromeTrace, EveryTrackIsNamed) {
  json trace = parse_trace(trace_of(kVersionGuest, "chrome", false));
  std::map<int, std::string> names;
  for (const json& e : trace["traceEvents"]) {
    if (e["name"] == "thread_name") names[e["tid"]] = e["args"]["name"];
  }
  EXPECT_EQ(names, (std::map<int, std::string>{{1, "kernel"},
                                               {2, "EL1 Linux"},
                                               {3, "EL2 pKVM"},
                                               {4, "EL3 SPMD"},
                                               {5, "S-EL2 SPMC"},
                                               {6, "S-EL1 SP"}}));
}

TEST(ChromeTrace, CallIsASliceOnEachLevelItPassesThroughWithPKvmsOwnCallInside) {
  json trace = parse_trace(trace_of(kVersionGuest, "chrome", false));
  std::map<int, std::vector<Slice>> tracks = slices_by_track(trace);
  EXPECT_EQ(tracks[2], (std::vector<Slice>{{"FFA_VERSION", 0, 14}}));
  EXPECT_EQ(tracks[3], (std::vector<Slice>{{"pkvm:do_ffa_version", 2, 10}, {"FFA_VERSION", 3, 7}}));
  EXPECT_EQ(tracks[4], (std::vector<Slice>{{"spmd", 4, 6}}));
  EXPECT_EQ(tracks[5], (std::vector<Slice>{{"spmc:version", 6, 2}}));
  expect_perfect_nesting(trace);
}

TEST(ChromeTrace, CallSliceArgsDescribeTheCall) {
  json trace = parse_trace(trace_of(kVersionGuest, "chrome", false));
  auto el1 = std::find_if(trace["traceEvents"].begin(), trace["traceEvents"].end(),
                          [](const json& e) { return e["ph"] == "X" && e["tid"] == 2; });
  ASSERT_NE(el1, trace["traceEvents"].end());
  json expected = {
      {"seq", 0},
      {"function_id", "0x84000063"},
      {"call", "FFA_VERSION version=0x10002"},
      {"result", "v1.2 (0x10002)"},
      {"path",
       "EL1 -> EL2 pkvm:do_ffa_version -> EL3 spmd -> S-EL2 spmc:version -> EL3 -> EL2 -> EL1"},
      {"notes", {"negotiated v1.2"}},
  };
  EXPECT_EQ((*el1)["args"], expected);
}

TEST(ChromeTrace, InstructionsAdvanceTheClockSoTheCallStartsAfterItsSmc) {
  json trace = parse_trace(trace_of(kVersionGuest, "chrome", true));
  std::map<int, std::vector<Slice>> tracks = slices_by_track(trace);
  EXPECT_EQ(tracks[2], (std::vector<Slice>{{"FFA_VERSION", 5, 14}}));
  expect_perfect_nesting(trace);
}

TEST(ChromeTrace, InitcallsAndProbesNestOnTheKernelTrackAndOpenOnesCloseAtTheEnd) {
  std::ostringstream out;
  ChromeWriter w(out);
  w.boot({BootKind::InitcallStart, "device_initcall", "ffa_init", std::nullopt, ""});
  w.boot({BootKind::ProbeStart, "", "arm-ffa", std::nullopt, ""});
  w.boot({BootKind::Defer, "", "arm-ffa", std::nullopt, "supplier not ready"});
  w.boot({BootKind::ProbeEnd, "", "arm-ffa", -517, ""});
  w.boot({BootKind::InitcallEnd, "device_initcall", "ffa_init", 0, ""});
  w.boot({BootKind::InitcallStart, "late_initcall", "ima_init", std::nullopt, ""});
  w.boot({BootKind::PkvmState, "", "finalized", std::nullopt, ""});
  w.finish();
  json trace = parse_trace(out.str());
  std::map<int, std::vector<Slice>> tracks = slices_by_track(trace);
  EXPECT_EQ(tracks[1],
            (std::vector<Slice>{{"ffa_init", 0, 4}, {"arm-ffa", 1, 2}, {"ima_init", 5, 2}}));
  expect_perfect_nesting(trace);
  std::vector<std::string> instants;
  for (const json& e : trace["traceEvents"]) {
    if (e["ph"] == "i")
      instants.push_back(std::string(e["name"]) + "@" + std::to_string(int(e["tid"])));
  }
  EXPECT_EQ(instants, (std::vector<std::string>{"defer arm-ffa@1", "pkvm finalized@3"}));
}

TEST(ChromeTrace, OutputIsIdenticalAcrossRuns) {
  EXPECT_EQ(trace_of(kVersionGuest, "chrome", true), trace_of(kVersionGuest, "chrome", true));
}

}  // namespace
}  // namespace ffaemu::trace::testing

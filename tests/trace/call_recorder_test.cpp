#include "trace/call_recorder.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "trace/call_json.h"

namespace ffaemu::trace {
namespace {

using ffa::Level;

// EL3 model double: reports its hops, answers a fixed value.
class FakeEl3 : public emu::TrapHandler {
 public:
  explicit FakeEl3(CallRecorder& r) : recorder(r) {}
  emu::TrapReply on_trap(const emu::Trap&) override {
    recorder.on_hop(Level::El3, "spmd");
    recorder.on_hop(Level::SEl2, "spmc:version");
    return {emu::regs(0x10002)};
  }
  CallRecorder& recorder;
};

// EL2 model double: forwards through its own SMC (trap.el = 2), twice when asked.
class FakeEl2 : public emu::TrapHandler {
 public:
  FakeEl2(CallRecorder& r, emu::TrapHandler& el3) : recorder(r), el3(el3) {}
  emu::TrapReply on_trap(const emu::Trap& trap) override {
    recorder.on_hop(Level::El2, "pkvm:do_ffa_version");
    emu::Trap own = trap;
    own.el = 2;
    emu::TrapReply reply;
    for (int i = 0; i < forwards; ++i)
      reply = el3.on_trap(own);
    recorder.on_note(Level::El2, "negotiated v1.2");
    return reply;
  }
  CallRecorder& recorder;
  emu::TrapHandler& el3;
  int forwards = 1;
};

// Names its handler only after its own nested call, as pKVM's do_ffa_version does.
class LateNamingEl2 : public emu::TrapHandler {
 public:
  LateNamingEl2(CallRecorder& r, emu::TrapHandler& el3) : recorder(r), el3(el3) {}
  emu::TrapReply on_trap(const emu::Trap& trap) override {
    emu::Trap own = trap;
    own.el = 2;
    emu::TrapReply reply = el3.on_trap(own);
    recorder.on_hop(Level::El2, "pkvm:do_ffa_version");
    return reply;
  }
  CallRecorder& recorder;
  emu::TrapHandler& el3;
};

emu::Trap host_call(uint64_t x0) {
  emu::Trap t;
  t.pc = 0x40000010;
  t.regs = emu::regs(x0, 0x10002);
  return t;
}

std::vector<Level> levels(const CallRecord& r) {
  std::vector<Level> out;
  for (const PathStep& s : r.path)
    out.push_back(s.level);
  return out;
}

class CallRecorderTest : public ::testing::Test {
 protected:
  CallRecorder recorder;
  FakeEl3 el3{recorder};
  CallRecorder::Tap el2_tap{recorder, Level::El2, el3};
  FakeEl2 el2{recorder, el2_tap};
  CallRecorder::Tap el1_tap{recorder, Level::El1, el2};
};

TEST_F(CallRecorderTest, ProxiedCall_RecordsHostCallThenEl2CallWithFullPaths) {
  el1_tap.on_trap(host_call(0x84000063));
  const auto& rs = recorder.records();
  ASSERT_EQ(rs.size(), 2u);
  EXPECT_EQ(rs[0].from, Level::El1);
  EXPECT_EQ(rs[0].depth, 0);
  EXPECT_EQ(levels(rs[0]), (std::vector<Level>{Level::El1, Level::El2, Level::El3, Level::SEl2,
                                               Level::El3, Level::El2, Level::El1}));
  EXPECT_EQ(rs[1].from, Level::El2);
  EXPECT_EQ(rs[1].depth, 1);
  EXPECT_EQ(levels(rs[1]),
            (std::vector<Level>{Level::El2, Level::El3, Level::SEl2, Level::El3, Level::El2}));
  EXPECT_EQ(
      path_text(rs[0].path),
      "EL1 -> EL2 pkvm:do_ffa_version -> EL3 spmd -> S-EL2 spmc:version -> EL3 -> EL2 -> EL1");
  EXPECT_EQ(rs[0].out, emu::regs(0x10002));
  EXPECT_EQ(rs[0].notes, (std::vector<std::string>{"negotiated v1.2"}));
}

TEST_F(CallRecorderTest, TwoForwards_HostPathVisitsEl3Twice) {
  el2.forwards = 2;
  el1_tap.on_trap(host_call(0x84000068));
  const auto& rs = recorder.records();
  ASSERT_EQ(rs.size(), 3u);
  EXPECT_EQ(path_text(rs[0].path),
            "EL1 -> EL2 pkvm:do_ffa_version -> EL3 spmd -> S-EL2 spmc:version -> EL3 -> EL2 -> "
            "EL3 spmd -> S-EL2 spmc:version -> EL3 -> EL2 -> EL1");
}

TEST_F(CallRecorderTest, HandlerNamedAfterNestedCall_NamesTheStepWhereEl2WasEntered) {
  LateNamingEl2 late{recorder, el2_tap};
  CallRecorder::Tap tap{recorder, Level::El1, late};
  tap.on_trap(host_call(0x84000063));
  ASSERT_EQ(recorder.records().size(), 2u);
  EXPECT_EQ(
      path_text(recorder.records()[0].path),
      "EL1 -> EL2 pkvm:do_ffa_version -> EL3 spmd -> S-EL2 spmc:version -> EL3 -> EL2 -> EL1");
}

TEST_F(CallRecorderTest, PassThroughAtEl1_IsNotRecordedAsAnEl2Call) {
  CallRecorder::Tap direct{recorder, Level::El1, el2_tap};
  direct.on_trap(host_call(0x84000063));
  ASSERT_EQ(recorder.records().size(), 1u);
  EXPECT_EQ(path_text(recorder.records()[0].path),
            "EL1 -> EL3 spmd -> S-EL2 spmc:version -> EL3 -> EL1");
}

// A handler that throws, as the machine does for a call it cannot take (a kernel panic).
class ThrowingEl3 : public emu::TrapHandler {
 public:
  explicit ThrowingEl3(CallRecorder& r) : recorder(r) {}
  emu::TrapReply on_trap(const emu::Trap&) override {
    recorder.on_hop(Level::El3, "spmd");
    throw std::runtime_error("no handler");
  }
  CallRecorder& recorder;
};

TEST_F(CallRecorderTest, HandlerThrows_RecordKeptWithZeroResultAndNextCallStartsClean) {
  ThrowingEl3 failing{recorder};
  CallRecorder::Tap tap{recorder, Level::El1, failing};
  EXPECT_THROW(tap.on_trap(host_call(0x84000063)), std::runtime_error);
  ASSERT_EQ(recorder.records().size(), 1u);
  EXPECT_EQ(recorder.records()[0].in, emu::regs(0x84000063, 0x10002));
  EXPECT_EQ(recorder.records()[0].out, emu::SmcccRegs{});
  EXPECT_EQ(path_text(recorder.records()[0].path), "EL1 -> EL3 spmd");

  el1_tap.on_trap(host_call(0x84000063));
  ASSERT_EQ(recorder.records().size(), 3u);
  EXPECT_EQ(recorder.records()[1].depth, 0);
  EXPECT_EQ(recorder.records()[1].out, emu::regs(0x10002));
  EXPECT_EQ(
      path_text(recorder.records()[1].path),
      "EL1 -> EL2 pkvm:do_ffa_version -> EL3 spmd -> S-EL2 spmc:version -> EL3 -> EL2 -> EL1");
}

// A model that keeps making its own call from inside its own call: a recursion bug in a model.
class RecursingEl2 : public emu::TrapHandler {
 public:
  explicit RecursingEl2(CallRecorder& r) : tap(r, Level::El2, *this) {}
  emu::TrapReply on_trap(const emu::Trap& trap) override {
    emu::Trap own = trap;
    own.el = 2;
    return tap.on_trap(own);
  }
  CallRecorder::Tap tap;
};

TEST_F(CallRecorderTest, CallsNestedPastTheLimit_ThrowAndTheNextCallStartsClean) {
  RecursingEl2 recursing{recorder};
  CallRecorder::Tap tap{recorder, Level::El1, recursing};
  EXPECT_THROW(tap.on_trap(host_call(0x84000063)), std::length_error);
  size_t failed = recorder.records().size();
  EXPECT_EQ(failed, 16u);  // the seventeenth never started

  el1_tap.on_trap(host_call(0x84000063));
  ASSERT_EQ(recorder.records().size(), failed + 2);
  const CallRecord& host = recorder.records()[failed];
  EXPECT_EQ(host.depth, 0);
  EXPECT_EQ(recorder.records()[failed + 1].depth, 1);
  EXPECT_EQ(
      path_text(host.path),
      "EL1 -> EL2 pkvm:do_ffa_version -> EL3 spmd -> S-EL2 spmc:version -> EL3 -> EL2 -> EL1");
}

TEST_F(CallRecorderTest, OnRecord_FiresInCompletionOrder) {
  std::vector<uint64_t> seqs;
  recorder.on_record = [&](const CallRecord& r) { seqs.push_back(r.seq); };
  el1_tap.on_trap(host_call(0x84000063));
  EXPECT_EQ(seqs, (std::vector<uint64_t>{1, 0}));
}

TEST_F(CallRecorderTest, CallJson_HasTheStableShape) {
  el1_tap.on_trap(host_call(0x84000063));
  nlohmann::json j = call_json(recorder.records()[0]);
  EXPECT_EQ(j["from"], "EL1");
  EXPECT_EQ(j["conduit"], "smc");
  EXPECT_EQ(j["name"], "FFA_VERSION");
  EXPECT_EQ(j["in"]["x0"], "0x84000063");
  EXPECT_EQ(j["in"]["x1"], "0x10002");
  EXPECT_EQ(j["in"]["x17"], "0x0");
  EXPECT_EQ(j["out"]["x0"], "0x10002");
  EXPECT_EQ(j["path"], nlohmann::json::parse(R"(["EL1","EL2","EL3","S-EL2","EL3","EL2","EL1"])"));
  EXPECT_EQ(j["in"].size(), 18u);
}

TEST(Hex64, FullWidthLowercase) {
  EXPECT_EQ(hex64(~uint64_t{0}), "0xffffffffffffffff");
  EXPECT_EQ(hex64(0), "0x0");
  EXPECT_EQ(hex64(0xC4000066), "0xc4000066");
}

}  // namespace
}  // namespace ffaemu::trace

namespace ffaemu::trace {
namespace {

PathSteps steps(size_t n) {
  PathSteps path;
  for (size_t i = 0; i < n; ++i)
    path.push_back({i % 2 ? ffa::Level::El3 : ffa::Level::El1,
                    i % 2 ? ffa::HopName("spmd") : ffa::HopName(), i % 3 != 0});
  return path;
}

TEST(PathSteps, PastTheInlineStepsOrderAndValuesAreKept) {
  PathSteps path = steps(PathSteps::kInline + 5);
  ASSERT_EQ(path.size(), PathSteps::kInline + 5);
  for (size_t i = 0; i < path.size(); ++i) {
    EXPECT_EQ(path[i].level, i % 2 ? ffa::Level::El3 : ffa::Level::El1) << i;
    EXPECT_EQ(path[i].handler(), i % 2 ? "spmd" : "") << i;
    EXPECT_EQ(path[i].entry, i % 3 != 0) << i;
  }
  EXPECT_EQ(path.end() - path.begin(), static_cast<std::ptrdiff_t>(path.size()));
}

TEST(PathSteps, AssigningBetweenInlineAndHeapSizes_KeepsExactlyTheSourceSteps) {
  const size_t sizes[] = {0, 2, PathSteps::kInline, PathSteps::kInline + 4};
  for (size_t from : sizes) {
    for (size_t to : sizes) {
      PathSteps target = steps(to);
      const PathSteps source = steps(from);
      target = source;
      EXPECT_EQ(target, source) << to << " <- " << from;
      PathSteps moved_into = steps(to);
      PathSteps temp = source;
      moved_into = std::move(temp);
      EXPECT_EQ(moved_into, source) << to << " <- " << from;
      moved_into.push_back({ffa::Level::SEl1, "sp"});
      EXPECT_EQ(moved_into.size(), from + 1);
      EXPECT_EQ(moved_into.back().level, ffa::Level::SEl1);
    }
  }
  PathSteps self = steps(PathSteps::kInline + 1);
  const PathSteps& alias = self;
  self = alias;
  EXPECT_EQ(self, steps(PathSteps::kInline + 1));
}

TEST(PathSteps, CopiesAreEqualAndMovedFromPathsAreEmpty) {
  for (size_t n : {size_t{3}, PathSteps::kInline, PathSteps::kInline + 1}) {
    PathSteps original = steps(n);
    PathSteps copy = original;
    EXPECT_EQ(copy, original) << n;
    PathSteps moved = std::move(copy);
    EXPECT_EQ(moved, original) << n;
    EXPECT_TRUE(copy.empty()) << n;  // NOLINT(bugprone-use-after-move): the state is specified
    copy = steps(1);
    EXPECT_EQ(copy.size(), 1u);
    copy = std::move(moved);
    EXPECT_EQ(copy, original) << n;
  }
  EXPECT_FALSE(steps(2) == steps(3));
  PathSteps other = steps(2);
  other.push_back({ffa::Level::SEl2, "spmc:version"});
  EXPECT_FALSE(other == steps(3));
}

}  // namespace
}  // namespace ffaemu::trace

// Records every SMC/HVC of a system: who issued it (EL1 or EL2's own forwarded calls), x0-x17 in
// and out, and the exception-level path with the handler that acted at each level. Sits between
// the layers as TrapHandler decorators and listens to the models as their HopObserver.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <iterator>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "emu/smccc.h"
#include "ffa_core/abi/observer.h"
#include "trace/recycling_allocator.h"

namespace ffaemu::trace {

struct PathStep {
  constexpr PathStep() = default;
  constexpr PathStep(ffa::Level l, ffa::HopName h = {}, bool e = true) : level(l), entry(e) {
    set_handler(h);
  }

  // What acted at this level; empty on return.
  [[nodiscard]] constexpr std::string_view handler() const { return {handler_, handler_size_}; }
  constexpr void set_handler(ffa::HopName h) {
    handler_ = h.view().data();
    handler_size_ = static_cast<uint32_t>(h.view().size());
  }

 private:
  // HopName's parts rather than a HopName, whose padding would make a step 24 bytes, not 16.
  // Records are written on every call of every boot, and their size shows in a boot's time.
  const char* handler_ = nullptr;
  uint32_t handler_size_ = 0;

 public:
  ffa::Level level = ffa::Level::El1;
  bool entry = true;  // false for the steps of a return
};
static_assert(sizeof(PathStep) == 16);

// A call's path. Up to kInline steps live in the record itself (a boot's longest path has 9), more
// on the heap: recording a call then allocates nothing, where one vector per call made recording
// cost 10% of a boot (bench BM_Trace_Off). The inline slots are left uninitialised until used,
// and copies move only the steps in use: zeroing every slot of every record cost another 2%.
class PathSteps {
 public:
  static constexpr size_t kInline = 12;

  PathSteps() {}
  PathSteps(std::initializer_list<PathStep> steps);
  PathSteps(const PathSteps& other);
  PathSteps& operator=(const PathSteps& other);
  PathSteps(PathSteps&& other) noexcept;
  PathSteps& operator=(PathSteps&& other) noexcept;

  void push_back(const PathStep& step) {
    if (size_ < kInline) {
      inline_.steps[size_++] = step;
      return;
    }
    push_back_heap(step);
  }
  [[nodiscard]] size_t size() const { return size_; }
  [[nodiscard]] bool empty() const { return size_ == 0; }
  [[nodiscard]] PathStep* begin() { return size_ > kInline ? heap_.data() : inline_.steps; }
  [[nodiscard]] PathStep* end() { return begin() + size_; }
  [[nodiscard]] const PathStep* begin() const {
    return size_ > kInline ? heap_.data() : inline_.steps;
  }
  [[nodiscard]] const PathStep* end() const { return begin() + size_; }
  [[nodiscard]] std::reverse_iterator<PathStep*> rbegin() { return std::reverse_iterator(end()); }
  [[nodiscard]] std::reverse_iterator<PathStep*> rend() { return std::reverse_iterator(begin()); }
  [[nodiscard]] const PathStep& operator[](size_t i) const { return begin()[i]; }
  [[nodiscard]] const PathStep& back() const { return end()[-1]; }
  friend bool operator==(const PathSteps& a, const PathSteps& b);

 private:
  void copy_from(const PathSteps& other);
  void push_back_heap(const PathStep& step);

  union Inline {
    Inline() {}
    PathStep steps[kInline];
  };
  static_assert(std::is_trivially_copyable_v<PathStep>);

  Inline inline_;
  std::vector<PathStep> heap_;  // all the steps once there are more than kInline
  size_t size_ = 0;
};

struct CallRecord {
  // User-provided, so that a record made in place is not zero-filled before its members are set.
  CallRecord() {}
  // An open call: `out` holds the arguments until the call returns (copying is cheaper than
  // zeroing; CallRecorder::Tap clears it when the handler throws).
  CallRecord(uint64_t seq_, ffa::Level from_, const emu::Trap& trap, int depth_)
      : seq(seq_),
        from(from_),
        conduit(trap.conduit),
        pc(trap.pc),
        in(trap.regs),
        out(trap.regs),
        depth(depth_) {}

  uint64_t seq = 0;  // issue order
  ffa::Level from = ffa::Level::El1;
  emu::ConduitKind conduit = emu::ConduitKind::Smc;
  uint64_t pc = 0;
  emu::SmcccRegs in;
  emu::SmcccRegs out;
  PathSteps path;
  std::vector<std::string> notes;
  int depth = 0;  // 0: issued by EL1; 1: issued by a model while handling an EL1 call
};

// A boot's records: the buffer is recycled from boot to boot (trace/recycling_allocator.h).
using CallRecords = std::vector<CallRecord, RecyclingAllocator<CallRecord>>;

class CallRecorder final : public ffa::HopObserver {
 public:
  // Called with each finished record, in completion order (nested calls first).
  std::function<void(const CallRecord&)> on_record;

  void on_hop(ffa::Level level, ffa::HopName handler) override;
  void on_note(ffa::Level level, std::string_view message) override;

  // Room for `calls` records: one buffer of the same size every boot, which the recycling
  // allocator hands back from the last boot (growing call by call took a new one per doubling).
  void reserve(size_t calls) { records_.reserve(calls); }

  // Records are kept in issue order.
  [[nodiscard]] const CallRecords& records() const { return records_; }
  // Hands the records over (the recorder is empty afterwards).
  [[nodiscard]] CallRecords take_records();
  void clear();

  // A TrapHandler that records the calls `from` (EL1 or EL2) issues, then hands them to `inner`.
  class Tap final : public emu::TrapHandler {
   public:
    Tap(CallRecorder& recorder, ffa::Level from, emu::TrapHandler& inner)
        : recorder_(recorder), from_(from), inner_(inner) {}
    emu::TrapReply on_trap(const emu::Trap& trap) override;

   private:
    CallRecorder& recorder_;
    ffa::Level from_;
    emu::TrapHandler& inner_;
  };

 private:
  size_t begin(ffa::Level from, const emu::Trap& trap);
  void end(size_t index, const emu::SmcccRegs& out);
  void append(const PathStep& step);
  void name(ffa::Level level, ffa::HopName handler);

  // A stack that lives in the recorder: calls nest two deep (EL1, then EL2's own) and a path
  // visits a handful of levels, so no boot allocates for them. Overflowing is an ffaemu bug.
  template <typename T, size_t N>
  class Stack {
   public:
    void push_back(T value) {
      if (size_ == N) throw std::length_error("CallRecorder: calls or levels nested too deep");
      items_[size_++] = value;
    }
    void pop_back() { --size_; }
    void clear() { size_ = 0; }
    [[nodiscard]] bool empty() const { return size_ == 0; }
    [[nodiscard]] bool full() const { return size_ == N; }
    [[nodiscard]] size_t size() const { return size_; }
    [[nodiscard]] const T& back() const { return items_[size_ - 1]; }
    [[nodiscard]] const T* begin() const { return items_.data(); }
    [[nodiscard]] const T* end() const { return items_.data() + size_; }

   private:
    std::array<T, N> items_{};
    size_t size_ = 0;
  };

  struct Open {
    size_t record;
    size_t stack_base;  // levels below this index belong to callers
  };
  CallRecords records_;
  Stack<Open, 16> open_;
  Stack<ffa::Level, 64> stack_;
};

// "EL1 -> EL2 pkvm:do_ffa_version -> EL3 spmd -> S-EL2 spmc:version -> EL3 -> EL2 -> EL1"
[[nodiscard]] std::string path_text(const PathSteps& path);

}  // namespace ffaemu::trace

#include "trace/call_recorder.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace ffaemu::trace {

PathSteps::PathSteps(std::initializer_list<PathStep> steps) {
  for (const PathStep& step : steps)
    push_back(step);
}

void PathSteps::copy_from(const PathSteps& other) {
  size_ = other.size_;
  if (size_ <= kInline) std::copy_n(other.inline_.steps, size_, inline_.steps);
}

PathSteps::PathSteps(const PathSteps& other) : heap_(other.heap_) {
  copy_from(other);
}

PathSteps& PathSteps::operator=(const PathSteps& other) {
  if (this != &other) {
    heap_ = other.heap_;
    copy_from(other);
  }
  return *this;
}

PathSteps::PathSteps(PathSteps&& other) noexcept : heap_(std::move(other.heap_)) {
  copy_from(other);
  other.size_ = 0;
}

PathSteps& PathSteps::operator=(PathSteps&& other) noexcept {
  if (this != &other) {
    heap_ = std::move(other.heap_);
    copy_from(other);
    other.size_ = 0;
  }
  return *this;
}

void PathSteps::push_back_heap(const PathStep& step) {
  if (size_ == kInline) heap_.assign(inline_.steps, inline_.steps + kInline);
  heap_.push_back(step);
  ++size_;
}

bool operator==(const PathSteps& a, const PathSteps& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](const PathStep& x, const PathStep& y) {
                      return x.level == y.level && x.handler() == y.handler() && x.entry == y.entry;
                    });
}

void CallRecorder::clear() {
  records_.clear();
  open_.clear();
  stack_.clear();
}

CallRecords CallRecorder::take_records() {
  CallRecords out = std::move(records_);
  clear();
  return out;
}

size_t CallRecorder::begin(ffa::Level from, const emu::Trap& trap) {
  if (open_.full()) throw std::length_error("CallRecorder: calls nested too deep");
  CallRecord& r =
      records_.emplace_back(records_.size(), from, trap, static_cast<int>(open_.size()));
  r.path.push_back({from, {}, true});
  if (stack_.empty() || stack_.back() != from) {
    stack_.push_back(from);
    append({from, {}, true});
  }
  open_.push_back({records_.size() - 1, stack_.size() - 1});
  return records_.size() - 1;
}

// Every open call sees the step: an EL1 call's path includes what EL2's own calls did.
void CallRecorder::append(const PathStep& step) {
  for (const Open& o : open_)
    records_[o.record].path.push_back(step);
}

// Names the step where `level` was last entered: a model may say what acted only after its own
// nested calls returned (pKVM's do_ffa_version reports once its post-init calls are done).
void CallRecorder::name(ffa::Level level, ffa::HopName handler) {
  for (const Open& o : open_) {
    auto& path = records_[o.record].path;
    auto it = std::find_if(path.rbegin(), path.rend(),
                           [level](const PathStep& s) { return s.level == level && s.entry; });
    if (it == path.rend()) continue;
    if (it->handler().empty()) {
      it->set_handler(handler);
    } else if (it->handler() != handler.view()) {
      it->set_handler(
          ffa::HopName::keep(std::string(it->handler()).append("+").append(handler.view())));
    }
  }
}

void CallRecorder::on_hop(ffa::Level level, ffa::HopName handler) {
  if (open_.empty()) return;
  size_t base = open_.back().stack_base;
  const ffa::Level* it = std::find(stack_.begin() + base, stack_.end(), level);
  if (it == stack_.end()) {
    stack_.push_back(level);
    append({level, handler, true});
    return;
  }
  // Back at a level already on the way: unwind to it, then name what acted there.
  while (stack_.back() != level) {
    stack_.pop_back();
    append({stack_.back(), {}, false});
  }
  if (!handler.empty()) name(level, handler);
}

void CallRecorder::on_note(ffa::Level, std::string_view message) {
  for (const Open& o : open_)
    records_[o.record].notes.emplace_back(message);
}

void CallRecorder::end(size_t index, const emu::SmcccRegs& out) {
  size_t base = open_.back().stack_base;
  while (stack_.size() > base + 1) {
    stack_.pop_back();
    append({stack_.back(), {}, false});
  }
  records_[index].out = out;
  open_.pop_back();
  if (open_.empty()) stack_.clear();
  if (on_record) on_record(records_[index]);
}

emu::TrapReply CallRecorder::Tap::on_trap(const emu::Trap& trap) {
  // A call passed through unchanged from a lower EL (pKVM not installed) is not a new call.
  uint8_t el = from_ == ffa::Level::El1 ? 1 : 2;
  if (trap.el != el) return inner_.on_trap(trap);
  size_t index = recorder_.begin(from_, trap);
  emu::TrapReply reply = [&] {
    try {
      return inner_.on_trap(trap);
    } catch (...) {
      recorder_.records_[index].out = {};
      recorder_.open_.clear();
      recorder_.stack_.clear();
      throw;
    }
  }();
  recorder_.end(index, reply.regs);
  return reply;
}

std::string path_text(const PathSteps& path) {
  std::string out;
  for (const PathStep& step : path) {
    if (!out.empty()) out += " -> ";
    out += ffa::level_name(step.level);
    if (!step.handler().empty()) out.append(" ").append(step.handler());
  }
  return out;
}

}  // namespace ffaemu::trace

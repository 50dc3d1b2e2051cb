#include "trace/call_recorder.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <string>
#include <unordered_set>

namespace ffaemu::trace {
namespace {

// Handler names come from a small, fixed set; keeping one copy of each makes a path step a
// level and a view, with no allocation per call.
struct NameHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

std::string_view intern_locked(std::string_view name) {
  static std::mutex lock;
  static std::unordered_set<std::string, NameHash, std::equal_to<>> names;
  std::lock_guard<std::mutex> guard(lock);
  auto it = names.find(name);
  if (it == names.end()) it = names.emplace(name).first;
  return *it;
}

uint64_t load64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// Equal bytes, compared inline (names are short; a call to memcmp for each of a boot's hops
// showed in its profile): whole words, the last one overlapping, or bytes below a word.
bool same_bytes(const char* a, const char* b, size_t n) {
  if (n < 8) {
    for (size_t i = 0; i < n; ++i) {
      if (a[i] != b[i]) return false;
    }
    return true;
  }
  for (size_t i = 0; i + 8 < n; i += 8) {
    if (load64(a + i) != load64(b + i)) return false;
  }
  return load64(a + n - 8) == load64(b + n - 8);
}

// Models mostly pass the same literals, so a per-thread cache keyed by where the text lives
// answers without the lock. The text is compared too: a heap string may reuse an address.
struct CachedName {
  const char* data = nullptr;
  size_t size = 0;
  std::string_view interned;
};
thread_local constinit std::array<CachedName, 256> name_cache{};

[[gnu::noinline]] std::string_view intern_uncached(std::string_view name, CachedName& slot) {
  slot = {name.data(), name.size(), intern_locked(name)};
  return slot.interned;
}

// `name` (not empty), interned for the process.
std::string_view intern(std::string_view name) {
  // Fibonacci hashing spreads neighbouring literals over the whole table.
  uint64_t key = reinterpret_cast<uintptr_t>(name.data()) * 0x9e3779b97f4a7c15;
  CachedName& slot = name_cache[key >> 56];
  if (slot.data == name.data() && slot.size == name.size() &&
      same_bytes(slot.interned.data(), name.data(), name.size())) {
    return slot.interned;
  }
  return intern_uncached(name, slot);
}

std::string_view intern_or_empty(std::string_view name) {
  return name.empty() ? std::string_view{} : intern(name);
}

}  // namespace

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
void CallRecorder::name(ffa::Level level, std::string_view handler) {
  for (const Open& o : open_) {
    auto& path = records_[o.record].path;
    auto it = std::find_if(path.rbegin(), path.rend(),
                           [level](const PathStep& s) { return s.level == level && s.entry; });
    if (it == path.rend()) continue;
    if (it->handler().empty()) {
      it->set_handler(intern_or_empty(handler));
    } else if (it->handler() != handler) {
      it->set_handler(intern(std::string(it->handler()).append("+").append(handler)));
    }
  }
}

void CallRecorder::on_hop(ffa::Level level, std::string_view handler) {
  if (open_.empty()) return;
  size_t base = open_.back().stack_base;
  const ffa::Level* it = std::find(stack_.begin() + base, stack_.end(), level);
  if (it == stack_.end()) {
    stack_.push_back(level);
    append({level, intern_or_empty(handler), true});
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

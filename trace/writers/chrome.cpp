#include "trace/writers/chrome.h"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "trace/call_text.h"

namespace ffaemu::trace {
namespace {

using ffa::Level;
using Json = nlohmann::ordered_json;

constexpr int kPid = 1;
constexpr int kKernelTid = 1;

int level_tid(Level level) {
  return 2 + static_cast<int>(level);
}

struct Track {
  int tid;
  const char* name;
};
constexpr std::array<Track, 6> kTracks = {{
    {kKernelTid, "kernel"},
    {2 + static_cast<int>(Level::El1), "EL1 Linux"},
    {2 + static_cast<int>(Level::El2), "EL2 pKVM"},
    {2 + static_cast<int>(Level::El3), "EL3 SPMD"},
    {2 + static_cast<int>(Level::SEl2), "S-EL2 SPMC"},
    {2 + static_cast<int>(Level::SEl1), "S-EL1 SP"},
}};

std::string name_of(const CallRecord& call) {
  return call_name(call.in.w(0));
}

Json call_args(const CallRecord& call) {
  Json notes = Json::array();
  for (const std::string& n : call.notes)
    notes.push_back(n);
  return {
      {"seq", call.seq},
      {"function_id", fmt::format("{:#010x}", call.in.w(0))},
      {"call", describe_args(call.in)},
      {"result", describe_result(call.in, call.out)},
      {"path", path_text(call.path)},
      {"notes", notes},
  };
}

bool same_step(const PathStep& a, const PathStep& b) {
  return a.level == b.level && a.handler() == b.handler();
}

}  // namespace

ChromeWriter::ChromeWriter(std::ostream& out) : out_(out) {
  out_ << "{\"traceEvents\":[\n";
  emit({{"name", "process_name"}, {"ph", "M"}, {"pid", kPid}, {"args", {{"name", "ffaemu"}}}});
  for (const Track& t : kTracks) {
    emit({{"name", "thread_name"},
          {"ph", "M"},
          {"pid", kPid},
          {"tid", t.tid},
          {"args", {{"name", t.name}}}});
    emit({{"name", "thread_sort_index"},
          {"ph", "M"},
          {"pid", kPid},
          {"tid", t.tid},
          {"args", {{"sort_index", t.tid}}}});
  }
}

void ChromeWriter::emit(const Json& event) {
  if (!first_) out_ << ",\n";
  first_ = false;
  out_ << event.dump(-1, ' ', false, Json::error_handler_t::replace);
}

void ChromeWriter::slice(int tid, const std::string& name, const char* cat, uint64_t start,
                         uint64_t end, Json args) {
  emit({{"name", name},
        {"cat", cat},
        {"ph", "X"},
        {"ts", start},
        {"dur", end - start},
        {"pid", kPid},
        {"tid", tid},
        {"args", std::move(args)}});
}

void ChromeWriter::instant(int tid, const std::string& name, const char* cat, Json args) {
  emit({{"name", name},
        {"cat", cat},
        {"ph", "i"},
        {"s", "t"},
        {"ts", now_},
        {"pid", kPid},
        {"tid", tid},
        {"args", std::move(args)}});
}

void ChromeWriter::insn(const InsnEvent&) {
  ++now_;
}

void ChromeWriter::call(const CallRecord& call) {
  // A model's own calls complete before the call that caused them: keep them until it arrives.
  if (call.depth > 0) {
    nested_.push_back(call);
    return;
  }
  std::vector<CallRecord> nested;
  nested.swap(nested_);
  lay_out(call, std::move(nested));
}

// Step i of the path happens at base + kHop * i. Walking the path as CallRecorder builds it, a new
// level opens a slice on its track and a level already open closes the slices above it, so the
// slices on each track nest. Calls a model made while handling this one are matched to the steps
// they account for and drawn on their issuer's track inside its slice.
void ChromeWriter::lay_out(const CallRecord& call, std::vector<CallRecord> nested) {
  const PathSteps& path = call.path;
  uint64_t base = now_;
  auto at = [&](size_t i) { return base + kHop * i; };
  uint64_t end = at(std::max<size_t>(path.size(), 1));

  std::sort(nested.begin(), nested.end(),
            [](const CallRecord& a, const CallRecord& b) { return a.seq < b.seq; });
  struct Span {
    size_t first, last;
    const CallRecord* call;
  };
  std::vector<Span> spans;
  std::vector<const CallRecord*> unmatched;
  size_t search = 1;
  for (const CallRecord& q : nested) {
    size_t m = q.path.empty() ? 0 : q.path.size() - 1;
    bool found = false;
    for (size_t k = search; m > 0 && q.depth == call.depth + 1 && k + m <= path.size(); ++k) {
      if (!std::equal(q.path.begin() + 1, q.path.end(), path.begin() + static_cast<long>(k),
                      same_step)) {
        continue;
      }
      spans.push_back({k, k + m - 1, &q});
      search = k + m;
      found = true;
      break;
    }
    if (!found) unmatched.push_back(&q);
  }
  auto owner = [&](size_t i) -> const CallRecord* {
    for (const Span& s : spans) {
      if (i >= s.first && i <= s.last) return s.call;
    }
    return &call;
  };

  struct Open {
    Level level;
    uint64_t start;
    std::string handler;
    const CallRecord* owner;
  };
  struct Closed {
    Level level;
    uint64_t start, end;
  };
  std::vector<Open> stack;
  std::vector<Closed> closed;
  auto close = [&](uint64_t when) {
    const Open& o = stack.back();
    if (stack.size() == 1) {
      slice(level_tid(o.level), name_of(call), "smccc", o.start, when, call_args(call));
    } else {
      std::string name = o.handler.empty() ? name_of(*o.owner) : o.handler;
      slice(level_tid(o.level), name, "smccc", o.start, when,
            {{"call", name_of(*o.owner)}, {"handler", o.handler}});
    }
    closed.push_back({o.level, o.start, when});
    stack.pop_back();
  };

  stack.push_back({path.empty() ? call.from : path[0].level, at(0),
                   path.empty() ? std::string() : std::string(path[0].handler()), &call});
  for (size_t i = 1; i < path.size(); ++i) {
    const PathStep& step = path[i];
    auto open = std::find_if(stack.begin(), stack.end(),
                             [&](const Open& o) { return o.level == step.level; });
    if (open == stack.end()) {
      stack.push_back({step.level, at(i), std::string(step.handler()), owner(i)});
      continue;
    }
    while (stack.back().level != step.level)
      close(at(i));
    std::string& handler = stack.back().handler;
    if (step.handler().empty() || handler == step.handler()) continue;
    if (!handler.empty()) handler += "+";
    handler += step.handler();
  }
  while (!stack.empty())
    close(end);

  for (const Span& s : spans) {
    const CallRecord& q = *s.call;
    uint64_t start = at(s.first) - 1, stop = at(s.last);
    bool inside = std::any_of(closed.begin(), closed.end(), [&](const Closed& c) {
      return c.level == q.from && c.start < start && stop < c.end;
    });
    if (!inside) {
      unmatched.push_back(&q);
      continue;
    }
    slice(level_tid(q.from), name_of(q), "smccc", start, stop, call_args(q));
  }
  now_ = end;
  for (const std::string& note : call.notes)
    instant(level_tid(call.from), note, "note", {{"call", name_of(call)}});
  for (const CallRecord* q : unmatched)
    lay_out(*q, {});
}

void ChromeWriter::close_boot(size_t index) {
  while (boot_open_.size() > index) {
    OpenSlice& o = boot_open_.back();
    slice(kKernelTid, o.name, o.cat.c_str(), o.start, now_, std::move(o.args));
    boot_open_.pop_back();
  }
}

void ChromeWriter::boot(const BootEvent& e) {
  switch (e.kind) {
    case BootKind::InitcallStart:
      boot_open_.push_back({e.name, "initcall", now_, {{"level", e.level}}});
      break;
    case BootKind::ProbeStart:
      boot_open_.push_back({e.name, "probe", now_, Json::object()});
      break;
    case BootKind::InitcallEnd:
    case BootKind::ProbeEnd: {
      const char* cat = e.kind == BootKind::InitcallEnd ? "initcall" : "probe";
      auto open = std::find_if(boot_open_.rbegin(), boot_open_.rend(), [&](const OpenSlice& o) {
        return o.name == e.name && o.cat == cat;
      });
      if (open == boot_open_.rend()) {
        instant(kKernelTid, e.name, cat, {{"ret", e.ret ? Json(*e.ret) : Json(nullptr)}});
        break;
      }
      open->args["ret"] = e.ret ? Json(*e.ret) : Json(nullptr);
      close_boot(static_cast<size_t>(boot_open_.rend() - open) - 1);
      break;
    }
    case BootKind::Defer:
      instant(kKernelTid, "defer " + e.name, "probe", {{"reason", e.message}});
      break;
    case BootKind::PkvmState:
      instant(level_tid(Level::El2), "pkvm " + e.name, "pkvm", {{"message", e.message}});
      break;
    case BootKind::Log:
      instant(kKernelTid, e.message, "log", Json::object());
      break;
  }
  ++now_;
}

void ChromeWriter::finish() {
  if (finished_) return;
  finished_ = true;
  std::vector<CallRecord> nested;
  nested.swap(nested_);
  for (const CallRecord& q : nested)
    lay_out(q, {});
  close_boot(0);
  out_ << "\n],\"otherData\":{\"clock\":\"virtual: 1 us per instruction, " << kHop
       << " us per exception-level step, 1 us per boot event\"}}\n";
  out_.flush();
}

}  // namespace ffaemu::trace

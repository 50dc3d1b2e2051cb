// Boots the Linux model on a System: the kernel talks to the guest conduits, pKVM is its
// hypervisor when `pkvm on`, and every call and boot event is kept in the order it happened.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/system.h"
#include "cli/trace_session.h"
#include "ffa_core/linux/kernel.h"

namespace ffaemu::cli {

// One entry of the boot's timeline: a boot event, or the start of a top-level call.
struct TimelineItem {
  enum class Kind : uint8_t { Event, Call } kind = Kind::Event;
  size_t index = 0;  // into BootRun::events or the recorder's records
};

struct BootRun {
  SystemOptions options;
  lnx::BootResult result;
  std::vector<lnx::LogLine> log;
  std::vector<lnx::BootEvent> events;
  trace::CallRecords calls;
  std::vector<size_t> calls_before;  // per event: how many calls had started before it
};

// Events and top-level calls in the order they happened, made when a timeline is printed: a
// boot does not pay for it, and `ffaemu run` prints one of the five boots it makes.
[[nodiscard]] std::vector<TimelineItem> timeline(const BootRun& run);

// The kernel's configuration from the system options.
[[nodiscard]] lnx::KernelConfig kernel_config(const SystemOptions& options);

// Where a traced boot writes its trace.
struct BootTracing {
  TraceArgs args;
  std::ostream* out = nullptr;
  bool color = false;
};

// Builds a System, boots it and returns everything that happened, tracing it when asked.
// `machine`, when given, is reused (reset) instead of building a new one.
[[nodiscard]] BootRun boot(const SystemOptions& options, const SystemWiring& wiring = {},
                           const BootTracing* tracing = nullptr, Machine* machine = nullptr);

// architecture.md: {"ffa_ready", "ready_at", "probe_error", "partitions", "consumers"}.
[[nodiscard]] nlohmann::ordered_json outcome_json(const lnx::BootResult& result);
// {"system", "outcome", "initcalls", "calls", "log"}
[[nodiscard]] nlohmann::ordered_json run_json(const BootRun& run);
[[nodiscard]] nlohmann::ordered_json system_json(const SystemOptions& options);

}  // namespace ffaemu::cli

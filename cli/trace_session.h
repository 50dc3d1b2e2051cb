// `--trace FILE --trace-format F --trace-level L --explain` for a System: opens the writer, feeds
// it every call (and every instruction at `insn` level) and the boot model's events.
#pragma once

#include <fstream>
#include <memory>
#include <optional>
#include <string>

#include "cli/system.h"
#include "ffa_core/linux/printk.h"
#include "trace/insn_tracer.h"
#include "trace/writer.h"

namespace ffaemu::cli {

struct TraceArgs {
  std::optional<std::string> file;  // "-" or nullopt with `to_stdout`: standard output
  std::string format = "text";
  std::string level = "call";
  bool explain = false;
};

// lnx::BootEvent as the trace writers take it.
[[nodiscard]] trace::BootEvent trace_event(const lnx::BootEvent& event);

class TraceSession final : public lnx::BootObserver {
 public:
  // Throws std::invalid_argument (a usage error) for an unknown format or level and
  // std::runtime_error when the file cannot be opened.
  TraceSession(const TraceArgs& args, System& system, std::ostream& out, bool color,
               std::optional<trace::DrcovModule> module = std::nullopt);
  ~TraceSession() override;

  void on_boot_event(const lnx::BootEvent& event) override;
  // Writes what the format keeps for the end; call once, after the last run.
  void finish();

 private:
  std::ofstream file_;
  std::unique_ptr<trace::Writer> writer_;
  std::optional<trace::InsnTracer> tracer_;
  System& system_;
};

}  // namespace ffaemu::cli

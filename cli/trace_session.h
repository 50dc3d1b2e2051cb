// `--trace FILE --trace-format F --trace-level L --explain` for a System: opens the writer, feeds
// it every call (and every instruction at `insn` level) and the boot model's events.
#pragma once

#include <memory>
#include <optional>
#include <ostream>
#include <string>

#include "cli/system.h"
#include "ffa_core/linux/printk.h"
#include "trace/async_file.h"
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
  // trace::TraceFileError when the file cannot be opened.
  TraceSession(const TraceArgs& args, System& system, std::ostream& out, bool color,
               std::optional<trace::DrcovModule> module = std::nullopt);
  ~TraceSession() override;

  void on_boot_event(const lnx::BootEvent& event) override;
  // Writes what the format keeps for the end and closes the file; call once, after the last run.
  // Throws trace::TraceFileError when the file could not be written.
  void finish();

 private:
  std::unique_ptr<trace::AsyncFileBuf> file_buf_;
  std::optional<std::ostream> file_;
  std::unique_ptr<trace::Writer> writer_;
  std::optional<trace::InsnTracer> tracer_;
  System& system_;
};

}  // namespace ffaemu::cli

// Trace writers: one class per output format (`--trace-format`), all fed the same events, and the
// factory the CLI uses. Formats and their sources: docs/trace.md, emulation-tech.md section 5.
#pragma once

#include <cstdint>
#include <memory>
#include <ostream>
#include <span>
#include <string>
#include <string_view>

#include "trace/events.h"

namespace ffaemu::trace {

// `--trace-level`: call (the default) records calls and boot events only and installs no hook;
// insn adds every instruction through an InsnTracer.
enum class TraceLevel : uint8_t { Call, Insn };

// "call" or "insn"; throws std::invalid_argument naming the valid levels.
[[nodiscard]] TraceLevel parse_trace_level(std::string_view text);

// The drcov module: the guest image that ran. Tools match it by file name.
struct DrcovModule {
  uint64_t base = 0;
  uint64_t end = 0;  // exclusive
  uint64_t entry = 0;
  std::string path;
};

struct WriterOptions {
  bool color = false;    // text: ANSI colour (the CLI enables it on a terminal)
  bool explain = false;  // text: a teaching block after each call
  uint16_t smccc_major = 1;
  uint16_t smccc_minor = 2;  // the SMCCC version in force, for `explain`
  DrcovModule module;        // drcov: the default is the code region of emu/layout.h
};

class Writer {
 public:
  virtual ~Writer() = default;
  virtual void insn(const InsnEvent& event) = 0;
  virtual void call(const CallRecord& call) = 0;
  virtual void boot(const BootEvent& event) = 0;
  // Writes whatever the format keeps for the end (closing brackets, the drcov block table) and
  // flushes the stream; call it once, after the last event. Until then output may be buffered
  // (a destroyed writer still hands over what it buffered).
  virtual void finish() = 0;
};

// "text", "jsonl", "chrome", "tenet", "drcov".
[[nodiscard]] std::span<const std::string_view> trace_formats();

// Throws std::invalid_argument for an unknown format, listing the valid ones. drcov writes binary
// records: open `out` in binary mode.
[[nodiscard]] std::unique_ptr<Writer> make_writer(std::string_view format, std::ostream& out,
                                                  const WriterOptions& options = {});

}  // namespace ffaemu::trace

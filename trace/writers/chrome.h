// Chrome Trace Event JSON (`--trace-format chrome`) for Perfetto and chrome://tracing: one track
// per exception level plus a kernel track, calls as "X" slices on each level they pass through,
// initcalls and probes as slices on the kernel track. Timestamps come from a virtual clock, never
// wall time. Format: the Trace Event Format document, emulation-tech.md section 5.3.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "trace/writer.h"

namespace ffaemu::trace {

class ChromeWriter final : public Writer {
 public:
  // Virtual clock, in microseconds: one per instruction, kHop per path step, one per boot event.
  static constexpr uint64_t kHop = 2;

  explicit ChromeWriter(std::ostream& out);
  void insn(const InsnEvent& event) override;
  void call(const CallRecord& call) override;
  void boot(const BootEvent& event) override;
  void finish() override;

 private:
  struct OpenSlice {
    std::string name;
    std::string cat;
    uint64_t start = 0;
    nlohmann::ordered_json args;
  };
  void emit(const nlohmann::ordered_json& event);
  void slice(int tid, const std::string& name, const char* cat, uint64_t start, uint64_t end,
             nlohmann::ordered_json args);
  void instant(int tid, const std::string& name, const char* cat, nlohmann::ordered_json args);
  void lay_out(const CallRecord& call, std::vector<CallRecord> nested);
  void close_boot(size_t index);

  std::ostream& out_;
  bool first_ = true;
  bool finished_ = false;
  uint64_t now_ = 0;
  std::vector<CallRecord> nested_;  // calls made while handling a call, waiting for it
  std::vector<OpenSlice> boot_open_;
};

}  // namespace ffaemu::trace

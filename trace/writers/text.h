// The readable trace (`--trace-format text`, the default): one aligned line per instruction
// (address, word, disassembly, register deltas, memory), calls as trace/text_writer.h prints them,
// boot steps indented by nesting. ANSI colour only when asked.
#pragma once

#include <ostream>
#include <string>

#include "trace/call_order.h"
#include "trace/writer.h"
#include "trace/writers/out_buffer.h"

namespace ffaemu::trace {

class TextWriter final : public Writer {
 public:
  TextWriter(std::ostream& out, const WriterOptions& options);
  void insn(const InsnEvent& event) override;
  void call(const CallRecord& call) override;
  void boot(const BootEvent& event) override;
  void finish() override;

 private:
  void write_call(const CallRecord& call);
  [[nodiscard]] std::string site_text(const InsnEvent& event) const;

  OutBuffer out_;
  WriterOptions options_;
  SiteText sites_;
  DecimalCounter seq_{8};
  HexCache hex_;
  std::string seq_colour_, delta_colour_, memory_colour_, colour_off_;  // empty without colour
  int boot_depth_ = 0;
  CallOrder order_;
};

}  // namespace ffaemu::trace

// Tenet's text trace (`--trace-format tenet`, gaasedelen/tenet tracers/README.md "Trace Format"):
// one line per instruction with the registers it changed, the next pc last among the registers,
// then its memory accesses (mr=/mw=0x<addr>:<bytes in memory order>). The first line holds the
// full state. AArch64 names: x0-x28, fp, lr, sp, pc (33 registers, one over upstream Tenet's
// 32-register limit; see docs/trace.md).
#pragma once

#include <array>
#include <ostream>

#include "trace/writer.h"
#include "trace/writers/out_buffer.h"

namespace ffaemu::trace {

class TenetWriter final : public Writer {
 public:
  explicit TenetWriter(std::ostream& out);
  void insn(const InsnEvent& event) override;
  void call(const CallRecord&) override {}
  void boot(const BootEvent&) override {}
  void finish() override;

 private:
  static constexpr int kRegs = 33;  // x0-x30, sp, pc: the registers Tenet sees, emu::CpuRegs order

  OutBuffer out_;
  bool started_ = false;
  std::array<uint64_t, kRegs> state_{};  // what a Tenet reader knows after the last line
};

}  // namespace ffaemu::trace

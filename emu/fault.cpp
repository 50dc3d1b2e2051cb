#include <fmt/format.h>

#include "emu/engine.h"

namespace ffaemu::emu {

UnicornError::UnicornError(std::string operation, int code, const std::string& text)
    : std::runtime_error(fmt::format("unicorn: {} failed: {} (uc_err {})", operation, text, code)),
      operation_(std::move(operation)),
      code_(code) {}

const char* fault_kind_name(FaultKind kind) {
  switch (kind) {
    case FaultKind::ReadUnmapped:
      return "read of unmapped memory";
    case FaultKind::WriteUnmapped:
      return "write to unmapped memory";
    case FaultKind::FetchUnmapped:
      return "fetch from unmapped memory";
    case FaultKind::ReadProtected:
      return "read of non-readable memory";
    case FaultKind::WriteProtected:
      return "write to read-only memory";
    case FaultKind::FetchProtected:
      return "fetch from non-executable memory";
    case FaultKind::UndefinedInstruction:
      return "undefined instruction";
    case FaultKind::Breakpoint:
      return "breakpoint";
    case FaultKind::WaitForInterrupt:
      return "wait for interrupt";
    case FaultKind::SpAlignment:
      return "SP alignment fault";
    case FaultKind::BudgetExhausted:
      return "instruction budget exhausted";
    case FaultKind::UnhandledException:
      return "unhandled exception";
  }
  return "fault";
}

std::string Fault::message() const {
  std::string out = fault_kind_name(kind);
  bool memory = kind <= FaultKind::FetchProtected;
  if (memory) out += fmt::format(" at {:#x} ({} bytes)", address, size);
  out += fmt::format(" {} pc {:#x}", kind == FaultKind::BudgetExhausted ? "stopped at" : "at", pc);
  if (!pc_exact) out += " (start of the translation block; exact instruction unknown)";
  if (!disasm.empty()) out += fmt::format(": `{}`", disasm);
  if (insn_word) out += fmt::format(" [{:08x}]", *insn_word);
  if (!detail.empty()) out += fmt::format("; {}", detail);
  return out;
}

}  // namespace ffaemu::emu

#include "trace/events.h"

#include <array>

namespace ffaemu::trace {
namespace {

constexpr std::array<std::string_view, emu::kCpuRegCount> kRegNames = {
    "x0",  "x1",  "x2",  "x3",  "x4",  "x5",  "x6",  "x7",  "x8",  "x9",   "x10", "x11",
    "x12", "x13", "x14", "x15", "x16", "x17", "x18", "x19", "x20", "x21",  "x22", "x23",
    "x24", "x25", "x26", "x27", "x28", "x29", "x30", "sp",  "pc",  "nzcv",
};

}  // namespace

std::string_view reg_name(int index) {
  return index >= 0 && index < emu::kCpuRegCount ? kRegNames[static_cast<size_t>(index)] : "?";
}

uint64_t InsnEvent::next_pc() const {
  for (const RegDelta& d : deltas) {
    if (d.reg == static_cast<uint8_t>(emu::Reg::Pc)) return d.new_value;
  }
  return pc + size;
}

std::string_view boot_kind_name(BootKind kind) {
  switch (kind) {
    case BootKind::InitcallStart:
      return "initcall_start";
    case BootKind::InitcallEnd:
      return "initcall_end";
    case BootKind::ProbeStart:
      return "probe_start";
    case BootKind::ProbeEnd:
      return "probe_end";
    case BootKind::Defer:
      return "defer";
    case BootKind::PkvmState:
      return "pkvm_state";
    case BootKind::Log:
      return "log";
  }
  return "?";
}

}  // namespace ffaemu::trace

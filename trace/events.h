// The events trace writers consume: one executed instruction (InsnEvent, from InsnTracer), one
// SMC/HVC (CallRecord, from CallRecorder) and one step of the Linux boot model (BootEvent).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "emu/engine.h"
#include "trace/call_recorder.h"

namespace ffaemu::trace {

// A register index as in emu::CpuRegs: 0-30 are x0-x30, then sp, pc, nzcv.
[[nodiscard]] std::string_view reg_name(int index);  // "x0", "sp", "pc", "nzcv"

struct RegDelta {
  uint8_t reg = 0;
  uint64_t old_value = 0;
  uint64_t new_value = 0;
  friend bool operator==(const RegDelta&, const RegDelta&) = default;
};

struct MemAccess {
  bool write = false;
  uint64_t address = 0;
  uint32_t size = 0;   // bytes, at most 8
  uint64_t value = 0;  // little-endian: the first byte in memory is the low byte
  friend bool operator==(const MemAccess&, const MemAccess&) = default;
};

inline constexpr uint32_t kNoSite = UINT32_MAX;

// One executed instruction. The views point into the tracer's buffers and are valid only during
// the Writer::insn call that receives the event.
struct InsnEvent {
  uint64_t seq = 0;  // instructions traced before this one
  uint64_t pc = 0;
  uint32_t size = 4;
  uint32_t word = 0;  // little-endian instruction word
  // The tracer's id for this (pc, word) pair; pc, size, word and disasm are the same for every
  // event with the same site, so a writer may format them once. kNoSite: not to be cached.
  uint32_t site = kNoSite;
  std::string_view disasm;               // "movz x0, #0x1"
  const emu::CpuRegs* before = nullptr;  // the full register state before the instruction ran
  // Registers the instruction changed. pc appears only when the next pc is not pc + size.
  std::span<const RegDelta> deltas;
  std::span<const MemAccess> memory;  // in the order the instruction made them

  // The pc of the next instruction.
  [[nodiscard]] uint64_t next_pc() const;
};

// Boot steps of the Linux model. A start is closed by the next end with the same name (an end
// also closes any start left open inside it).
enum class BootKind : uint8_t {
  InitcallStart,  // level, name
  InitcallEnd,    // level, name, ret
  ProbeStart,     // name (driver or device)
  ProbeEnd,       // name, ret (-517 is -EPROBE_DEFER)
  Defer,          // name, message (why the probe was deferred)
  PkvmState,      // name (the new state), message
  Log,            // message (a kernel log line)
};

[[nodiscard]] std::string_view boot_kind_name(BootKind kind);  // "initcall_start", ...

struct BootEvent {
  BootKind kind = BootKind::Log;
  std::string level;  // the initcall level macro name: "device_initcall"
  std::string name;
  std::optional<int> ret;
  std::string message;
};

}  // namespace ffaemu::trace

// The stable JSON form of a call (architecture.md "JSON output", docs/json.md): register values as
// lowercase hex strings of the full 64-bit value.
#pragma once

#include <span>

#include <nlohmann/json.hpp>

#include "emu/smccc.h"
#include "trace/call_recorder.h"

namespace ffaemu::trace {

[[nodiscard]] std::string hex64(uint64_t value);  // "0xffffffffffffffff", "0x0"
[[nodiscard]] nlohmann::ordered_json regs_json(const emu::SmcccRegs& regs);
// {"from", "conduit", "name", "in": {"x0".."x17"}, "out": {...}, "path": ["EL1", ...]}
[[nodiscard]] nlohmann::ordered_json call_json(const CallRecord& call);
// [CALL...] in the records' order.
[[nodiscard]] nlohmann::ordered_json calls_json(std::span<const CallRecord> calls);

}  // namespace ffaemu::trace

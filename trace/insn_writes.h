// Which registers one instruction can change, from its disassembly: every general-purpose register
// it names (w and x forms alike), x30 for the bl/blr family, sp for msr (SPSel), nzcv always, and
// everything for exception-generating or undecodable words (models answer smc/hvc in x0-x17).
// A conservative superset: the tracer reads only these after the instruction instead of all 34
// registers, which is what makes per-instruction tracing affordable (docs/trace.md, "Speed").
#pragma once

#include <cstdint>
#include <string_view>

namespace ffaemu::trace {

// Bit i stands for emu::CpuRegs index i (x0-x30, sp, pc, nzcv); pc is never set.
inline constexpr uint64_t kAllRegs = ((uint64_t{1} << 34) - 1) & ~(uint64_t{1} << 32);

[[nodiscard]] uint64_t written_regs(std::string_view mnemonic, std::string_view operands);

}  // namespace ffaemu::trace

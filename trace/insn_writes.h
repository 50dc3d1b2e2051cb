// Which registers one instruction can change: a conservative superset, so the tracer reads only
// these after the instruction instead of all 34 registers (docs/trace.md, "Speed").
// Data-processing and branch words are classified from the encoding (Arm ARM C4.1): Rd and, when
// bit 29 is set, nzcv; x30 for branch-with-link. Common loads and stores too: Rt (and Rt2) for a
// load, the base on writeback. Other words fall back to every general-purpose
// register their disassembly names, plus sp for msr (SPSel) and nzcv outside loads and stores.
// Exception-generating and undecodable words may change everything (models answer in x0-x17).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace ffaemu::trace {

// Bit i stands for emu::CpuRegs index i (x0-x30, sp, pc, nzcv); pc is never set.
inline constexpr uint64_t kAllRegs = ((uint64_t{1} << 34) - 1) & ~(uint64_t{1} << 32);

// The set from the encoding alone, or nullopt when the word is not in a class classified so.
[[nodiscard]] std::optional<uint64_t> encoded_writes(uint32_t word);

// The set from the disassembly: the fallback for words encoded_writes() does not classify.
[[nodiscard]] uint64_t named_writes(uint32_t word, std::string_view mnemonic,
                                    std::string_view operands);

[[nodiscard]] inline uint64_t written_regs(uint32_t word, std::string_view mnemonic,
                                           std::string_view operands) {
  if (std::optional<uint64_t> mask = encoded_writes(word)) return *mask;
  return named_writes(word, mnemonic, operands);
}

}  // namespace ffaemu::trace

// Where reading registers once per translation block cannot tell instructions apart. The tracer
// reads registers when a block starts and when a trap is taken; between two such points each
// register must be written by at most one instruction, or the earlier writes are lost. Runs of
// straight-line code where that can fail are traced instruction by instruction instead.
// A run ends at a word that always ends a Unicorn (QEMU) translation block: a branch or an
// exception-generating word (translate-a64.c: DISAS_NORETURN / DISAS_JUMP), so no block spans two.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "emu/engine.h"

namespace ffaemu::trace {

// b, bl, b.cond, cbz, tbz, br, blr, ret, eret, and every exception-generating word.
[[nodiscard]] bool ends_block(uint32_t word);
// svc, hvc, smc, brk, hlt, dcps and udf: the engine calls ExecObserver::on_trap before acting.
[[nodiscard]] bool is_trap_word(uint32_t word);

// The runs in `code` (loaded at `base`) where two instructions may write the same register with
// no block start or trap between them; `writes(pc, word)` is trace/insn_writes.h's set.
[[nodiscard]] std::vector<emu::AddressRange> ambiguous_runs(
    uint64_t base, std::span<const uint8_t> code,
    const std::function<uint64_t(uint64_t pc, uint32_t word)>& writes);

// Sorted, merged where the gap is at most `max_gap` bytes, then merged across the smallest gaps
// until at most `max_count` remain: each range costs a Unicorn hook on every instruction.
[[nodiscard]] std::vector<emu::AddressRange> coalesce(std::vector<emu::AddressRange> ranges,
                                                      uint64_t max_gap, size_t max_count);

}  // namespace ffaemu::trace

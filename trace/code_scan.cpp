#include "trace/code_scan.h"

#include <algorithm>
#include <cstring>

#include "trace/insn_writes.h"

namespace ffaemu::trace {

bool is_trap_word(uint32_t word) {
  return (word & 0xff000000) == 0xd4000000 || (word >> 16) == 0;  // exception class, udf
}

bool ends_block(uint32_t word) {
  return (word & 0x7c000000) == 0x14000000 ||  // b, bl
         (word & 0x7e000000) == 0x34000000 ||  // cbz, cbnz
         (word & 0x7e000000) == 0x36000000 ||  // tbz, tbnz
         (word & 0xfe000000) == 0x54000000 ||  // b.cond (or UNDEFINED)
         (word & 0xfe000000) == 0xd6000000 ||  // branch to register, eret
         is_trap_word(word);
}

std::vector<emu::AddressRange> ambiguous_runs(
    uint64_t base, std::span<const uint8_t> code,
    const std::function<uint64_t(uint64_t pc, uint32_t word)>& writes) {
  std::vector<emu::AddressRange> runs;
  uint64_t begin = base;
  uint64_t written = 0;
  bool ambiguous = false;
  for (size_t off = 0; off + 4 <= code.size(); off += 4) {
    uint32_t word;
    std::memcpy(&word, code.data() + off, 4);
    uint64_t pc = base + off;
    if (is_trap_word(word)) {
      written = 0;  // a sync point: the tracer reads what ran before it
    } else {
      uint64_t w = writes(pc, word);
      if (w & written) ambiguous = true;
      written |= w;
    }
    if (ends_block(word)) {
      if (ambiguous) runs.push_back({begin, pc + 4});
      begin = pc + 4;
      written = 0;
      ambiguous = false;
    }
  }
  if (ambiguous) runs.push_back({begin, base + code.size() / 4 * 4});
  return runs;
}

std::vector<emu::AddressRange> coalesce(std::vector<emu::AddressRange> ranges, uint64_t max_gap,
                                        size_t max_count) {
  std::sort(
      ranges.begin(), ranges.end(),
      [](const emu::AddressRange& a, const emu::AddressRange& b) { return a.begin < b.begin; });
  std::vector<emu::AddressRange> out;
  for (const emu::AddressRange& r : ranges) {
    if (!out.empty() && r.begin <= out.back().end + max_gap) {
      out.back().end = std::max(out.back().end, r.end);
    } else {
      out.push_back(r);
    }
  }
  while (out.size() > std::max<size_t>(max_count, 1)) {
    size_t best = 0;
    for (size_t i = 1; i + 1 < out.size(); ++i) {
      if (out[i + 1].begin - out[i].end < out[best + 1].begin - out[best].end) best = i;
    }
    out[best].end = out[best + 1].end;
    out.erase(out.begin() + static_cast<std::ptrdiff_t>(best) + 1);
  }
  return out;
}

}  // namespace ffaemu::trace

// Which AArch64 instructions end a basic block, from the encoding alone (Arm ARM C4.1, "Branches,
// exception generating and system instructions"): taken or not, a branch ends the block.
#pragma once

#include <cstdint>

namespace ffaemu::trace {

[[nodiscard]] constexpr bool ends_block(uint32_t word) {
  return (word & 0x7c000000) == 0x14000000      // b, bl
         || (word & 0xff000010) == 0x54000000   // b.cond
         || (word & 0x7e000000) == 0x34000000   // cbz, cbnz
         || (word & 0x7e000000) == 0x36000000   // tbz, tbnz
         || (word & 0xff000000) == 0xd4000000   // svc, hvc, smc, brk, hlt, dcps
         || (word & 0xfe000000) == 0xd6000000;  // br, blr, ret, eret, drps
}

}  // namespace ffaemu::trace

#include "trace/insn_writes.h"

#include <array>

namespace ffaemu::trace {
namespace {

constexpr uint64_t bit(int index) {
  return uint64_t{1} << index;
}

constexpr int kSp = 31;
constexpr int kLr = 30;
constexpr int kNzcv = 33;

// Data processing, immediate (op0 100x) or register (op0 x101): Rd is the only general-purpose
// register written; Rd 31 is sp or xzr by instruction, so sp is assumed. Bit 29 is S where flags
// can be set (adds, ands, adcs, ccmp, rmif, setf) and a harmless extra read elsewhere.
uint64_t data_processing_writes(uint32_t word) {
  uint32_t rd = word & 31;
  uint64_t mask = bit(rd == 31 ? kSp : static_cast<int>(rd));
  if (word & (1u << 29)) mask |= bit(kNzcv);
  return mask;
}

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

// The CpuRegs index a token names, or -1.
int register_index(std::string_view t) {
  if (t == "sp" || t == "wsp") return kSp;
  if (t == "fp") return 29;
  if (t == "lr") return kLr;
  if (t.size() < 2 || t.size() > 3 || (t[0] != 'x' && t[0] != 'w')) return -1;
  int n = 0;
  for (char c : t.substr(1)) {
    if (c < '0' || c > '9') return -1;
    n = n * 10 + (c - '0');
  }
  return n <= 30 ? n : -1;
}

constexpr std::array<std::string_view, 11> kEverything = {
    "smc", "hvc", "svc", "brk", "hlt", "udf", "dcps1", "dcps2", "dcps3", "eret", "drps",
};

}  // namespace

std::optional<uint64_t> encoded_writes(uint32_t word) {
  if (((word >> 26) & 7) == 4 || ((word >> 25) & 7) == 5) return data_processing_writes(word);
  if ((word & 0x7c000000) == 0x14000000) return (word >> 31) ? bit(kLr) : 0;  // b, bl
  if ((word & 0x7e000000) == 0x34000000) return 0;                            // cbz, cbnz
  if ((word & 0x7e000000) == 0x36000000) return 0;                            // tbz, tbnz
  if ((word & 0xfe000000) == 0x54000000) return 0;                            // b.cond
  if ((word & 0xff000000) == 0xd4000000) return kAllRegs;  // svc, hvc, smc, brk, hlt, dcps
  if ((word & 0xfe000000) == 0xd6000000) {                 // branch to register, opc = 24:21
    uint32_t opc = (word >> 21) & 0xf;
    if ((opc & 0xe) == 0x4) return kAllRegs;  // eret, eretaa, drps
    return (opc & 1) ? bit(kLr) : 0;          // blr, blraa, blraaz; br, ret and their PAC forms
  }
  return std::nullopt;
}

uint64_t named_writes(uint32_t word, std::string_view mnemonic, std::string_view operands) {
  for (std::string_view m : kEverything) {
    if (mnemonic == m) return kAllRegs;
  }
  bool load_store = (word & 0x0a000000) == 0x08000000;  // op0 x1x0: never sets flags
  uint64_t mask = load_store ? 0 : bit(kNzcv);
  if (mnemonic == "bl" || mnemonic.starts_with("blr")) mask |= bit(kLr);
  if (mnemonic == "msr") mask |= bit(kSp);
  size_t i = 0;
  while (i < operands.size()) {
    if (!is_name_char(operands[i])) {
      ++i;
      continue;
    }
    size_t start = i;
    while (i < operands.size() && is_name_char(operands[i]))
      ++i;
    int index = register_index(operands.substr(start, i - start));
    if (index >= 0) mask |= bit(index);
  }
  return mask;
}

}  // namespace ffaemu::trace

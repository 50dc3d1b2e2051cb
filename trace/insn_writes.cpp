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

// A general-purpose register written by a load: register 31 is xzr, never sp.
constexpr uint64_t gpr(uint32_t r) {
  return r == 31 ? 0 : bit(static_cast<int>(r));
}

// Loads and stores (op0 x1x0, Arm ARM C4.1.4) in the forms compilers and hand-written guests use:
// a load writes Rt (and Rt2 for a pair) unless it targets a SIMD&FP register, a store writes
// nothing, and pre- or post-indexing writes the base Rn (sp when 31). Other forms: nullopt.
std::optional<uint64_t> load_store_writes(uint32_t word) {
  uint32_t rt = word & 31;
  uint32_t rn = (word >> 5) & 31;
  uint32_t rt2 = (word >> 10) & 31;
  bool simd = (word >> 26) & 1;
  uint32_t size = word >> 30;
  uint32_t opc = (word >> 22) & 3;
  uint64_t base = bit(rn == 31 ? kSp : static_cast<int>(rn));
  // A GPR load is opc != 00, except prfm (size 11, opc 10).
  bool gpr_load = !simd && opc != 0 && !(size == 3 && opc == 2);
  if ((word & 0x3b000000) == 0x39000000) return gpr_load ? gpr(rt) : 0;  // unsigned offset
  if ((word & 0x3b000000) == 0x38000000) {  // register offset, unscaled, indexed, atomics
    uint32_t form = (word >> 10) & 3;
    if ((word >> 21) & 1) {
      if (form == 2) return gpr_load ? gpr(rt) : 0;  // register offset
      if (form == 0) return simd ? 0 : gpr(rt);      // atomic: Rt gets the old value
      return gpr(rt) | base;                         // ldraa/ldrab, with writeback
    }
    uint64_t writeback = (form & 1) ? base : 0;  // 01 post-index, 11 pre-index
    return (gpr_load ? gpr(rt) : 0) | writeback;
  }
  if ((word & 0x3a000000) == 0x28000000) {  // pair: 00 no-allocate, 01 post, 10 offset, 11 pre
    uint32_t form = (word >> 23) & 3;
    bool load = (word >> 22) & 1;
    uint64_t writeback = (form & 1) ? base : 0;
    return (load && !simd ? gpr(rt) | gpr(rt2) : 0) | writeback;
  }
  if ((word & 0x3b000000) == 0x18000000) return !simd && size != 3 ? gpr(rt) : 0;  // literal
  if ((word & 0x3f000000) == 0x08000000) {  // exclusive, acquire/release, cas: any of them
    uint32_t rs = (word >> 16) & 31;
    return gpr(rt) | gpr(rt2) | gpr(rs) | gpr(rs == 31 ? 31 : rs + 1);
  }
  return std::nullopt;
}

}  // namespace

std::optional<uint64_t> encoded_writes(uint32_t word) {
  if (((word >> 26) & 7) == 4 || ((word >> 25) & 7) == 5) return data_processing_writes(word);
  if ((word & 0x0a000000) == 0x08000000) return load_store_writes(word);
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

#include "trace/insn_writes.h"

#include <array>

namespace ffaemu::trace {
namespace {

constexpr uint64_t bit(int index) {
  return uint64_t{1} << index;
}

constexpr int kSp = 31;
constexpr int kNzcv = 33;

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

// The CpuRegs index a token names, or -1.
int register_index(std::string_view t) {
  if (t == "sp" || t == "wsp") return kSp;
  if (t == "fp") return 29;
  if (t == "lr") return 30;
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

uint64_t written_regs(std::string_view mnemonic, std::string_view operands) {
  for (std::string_view m : kEverything) {
    if (mnemonic == m) return kAllRegs;
  }
  uint64_t mask = bit(kNzcv);
  if (mnemonic == "bl" || mnemonic.starts_with("blr")) mask |= bit(30);
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

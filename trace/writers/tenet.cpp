#include "trace/writers/tenet.h"

#include <cstring>

#include "trace/writers/out_buffer.h"

namespace ffaemu::trace {
namespace {

constexpr int kPc = static_cast<int>(emu::Reg::Pc);

std::string_view tenet_name(int index) {
  if (index == 29) return "fp";
  if (index == 30) return "lr";
  return reg_name(index);
}

// `,x0=0x1`, without the comma at the start of a line. At most 24 bytes.
char* put_reg(char* p, char* line_start, int index, uint64_t value) {
  if (p != line_start) *p++ = ',';
  p = OutBuffer::put(p, tenet_name(index));
  *p++ = '=';
  return OutBuffer::put_hex(p, value);
}

}  // namespace

TenetWriter::TenetWriter(std::ostream& out) : out_(out) {}

void TenetWriter::insn(const InsnEvent& e) {
  char* p = out_.reserve(2 * 24 * (kRegs + 1) + 48 * e.memory.size() + 2);
  // The state before this instruction, when the reader does not know it yet: the full state at
  // the start, and what the host changed between runs (arguments, sp, lr) later.
  char* line = p;
  bool same =
      started_ && std::memcmp(state_.data(), e.before->r.data(), kPc * sizeof(uint64_t)) == 0;
  for (int i = 0; i < kPc && !same; ++i) {
    uint64_t v = e.before->r[static_cast<size_t>(i)];
    if (started_ && state_[static_cast<size_t>(i)] == v) continue;
    p = put_reg(p, line, i, v);
    state_[static_cast<size_t>(i)] = v;
  }
  if (!started_ || p != line || state_[kPc] != e.pc) {
    p = put_reg(p, line, kPc, e.pc);
    state_[kPc] = e.pc;
    *p++ = '\n';
  }
  started_ = true;

  line = p;
  for (const RegDelta& d : e.deltas) {
    if (d.reg >= kPc) continue;
    p = put_reg(p, line, d.reg, d.new_value);
    state_[d.reg] = d.new_value;
  }
  state_[kPc] = e.next_pc();
  p = put_reg(p, line, kPc, state_[kPc]);
  for (const MemAccess& m : e.memory) {
    p = OutBuffer::put(p, m.write ? ",mw=" : ",mr=");
    p = OutBuffer::put_hex(p, m.address);
    *p++ = ':';
    p = OutBuffer::put_le_bytes(p, m.value, m.size);
  }
  *p++ = '\n';
  out_.commit(p);
}

void TenetWriter::finish() {
  out_.flush();
}

}  // namespace ffaemu::trace

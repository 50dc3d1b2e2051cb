#include "trace/writers/tenet.h"

#include "trace/writers/append.h"

namespace ffaemu::trace {
namespace {

constexpr int kPc = static_cast<int>(emu::Reg::Pc);

std::string_view tenet_name(int index) {
  if (index == 29) return "fp";
  if (index == 30) return "lr";
  return reg_name(index);
}

void append_reg(std::string& line, int index, uint64_t value) {
  if (!line.empty()) line += ',';
  line += tenet_name(index);
  line += '=';
  append_hex(line, value);
}

}  // namespace

TenetWriter::TenetWriter(std::ostream& out) : out_(out) {
  line_.reserve(256);
}

void TenetWriter::write_line() {
  line_ += '\n';
  out_.write(line_.data(), static_cast<std::streamsize>(line_.size()));
  line_.clear();
}

void TenetWriter::insn(const InsnEvent& e) {
  // The state before this instruction, when the reader does not know it yet: the full state at
  // the start, and what the host changed between runs (arguments, sp, lr) later.
  line_.clear();
  for (int i = 0; i < kPc; ++i) {
    uint64_t v = e.before->r[static_cast<size_t>(i)];
    if (started_ && state_[static_cast<size_t>(i)] == v) continue;
    append_reg(line_, i, v);
    state_[static_cast<size_t>(i)] = v;
  }
  if (!started_ || !line_.empty() || state_[kPc] != e.pc) {
    append_reg(line_, kPc, e.pc);
    state_[kPc] = e.pc;
    write_line();
  }
  started_ = true;

  for (const RegDelta& d : e.deltas) {
    if (d.reg >= kPc) continue;
    append_reg(line_, d.reg, d.new_value);
    state_[d.reg] = d.new_value;
  }
  state_[kPc] = e.next_pc();
  append_reg(line_, kPc, state_[kPc]);
  for (const MemAccess& m : e.memory) {
    line_ += m.write ? ",mw=" : ",mr=";
    append_hex(line_, m.address);
    line_ += ':';
    append_le_bytes(line_, m.value, m.size);
  }
  write_line();
}

void TenetWriter::finish() {
  out_.flush();
}

}  // namespace ffaemu::trace

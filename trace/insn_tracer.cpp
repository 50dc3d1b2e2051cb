#include "trace/insn_tracer.h"

#include <algorithm>
#include <cstring>
#include <optional>

#include <fmt/format.h>

#include "trace/insn_writes.h"

namespace ffaemu::trace {
namespace {

constexpr int kPc = static_cast<int>(emu::Reg::Pc);

}  // namespace

InsnTracer::InsnTracer(emu::Engine& engine, Writer& writer, InsnTracerOptions options)
    : engine_(engine), writer_(writer), options_(options) {
  deltas_.reserve(emu::kCpuRegCount);
  memory_.reserve(16);
  engine_.attach(this);
}

InsnTracer::~InsnTracer() {
  engine_.attach(nullptr);
}

const InsnTracer::Decoded& InsnTracer::decode(uint64_t pc, uint32_t size) {
  uint32_t word = 0;
  const uint8_t* bytes = engine_.memory().host(emu::PhysAddr{pc}, size);
  if (bytes) std::memcpy(&word, bytes, std::min<size_t>(size, sizeof word));
  auto [it, added] = cache_.try_emplace(pc);
  Decoded& d = it->second;
  if (!added && d.word == word) return d;
  // New address, or the code there changed since it was decoded (self-modifying or reloaded).
  ++decodes_;
  d.word = word;
  d.writes = kAllRegs;
  if (!bytes) {
    d.text = "<unreadable>";
  } else if (std::optional<emu::DecodedInsn> insn = disasm_.decode(pc, {bytes, size})) {
    d.text = insn->text();
    d.writes = written_regs(insn->mnemonic, insn->operands);
  } else {
    d.text = fmt::format(".inst {:#010x}", word);
  }
  return d;
}

// The pending instruction has run and the next one starts at `next_pc`.
void InsnTracer::complete(uint64_t next_pc) {
  deltas_.clear();
  uint64_t mask = options_.read_all_registers ? kAllRegs : insn_->writes;
  auto note = [&](int i, uint64_t now) {
    uint64_t was = state_.r[static_cast<size_t>(i)];
    if (was != now) deltas_.push_back({static_cast<uint8_t>(i), was, now});
  };
  if (mask == kAllRegs) {
    emu::CpuRegs now = engine_.cpu();
    for (int i = 0; i < emu::kCpuRegCount; ++i) {
      if (i != kPc) note(i, now.r[static_cast<size_t>(i)]);
    }
  } else {
    for (uint64_t m = mask; m; m &= m - 1) {
      int i = __builtin_ctzll(m);
      note(i, engine_.reg(i));
    }
  }
  if (next_pc != pc_ + size_) deltas_.push_back({static_cast<uint8_t>(kPc), pc_, next_pc});

  InsnEvent event;
  event.seq = seq_++;
  event.pc = pc_;
  event.size = size_;
  event.word = insn_->word;
  event.disasm = insn_->text;
  event.before = &state_;
  event.deltas = deltas_;
  event.memory = memory_;
  writer_.insn(event);

  for (const RegDelta& d : deltas_)
    state_.r[d.reg] = d.new_value;
  state_.r[kPc] = next_pc;
  memory_.clear();
  pending_ = false;
  write_deferred();
}

void InsnTracer::write_deferred() {
  for (const CallRecord& c : deferred_)
    writer_.call(c);
  deferred_.clear();
}

void InsnTracer::on_instruction(uint64_t pc, uint32_t size) {
  if (pending_) {
    complete(pc);
  } else {
    state_ = engine_.cpu();
  }
  insn_ = &decode(pc, size);
  pc_ = pc;
  size_ = size;
  pending_ = true;
}

void InsnTracer::on_memory(bool write, uint64_t address, uint32_t size, uint64_t value) {
  if (!pending_) return;
  memory_.push_back({write, address, std::min<uint32_t>(size, 8), value});
}

void InsnTracer::flush() {
  if (pending_) complete(engine_.reg(emu::Reg::Pc));
  write_deferred();
}

void InsnTracer::call(const CallRecord& call) {
  if (pending_) {
    deferred_.push_back(call);
  } else {
    writer_.call(call);
  }
}

void InsnTracer::boot(const BootEvent& event) {
  flush();
  writer_.boot(event);
}

}  // namespace ffaemu::trace

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
  memory_.reserve(16);
  engine_.attach(this);
}

InsnTracer::~InsnTracer() {
  engine_.attach(nullptr);
}

const InsnTracer::Decoded& InsnTracer::decode(uint64_t pc, uint32_t size) {
  Decoded*& slot = recent_[(pc >> 2) % recent_.size()];
  if (slot && slot->pc == pc && slot->bytes && std::memcmp(slot->bytes, &slot->word, 4) == 0) {
    return *slot;
  }
  auto [it, added] = cache_.try_emplace(pc);
  slot = &it->second;
  return redecode(it->second, pc, size);
}

// Checks the cached decode against guest memory; decodes again for a new address, or when the
// code there changed since (self-modifying or reloaded), under a new site.
const InsnTracer::Decoded& InsnTracer::redecode(Decoded& d, uint64_t pc, uint32_t size) {
  const uint8_t* bytes = engine_.memory().host(emu::PhysAddr{pc}, size);
  uint32_t word = 0;
  if (bytes) std::memcpy(&word, bytes, std::min<size_t>(size, sizeof word));
  if (d.site != kNoSite && d.word == word && d.bytes == bytes) return d;
  ++decodes_;
  d.pc = pc;
  d.word = word;
  d.site = static_cast<uint32_t>(decodes_ - 1);
  d.bytes = size >= 4 ? bytes : nullptr;
  d.writes = kAllRegs;
  if (!bytes) {
    d.text = "<unreadable>";
  } else if (std::optional<emu::DecodedInsn> insn = disasm_.decode(pc, {bytes, size})) {
    d.text = insn->text();
    d.writes = written_regs(word, insn->mnemonic, insn->operands);
  } else {
    d.text = fmt::format(".inst {:#010x}", word);
  }
  return d;
}

// The pending instruction has run and the next one starts at `next_pc`.
void InsnTracer::complete(uint64_t next_pc) {
  uint64_t mask = options_.read_all_registers ? kAllRegs : insn_->writes;
  engine_.read_regs(mask, now_);
  size_t n = 0;
  for (uint64_t m = mask; m; m &= m - 1) {
    auto i = static_cast<size_t>(__builtin_ctzll(m));
    if (state_.r[i] != now_.r[i]) deltas_[n++] = {static_cast<uint8_t>(i), state_.r[i], now_.r[i]};
  }
  if (next_pc != pc_ + size_) deltas_[n++] = {static_cast<uint8_t>(kPc), pc_, next_pc};

  InsnEvent event;
  event.seq = seq_++;
  event.pc = pc_;
  event.size = size_;
  event.word = insn_->word;
  event.site = insn_->site;
  event.disasm = insn_->text;
  event.before = &state_;
  event.deltas = {deltas_.data(), n};
  event.memory = memory_;
  writer_.insn(event);

  for (size_t k = 0; k < n; ++k)
    state_.r[deltas_[k].reg] = deltas_[k].new_value;
  state_.r[kPc] = next_pc;
  memory_.clear();
  pending_ = false;
  if (!deferred_.empty()) write_deferred();
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

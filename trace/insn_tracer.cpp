#include "trace/insn_tracer.h"

#include <algorithm>
#include <cstring>
#include <optional>

#include <fmt/format.h>

#include "trace/code_scan.h"
#include "trace/insn_writes.h"

namespace ffaemu::trace {
namespace {

constexpr int kPc = static_cast<int>(emu::Reg::Pc);
constexpr uint32_t kInsnSize = 4;
// Ambiguous runs closer than this share one hook, and at most kMaxRanges hooks are installed:
// each one costs about a nanosecond on every instruction of a budgeted run (emu/engine.h).
constexpr uint64_t kMergeGap = 64;
constexpr size_t kMaxRanges = 4;

}  // namespace

InsnTracer::InsnTracer(emu::Engine& engine, Writer& writer, InsnTracerOptions options)
    : engine_(engine), writer_(writer), options_(options) {
  memory_.reserve(16);
  memory_pc_.reserve(16);
  engine_.attach(this);
  rescan();
}

InsnTracer::~InsnTracer() {
  engine_.attach(nullptr);
}

const InsnTracer::Decoded& InsnTracer::decode(uint64_t pc, uint32_t size) {
  return redecode(cache_.try_emplace(pc).first->second, pc, size);
}

// Checks the cached decode against guest memory; decodes again for a new address, or when the
// code there changed since (self-modifying or reloaded), under a new site.
const InsnTracer::Decoded& InsnTracer::redecode(Decoded& d, uint64_t pc, uint32_t size) {
  const uint8_t* bytes = engine_.memory().host(emu::PhysAddr{pc}, size);
  uint32_t word = 0;
  if (bytes) std::memcpy(&word, bytes, std::min<size_t>(size, sizeof word));
  if (d.site != kNoSite && d.word == word && d.bytes == bytes) return d;
  ++decodes_;
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

// The block's decode, checked against guest memory only when code may have changed since: the
// guest can store into it, or the host wrote code (on_code_write).
InsnTracer::Block& InsnTracer::block(uint64_t pc, uint32_t size) {
  Block*& slot = recent_[(pc >> 2) % recent_.size()];
  Block* b = slot;
  if (!b || b->pc != pc) b = slot = &blocks_[pc];
  if (b->size == size && b->checked == code_writes_ && !b->writable) return *b;
  if (b->size != size || !b->bytes || b->insns.empty() ||
      std::memcmp(b->bytes, b->words.data(), b->size) != 0) {
    rebuild(*b, pc, size);
  }
  b->checked = code_writes_;
  return *b;
}

void InsnTracer::rebuild(Block& b, uint64_t pc, uint32_t size) {
  size_t n = size / kInsnSize;
  b.pc = pc;
  b.size = size;
  b.bytes = engine_.memory().host(emu::PhysAddr{pc}, size);
  const emu::RegionSpec* region = engine_.memory().find(emu::PhysAddr{pc}, 1);
  b.writable = !b.bytes || !region || (region->perms & emu::kWrite);
  b.words.assign(n, 0);
  if (b.bytes) std::memcpy(b.words.data(), b.bytes, n * kInsnSize);
  b.insns.clear();
  b.writes = 0;
  for (size_t i = 0; i < n; ++i) {
    const Decoded& d = decode(pc + kInsnSize * i, kInsnSize);
    b.insns.push_back(&d);
    b.writes |= d.writes;
  }
  b.read = engine_.prepare_read(options_.read_all_registers ? kAllRegs : b.writes, now_);
}

// Every writable code region, and the ambiguous runs of the others, are observed instruction by
// instruction; the reference mode observes everything.
void InsnTracer::rescan() {
  std::vector<emu::AddressRange> ranges;
  auto writes = [this](uint64_t pc, uint32_t word) {
    if (std::optional<uint64_t> mask = encoded_writes(word)) return *mask;
    return decode(pc, kInsnSize).writes;
  };
  for (const emu::RegionMemory::Region& r : engine_.memory().regions()) {
    const emu::RegionSpec& spec = r.spec;
    if (!spec.el1_mapped || !(spec.perms & emu::kExec)) continue;
    if (options_.read_all_registers || (spec.perms & emu::kWrite)) {
      ranges.push_back({spec.base, spec.end()});
      continue;
    }
    std::vector<emu::AddressRange> runs =
        ambiguous_runs(spec.base, {r.bytes.get(), spec.size}, writes);
    ranges.insert(ranges.end(), runs.begin(), runs.end());
  }
  observed_ = coalesce(std::move(ranges), kMergeGap, kMaxRanges);
  engine_.observe_instructions(observed_);
}

void InsnTracer::on_code_write(uint64_t, uint64_t) {
  ++code_writes_;
  rescan();
}

// Instructions [done_, end) of the running block have run: one register read for all of them.
void InsnTracer::complete(size_t end, uint64_t next_pc) {
  const Block& b = *block_;
  end = std::min(end, b.insns.size());
  if (end <= done_) return;
  if (options_.read_all_registers || (done_ == 0 && end == b.insns.size())) {
    engine_.read(b.read);
  } else {
    uint64_t mask = 0;
    for (size_t i = done_; i < end; ++i)
      mask |= b.insns[i]->writes;
    engine_.read_regs(mask, now_);
  }
  uint64_t later_end = b.pc + kInsnSize * b.insns.size();
  size_t mem = 0;
  for (size_t i = done_; i < end; ++i) {
    uint64_t pc = b.pc + kInsnSize * i;
    const Decoded& d = *b.insns[i];
    emit(d, pc, i + 1 == end ? next_pc : pc + kInsnSize,
         options_.read_all_registers ? kAllRegs : d.writes, mem, later_end);
  }
  if (mem) {
    memory_.erase(memory_.begin(), memory_.begin() + static_cast<std::ptrdiff_t>(mem));
    memory_pc_.erase(memory_pc_.begin(), memory_pc_.begin() + static_cast<std::ptrdiff_t>(mem));
  }
  done_ = end;
  if (!deferred_.empty()) write_deferred();
}

// One event: the registers in `mask` that differ from the state before it, and the accesses
// from `mem` on that no later instruction of the block (which ends at `later_end`) made: an
// instruction still to be written may have made one already, before it trapped.
void InsnTracer::emit(const Decoded& d, uint64_t pc, uint64_t next_pc, uint64_t mask, size_t& mem,
                      uint64_t later_end) {
  size_t n = 0;
  for (uint64_t m = mask; m; m &= m - 1) {
    auto i = static_cast<size_t>(__builtin_ctzll(m));
    if (state_.r[i] != now_.r[i]) deltas_[n++] = {static_cast<uint8_t>(i), state_.r[i], now_.r[i]};
  }
  if (next_pc != pc + kInsnSize) deltas_[n++] = {static_cast<uint8_t>(kPc), pc, next_pc};
  size_t first = mem;
  while (mem < memory_.size() && !(memory_pc_[mem] > pc && memory_pc_[mem] < later_end))
    ++mem;

  state_.r[kPc] = pc;
  InsnEvent event;
  event.seq = seq_++;
  event.pc = pc;
  event.size = kInsnSize;
  event.word = d.word;
  event.site = d.site;
  event.disasm = d.text;
  event.before = &state_;
  event.deltas = {deltas_.data(), n};
  event.memory = {memory_.data() + first, mem - first};
  writer_.insn(event);

  for (size_t k = 0; k < n; ++k)
    state_.r[deltas_[k].reg] = deltas_[k].new_value;
  state_.r[kPc] = next_pc;
}

void InsnTracer::write_deferred() {
  for (const CallRecord& c : deferred_)
    writer_.call(c);
  deferred_.clear();
}

void InsnTracer::on_block(uint64_t pc, uint32_t size) {
  if (block_) {
    complete(block_->insns.size(), pc);
  } else {
    state_ = engine_.cpu();  // a run starts: the host may have changed anything
  }
  block_ = &block(pc, size);
  done_ = 0;
}

// Both are read points: the instructions before `pc` in the running block have run.
void InsnTracer::on_instruction(uint64_t pc, uint32_t) {
  if (in_block(pc)) complete((pc - block_->pc) / kInsnSize, pc);
}

void InsnTracer::on_trap(uint64_t pc) {
  on_instruction(pc, kInsnSize);
}

void InsnTracer::on_memory(uint64_t pc, bool write, uint64_t address, uint32_t size,
                           uint64_t value) {
  if (!block_) return;
  memory_pc_.push_back(pc);
  memory_.push_back({write, address, std::min<uint32_t>(size, 8), value});
}

void InsnTracer::on_run_end(const emu::RunResult& result) {
  if (block_) {
    size_t end = block_->insns.size();
    uint64_t next = result.pc;
    if (result.fault && in_block(result.fault->pc)) {
      end = (result.fault->pc - block_->pc) / kInsnSize;
      if (result.fault->kind != emu::FaultKind::BudgetExhausted) ++end;  // it ran, and faulted
      next = block_->pc + kInsnSize * end;
    }
    complete(end, next);
    block_ = nullptr;
  }
  memory_.clear();
  memory_pc_.clear();
  write_deferred();
}

void InsnTracer::flush() {
  if (block_) {
    complete(block_->insns.size(), engine_.reg(emu::Reg::Pc));
    block_ = nullptr;
  }
  write_deferred();
}

void InsnTracer::call(const CallRecord& call) {
  if (block_ && done_ < block_->insns.size()) {
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

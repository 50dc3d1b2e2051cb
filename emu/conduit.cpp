#include "emu/conduit.h"

#include <cstring>

#include <fmt/format.h>

namespace ffaemu::emu {
namespace {

constexpr uint64_t kBlockBytes = kSmcccRegCount * sizeof(uint64_t);

std::string describe(const RunResult& r) {
  if (r.fault) return fmt::format("SMCCC trampoline: {}", r.fault->message());
  return fmt::format("SMCCC trampoline stopped at pc {:#x} before returning", r.pc);
}

}  // namespace

ConduitError::ConduitError(RunResult result)
    : std::runtime_error(describe(result)), result_(std::move(result)) {}

GuestConduit::GuestConduit(Engine& engine, ConduitKind kind, TrampolineEntries entries,
                           uint64_t block)
    : engine_(engine),
      kind_(kind),
      entry_(kind == ConduitKind::Smc ? entries.smc : entries.hvc),
      args_(engine.memory().host(PhysAddr{block}, 2 * kBlockBytes)),
      results_(args_ ? args_ + kBlockBytes : nullptr) {
  const RegionSpec* region = engine.memory().find(PhysAddr{block}, 2 * kBlockBytes);
  if (!args_ || !region || !region->el1_mapped || !(region->perms & kWrite)) {
    throw std::invalid_argument(
        fmt::format("conduit block at {:#x} is not in EL1-writable guest memory", block));
  }
  options_.budget = 10'000;
  // The trampoline is ffaemu's own code touching only this block; a fault in it is reported
  // with the translation block's start rather than paying for a snapshot on every call.
  options_.precise_faults = false;
  options_.args[0] = block;
  options_.args[1] = block + kBlockBytes;
}

void GuestConduit::clear_blocks() {
  std::memset(args_, 0, 2 * kBlockBytes);
}

SmcccRegs GuestConduit::invoke(SmcccRegs in) {
  std::memcpy(args_, in.x.data(), kBlockBytes);
  ++calls_;
  RunResult result = engine_.run(entry_, options_);
  if (!result.exited()) throw ConduitError(std::move(result));
  SmcccRegs out;
  std::memcpy(out.x.data(), results_, kBlockBytes);
  return out;
}

}  // namespace ffaemu::emu

// The Conduit a caller at EL1 holds, implemented with guest code: each invoke() runs the
// arm_smccc_1_2_smc/_hvc trampoline (guest_images/smccc_trampoline.S) on an argument block, so
// every call really executes smc/hvc in the emulator and reaches the TrapHandler from there.
#pragma once

#include <cstdint>
#include <stdexcept>

#include "emu/engine.h"
#include "emu/smccc.h"

namespace ffaemu::emu {

// The trampoline itself faulted or never returned: the engine's fault, as an exception, since a
// Conduit user (the Linux driver model) has no way to continue.
class ConduitError : public std::runtime_error {
 public:
  explicit ConduitError(RunResult result);
  [[nodiscard]] const RunResult& result() const { return result_; }

 private:
  RunResult result_;
};

struct TrampolineEntries {
  uint64_t smc = 0;  // arm_smccc_1_2_smc
  uint64_t hvc = 0;  // arm_smccc_1_2_hvc
};

class GuestConduit final : public Conduit {
 public:
  // `block` is 2 x 144 bytes of EL1-writable memory: the argument block, then the result block.
  GuestConduit(Engine& engine, ConduitKind kind, TrampolineEntries entries, uint64_t block);

  [[nodiscard]] ConduitKind kind() const override { return kind_; }
  SmcccRegs invoke(SmcccRegs in) override;

  // Instructions a single call may run before it counts as a runaway (default 10,000).
  void set_budget(uint64_t budget) { options_.budget = budget; }

  // How many calls invoke() has run since the conduit was made.
  [[nodiscard]] uint64_t calls() const { return calls_; }

  // Zeroes both blocks. invoke() writes them through a host pointer, which the memory's dirty
  // pages do not see, so whoever resets the memory without wiping the region calls this.
  void clear_blocks();

 private:
  Engine& engine_;
  ConduitKind kind_;
  uint64_t entry_;
  uint8_t* args_;
  uint8_t* results_;
  RunOptions options_;
  uint64_t calls_ = 0;
};

}  // namespace ffaemu::emu

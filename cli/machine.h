// The part of a System that does not depend on its options: the engine with the default memory
// map, the SMCCC trampoline loaded, and the smc and hvc conduits. Building one costs ~2 ms
// (Unicorn, 6 MiB of regions, LLVM assembly); reset() makes it as new in microseconds, so the
// matrix and the boot benchmark reuse one per thread.
#pragma once

#include <memory>
#include <vector>

#include "emu/conduit.h"
#include "emu/engine.h"
#include "guest_images/assembler.h"

namespace ffaemu::cli {

class Machine {
 public:
  Machine();
  Machine(const Machine&) = delete;
  Machine& operator=(const Machine&) = delete;

  // Memory written since the last reset back to zero (everything EL1 can write, when the engine
  // ran anything but the conduits' trampoline), registers back to zero, no handler, and EL2
  // present or not.
  void reset(bool el2_present);

  [[nodiscard]] emu::Engine& engine() { return engine_; }
  [[nodiscard]] emu::Conduit& conduit(emu::ConduitKind kind) {
    return kind == emu::ConduitKind::Smc ? *smc_ : *hvc_;
  }

 private:
  std::vector<emu::RegionSpec> regions_;
  emu::Engine engine_;
  guest::Image trampoline_;
  std::unique_ptr<emu::GuestConduit> smc_;
  std::unique_ptr<emu::GuestConduit> hvc_;
  // Engine runs that were not conduit calls, as of the last reset: a guest that ran since may
  // have stored anywhere EL1 can write.
  uint64_t other_runs_ = 0;
};

}  // namespace ffaemu::cli

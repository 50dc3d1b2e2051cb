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

  // Memory written since the last reset (or everything EL1 can write, after an untrusted guest
  // ran) back to zero, registers back to zero, no handler, and EL2 present or not.
  void reset(bool el2_present);
  // A guest other than the trampoline ran: it may have stored anywhere EL1 can write.
  void note_untrusted_guest() { untrusted_ = true; }

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
  bool untrusted_ = false;
};

}  // namespace ffaemu::cli

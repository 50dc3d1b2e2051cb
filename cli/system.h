// One emulated machine, wired: the engine with the default memory map, the SMCCC trampoline, the
// EL3 firmware and SPMC, pKVM at EL2 when `pkvm on`, the guest conduit the kernel uses, and a
// CallRecorder tapping every SMC/HVC at EL1 and EL2. The composition root shared by the commands.
#pragma once

#include <memory>
#include <optional>

#include "cli/machine.h"
#include "cli/options.h"
#include "emu/conduit.h"
#include "emu/engine.h"
#include "ffa_core/firmware/el3.h"
#include "ffa_core/pkvm/pkvm.h"
#include "guest_images/assembler.h"
#include "trace/call_recorder.h"

namespace ffaemu::cli {

// Where user guests are linked: above the trampoline, in the same code region.
inline constexpr uint64_t kGuestBase = emu::layout::kCodeBase + 0x4000;

// What to attach besides the models. Benchmarks turn recording off: it keeps every call.
struct SystemWiring {
  bool record_calls = true;
  std::optional<std::vector<fw::PartitionConfig>> partitions;  // a scenario's, else the default
};

class System {
 public:
  // Uses `machine` (reset for these options) when given, else builds one of its own.
  explicit System(const SystemOptions& options, SystemWiring wiring = {},
                  Machine* machine = nullptr);
  ~System();
  System(const System&) = delete;
  System& operator=(const System&) = delete;

  // Brings EL2 to the state `ffaemu call` starts from: pKVM installed (kvm_arm_init) and
  // finalised (finalize_pkvm). Returns kvm_arm_init's result; a no-op returning 0 with pkvm off.
  int install_and_finalize_pkvm();

  // Loads `image` at its link address and runs it from `entry` at EL1.
  emu::RunResult run_guest(const guest::Image& image, uint64_t entry);

  [[nodiscard]] const SystemOptions& options() const { return options_; }
  [[nodiscard]] emu::Engine& engine() { return machine_.engine(); }
  // The conduit the kernel's PSCI description names (`conduit` option), and each one by kind.
  [[nodiscard]] emu::Conduit& conduit() { return conduit(options_.conduit()); }
  [[nodiscard]] emu::Conduit& conduit(emu::ConduitKind kind) { return machine_.conduit(kind); }
  [[nodiscard]] fw::El3Firmware& firmware() { return firmware_; }
  [[nodiscard]] pkvm::Pkvm* pkvm() { return pkvm_ ? &*pkvm_ : nullptr; }
  [[nodiscard]] trace::CallRecorder& recorder() { return recorder_; }

 private:
  SystemOptions options_;
  std::unique_ptr<Machine> own_machine_;
  Machine& machine_;
  trace::CallRecorder recorder_;
  fw::El3Firmware firmware_;
  trace::CallRecorder::Tap el2_tap_;
  std::optional<pkvm::Pkvm> pkvm_;
  std::optional<trace::CallRecorder::Tap> el1_tap_;
};

}  // namespace ffaemu::cli

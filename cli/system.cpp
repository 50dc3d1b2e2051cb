#include "cli/system.h"

#include "emu/layout.h"

namespace ffaemu::cli {
namespace {

fw::FirmwareConfig firmware_config(const SystemOptions& options, const SystemWiring& wiring) {
  fw::FirmwareConfig config = options.firmware();
  if (wiring.partitions) config.partitions = *wiring.partitions;
  return config;
}

}  // namespace

System::System(const SystemOptions& options, SystemWiring wiring)
    : options_(options),
      regions_(emu::layout::default_regions()),
      engine_(regions_, emu::EngineOptions{.el2_present = options.pkvm()}),
      firmware_(firmware_config(options, wiring), engine_.memory()),
      el2_tap_(recorder_, ffa::Level::El2, firmware_),
      trampoline_(guest::assemble_builtin("smccc_trampoline", emu::layout::kCodeBase)) {
  emu::TrapHandler* el2_to_el3 = &firmware_;
  if (wiring.record_calls) {
    firmware_.attach(&recorder_);
    el2_to_el3 = &el2_tap_;
  }
  emu::TrapHandler* host = &firmware_;
  if (options.pkvm()) {
    pkvm::PkvmConfig config;
    config.page_size = options.page_size();
    pkvm_.emplace(config, *el2_to_el3, engine_.memory());
    if (wiring.record_calls) pkvm_->attach(&recorder_);
    host = &*pkvm_;
  }
  if (wiring.record_calls) {
    el1_tap_.emplace(recorder_, ffa::Level::El1, *host);
    host = &*el1_tap_;
  }
  engine_.set_trap_handler(host);
  engine_.load(trampoline_.base, trampoline_.bytes, {.check_sp_alignment = false});
  emu::TrampolineEntries entries{trampoline_.symbol("arm_smccc_1_2_smc"),
                                 trampoline_.symbol("arm_smccc_1_2_hvc")};
  // Each conduit has its own argument/result blocks in the data region.
  smc_ = std::make_unique<emu::GuestConduit>(engine_, emu::ConduitKind::Smc, entries,
                                             emu::layout::kDataBase);
  hvc_ = std::make_unique<emu::GuestConduit>(engine_, emu::ConduitKind::Hvc, entries,
                                             emu::layout::kDataBase + 0x200);
}

int System::install_and_finalize_pkvm() {
  if (!pkvm_) return 0;
  fw::SmcccVersion v = options_.firmware().smccc;
  int ret = pkvm_->install(v.major, v.minor);
  pkvm_->finalize();
  return ret;
}

emu::RunResult System::run_guest(const guest::Image& image, uint64_t entry) {
  engine_.load(image.base, image.bytes);
  return engine_.run(entry);
}

}  // namespace ffaemu::cli

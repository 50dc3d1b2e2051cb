#include "cli/machine.h"

#include <cstring>

#include "emu/layout.h"

namespace ffaemu::cli {
namespace {

// smccc_trampoline.S: `stp x1, x19, [sp, #-16]!` below the stack top, its only stack store.
constexpr uint64_t kTrampolineFrame = 16;

}  // namespace

Machine::Machine()
    : regions_(emu::layout::default_regions()),
      engine_(regions_),
      trampoline_(guest::assemble_builtin("smccc_trampoline", emu::layout::kCodeBase)) {
  engine_.load(trampoline_.base, trampoline_.bytes, {.check_sp_alignment = false});
  engine_.memory().mark_clean();
  emu::TrampolineEntries entries{trampoline_.symbol("arm_smccc_1_2_smc"),
                                 trampoline_.symbol("arm_smccc_1_2_hvc")};
  // Each conduit has its own argument/result blocks in the data region.
  smc_ = std::make_unique<emu::GuestConduit>(engine_, emu::ConduitKind::Smc, entries,
                                             emu::layout::kDataBase);
  hvc_ = std::make_unique<emu::GuestConduit>(engine_, emu::ConduitKind::Hvc, entries,
                                             emu::layout::kDataBase + 0x200);
}

void Machine::reset(bool el2_present) {
  const uint64_t other_runs = engine_.runs() - smc_->calls() - hvc_->calls();
  const bool untrusted = other_runs != other_runs_;
  other_runs_ = other_runs;
  engine_.memory().reset([untrusted](const emu::RegionSpec& r) {
    return untrusted && r.el1_mapped && (r.perms & emu::kWrite);
  });
  if (!untrusted) {
    // Only the trampoline ran: it stores to the conduits' blocks and its frame and nowhere else,
    // so those are all there is to wipe (the whole data region and stack, 128 KiB, had cost 6%
    // of a boot).
    smc_->clear_blocks();
    hvc_->clear_blocks();
    uint64_t frame = emu::layout::kStackBase + emu::layout::kStackSize - kTrampolineFrame;
    std::memset(engine_.memory().host(emu::PhysAddr{frame}, kTrampolineFrame), 0, kTrampolineFrame);
  }
  engine_.reset_cpu();
  engine_.set_trap_handler(nullptr);
  engine_.attach(nullptr);
  engine_.set_el2_present(el2_present);
}

}  // namespace ffaemu::cli

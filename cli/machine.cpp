#include "cli/machine.h"

#include "emu/layout.h"

namespace ffaemu::cli {

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
  bool untrusted = untrusted_;
  engine_.memory().reset([untrusted](const emu::RegionSpec& r) {
    // The trampoline stores only to the data region and the stack.
    bool el1_writable = r.el1_mapped && (r.perms & emu::kWrite);
    return r.kind == emu::RegionKind::Data || r.kind == emu::RegionKind::Stack ||
           (untrusted && el1_writable);
  });
  untrusted_ = false;
  engine_.reset_cpu();
  engine_.set_trap_handler(nullptr);
  engine_.attach(nullptr);
  engine_.set_el2_present(el2_present);
}

}  // namespace ffaemu::cli

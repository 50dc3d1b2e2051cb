#include "ffa_core/firmware/el3.h"

namespace ffaemu::fw {
namespace {

// TF-A FFA_FNUM_MIN_VALUE/FFA_FNUM_MAX_VALUE (is_ffa_fid) and PSCI_FID_MASK's range.
constexpr uint16_t kFfaFirst = 0x60;
constexpr uint16_t kFfaLast = 0x97;
constexpr uint16_t kPsciLast = 0x1f;

}  // namespace

El3Firmware::El3Firmware(FirmwareConfig config, emu::GuestMemory& memory)
    : config_(std::move(config)), spmc_(config_, memory, sink_), spmd_(config_, spmc_, sink_) {}

emu::TrapReply El3Firmware::on_trap(const emu::Trap& trap) {
  if (trap.conduit != emu::ConduitKind::Smc) {
    sink_.note(ffa::Level::El3, "an hvc never reaches EL3: SMC_UNK");
    return {merge(trap.regs, smc_unknown()), emu::TrapAction::Resume};
  }
  return {merge(trap.regs, route(trap.regs)), emu::TrapAction::Resume};
}

// Route by owner and range, then by function ID (runtime_svc.c handler_sync_exception masks the
// SVE hint and refuses fast calls with bits 23:17 set; std_svc_smc_handler picks PSCI or FF-A).
Reply El3Firmware::route(const SmcccRegs& caller) {
  const emu::FunctionId fid = caller.function_id().without_sve_hint();
  if (!fid.fast() || fid.reserved_bits() != 0) {
    sink_.note(ffa::Level::El3,
               fmt::format("{:#010x}: not a fast call with bits 23:17 clear", caller.w(0)));
    return smc_unknown();
  }
  SmcccRegs in = caller;
  in.x[0] = fid.raw();
  const auto owner = static_cast<emu::Owner>(fid.owner());
  if (owner == emu::Owner::Arch) {
    sink_.hop(ffa::Level::El3, "smccc_arch");
    return smccc_arch_call(in, config_.smccc);
  }
  if (owner == emu::Owner::StandardSecure && fid.number() <= kPsciLast) {
    sink_.hop(ffa::Level::El3, "psci");
    return psci_call(in, config_.smccc);
  }
  if (owner == emu::Owner::StandardSecure && fid.number() >= kFfaFirst &&
      fid.number() <= kFfaLast) {
    return spmd_.handle(in);
  }
  sink_.note(ffa::Level::El3, fmt::format("{:#010x}: no runtime service owns it", fid.raw()));
  return smc_unknown();
}

}  // namespace ffaemu::fw

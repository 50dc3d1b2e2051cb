// EL3 firmware as the normal world meets it: TF-A's runtime-service routing (common/runtime_svc.c,
// std_svc_setup.c) to the SMCCC architecture calls, PSCI and the SPMD, which fronts the SPMC.
// Callers at EL1 (no hypervisor) and EL2 (pKVM's own SMCs) are both the NS physical instance, ID 0.
#pragma once

#include "emu/memory.h"
#include "emu/smccc.h"
#include "ffa_core/abi/observer.h"
#include "ffa_core/firmware/config.h"
#include "ffa_core/firmware/reply.h"
#include "ffa_core/firmware/spmc/spmc.h"
#include "ffa_core/firmware/spmd.h"

namespace ffaemu::fw {

// SMCCC architecture service, OEN 0 (TF-A arm_arch_svc_setup.c).
[[nodiscard]] Reply smccc_arch_call(const SmcccRegs& in, SmcccVersion version);
// The PSCI calls Linux uses for SMCCC discovery (TF-A psci_main.c psci_smc_handler).
[[nodiscard]] Reply psci_call(const SmcccRegs& in, SmcccVersion version);
// SMC_UNK: -1 in x0, sign-extended (TF-A smc_unknown writes SMC_RET1).
[[nodiscard]] inline Reply smc_unknown() {
  return ret(1, emu::regs(emu::kSmcUnknown));
}

class El3Firmware final : public emu::TrapHandler {
 public:
  El3Firmware(FirmwareConfig config, emu::GuestMemory& memory);
  El3Firmware(const El3Firmware&) = delete;
  El3Firmware& operator=(const El3Firmware&) = delete;

  emu::TrapReply on_trap(const emu::Trap& trap) override;
  void attach(ffa::HopObserver* observer) { sink_.attach(observer); }

  // Read-only state for tests, traces and invariant checks.
  [[nodiscard]] const FirmwareConfig& config() const { return config_; }
  [[nodiscard]] const Spmc& spmc() const { return spmc_; }
  [[nodiscard]] const Spmd& spmd() const { return spmd_; }

 private:
  Reply route(const SmcccRegs& in);

  FirmwareConfig config_;
  ffa::HopSink sink_;
  Spmc spmc_;
  Spmd spmd_;
};

}  // namespace ffaemu::fw

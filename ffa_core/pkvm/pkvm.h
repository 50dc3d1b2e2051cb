// Protected KVM at EL2 as the host sees it: the hyp stub before kvm_arm_init, then pKVM's trap
// handlers (hyp-main.c handle_host_smc / handle_host_hcall) with the FF-A proxy and host stage-2.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "emu/memory.h"
#include "emu/smccc.h"
#include "ffa_core/abi/observer.h"
#include "ffa_core/pkvm/config.h"
#include "ffa_core/pkvm/ffa_proxy.h"
#include "ffa_core/pkvm/host_hcall.h"
#include "ffa_core/pkvm/host_stage2.h"
#include "ffa_core/pkvm/hyp_env.h"

namespace ffaemu::pkvm {

enum class PkvmState : uint8_t { NotInstalled, Installed, Finalized };

[[nodiscard]] const char* pkvm_state_name(PkvmState state);

// arch/arm64/include/asm/virt.h: the hyp stub's hypercalls and its error return.
inline constexpr uint64_t kHvcSetVectors = 0;
inline constexpr uint64_t kHvcSoftRestart = 1;
inline constexpr uint64_t kHvcResetVectors = 2;
inline constexpr uint64_t kHvcStubErr = 0xbadca11;

class Pkvm final : public emu::TrapHandler {
 public:
  // Throws std::invalid_argument for a page size other than 4K/16K/64K, a PSCI version below 0.2,
  // or FF-A proxy pages that do not fit in hyp-ram.
  Pkvm(PkvmConfig config, emu::TrapHandler& el3, emu::GuestMemory& memory);

  // A host EL1 smc/hvc. NotInstalled: smc goes straight to EL3 (no HCR_EL2.TSC), hvc reaches the
  // hyp stub. Installed/Finalized: smc -> handle_host_smc, hvc -> handle_host_hcall.
  emu::TrapReply on_trap(const emu::Trap& trap) override;

  // kvm_arm_init -> __pkvm_init -> hyp_ffa_init, then TSC on every CPU. Returns 0, or the
  // negative errno that makes pKVM init fail (state stays NotInstalled).
  int install(uint16_t smccc_major, uint16_t smccc_minor);
  // finalize_pkvm: the static key turns on, then __pkvm_prot_finalize on each CPU. No-op unless
  // installed (finalize_pkvm returns early when kvm_arm_init did not complete).
  void finalize();
  [[nodiscard]] PkvmState state() const { return state_; }
  void attach(ffa::HopObserver* observer) { sink_.attach(observer); }

  // Introspection for tests, traces and invariant checks.
  [[nodiscard]] const PkvmConfig& config() const { return config_; }
  [[nodiscard]] bool host_smc_trapped() const { return state_ != PkvmState::NotInstalled; }
  [[nodiscard]] uint32_t host_smccc_version() const { return host_smccc_version_; }
  [[nodiscard]] PageOwner host_page_owner(uint64_t phys) const { return stage2_.owner(phys); }
  [[nodiscard]] uint32_t hyp_pin_count(uint64_t phys) const { return stage2_.pin_count(phys); }
  [[nodiscard]] const std::vector<Stage2Event>& stage2_journal() const { return stage2_.journal(); }
  [[nodiscard]] std::optional<MailboxPair> host_buffers() const { return proxy_.host_buffers(); }
  [[nodiscard]] std::optional<MailboxPair> hyp_buffers() const { return proxy_.hyp_buffers(); }
  [[nodiscard]] bool hyp_buffers_mapped() const { return proxy_.hyp_buffers_mapped(); }
  [[nodiscard]] uint32_t hyp_ffa_version() const { return proxy_.hyp_ffa_version(); }
  [[nodiscard]] bool version_negotiated() const { return proxy_.has_version_negotiated(); }
  [[nodiscard]] uint64_t ffa_desc_buf_len() const { return proxy_.desc_buf_len(); }
  [[nodiscard]] const HostHcallState& hcall_state() const { return hcall_; }
  [[nodiscard]] uint64_t stub_vbar_el2() const { return stub_vbar_; }

  // Fault injection into the host stage-2 (e.g. a pin failure no real sequence produces).
  void inject_stage2_failure(Stage2Op op, int err, int after = 0) {
    stage2_.fail_next(op, err, after);
  }

 private:
  emu::TrapReply hyp_stub(const emu::Trap& trap);
  emu::TrapReply handle_host_smc(const emu::Trap& trap);
  emu::TrapReply handle_host_hcall(const emu::Trap& trap);
  emu::TrapReply stop(const emu::Trap& trap, std::string_view why);

  PkvmConfig config_;
  emu::TrapHandler& el3_;
  ffa::HopSink sink_;
  HostStage2 stage2_;
  HypEnv env_;
  FfaProxy proxy_;
  HostHcallState hcall_;
  PkvmState state_ = PkvmState::NotInstalled;
  uint32_t host_smccc_version_ = 0;
  uint64_t stub_vbar_ = 0;
};

}  // namespace ffaemu::pkvm

// pKVM's host hypercall handler (hyp-main.c handle_host_hcall): the host_hcall[] table indexed by
// KVM_HOST_SMCCC_ID(n) - 0xC6000000, with the init-only calls refused once pKVM is initialised.
// It does not speak FF-A: FF-A or any other foreign ID gets SMCCC NOT_SUPPORTED.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "emu/smccc.h"
#include "ffa_core/pkvm/hyp_env.h"

namespace ffaemu::pkvm {

inline constexpr uint64_t kKvmHostSmcccIdBase = 0xC6000000;  // KVM_HOST_SMCCC_ID(0)

// enum __kvm_host_smccc_func (arch/arm64/include/asm/kvm_asm.h), in order; index 0
// (__kvm_hyp_init) belongs to the hyp-init vectors and has no host_hcall[] entry.
[[nodiscard]] std::span<const std::string_view> host_hcall_names();
// __KVM_HOST_SMCCC_FUNC___pkvm_prot_finalize: the first call allowed once pKVM is initialised.
inline constexpr uint64_t kHcallPkvmProtFinalize = 7;

struct HostHcallState {
  bool protected_mode_initialized = false;  // static key kvm_protected_mode_initialized
  bool cpu_prot_finalized = false;          // HCR_EL2.VM set on this CPU by __pkvm_prot_finalize
  bool ssbs_enabled = false;                // SCTLR_EL2.DSSBS set by __kvm_enable_ssbs
};

// Returns the host's registers with x0 = SMCCC_RET_SUCCESS and the handler's results, or with
// x0 = SMCCC_RET_NOT_SUPPORTED (all ones) and x1-x17 untouched. Hypercalls the model does not
// implement throw NotModelled.
[[nodiscard]] emu::SmcccRegs handle_host_hcall(HypEnv& env, HostHcallState& state,
                                               const emu::SmcccRegs& host);

}  // namespace ffaemu::pkvm

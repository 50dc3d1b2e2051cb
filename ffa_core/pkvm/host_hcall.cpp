#include "ffa_core/pkvm/host_hcall.h"

#include <array>

#include <fmt/format.h>

#include "ffa_core/pkvm/hyp_fault.h"

namespace ffaemu::pkvm {
namespace {

constexpr std::array<std::string_view, 33> kHcallNames = {
    "__kvm_hyp_init",
    "__pkvm_init",
    "__pkvm_create_private_mapping",
    "__pkvm_cpu_set_vector",
    "__kvm_enable_ssbs",
    "__vgic_v3_init_lrs",
    "__vgic_v3_get_gic_config",
    "__pkvm_prot_finalize",
    "__pkvm_host_share_hyp",
    "__pkvm_host_unshare_hyp",
    "__pkvm_host_share_guest",
    "__pkvm_host_unshare_guest",
    "__pkvm_host_relax_perms_guest",
    "__pkvm_host_wrprotect_guest",
    "__pkvm_host_test_clear_young_guest",
    "__pkvm_host_mkyoung_guest",
    "__kvm_adjust_pc",
    "__kvm_vcpu_run",
    "__kvm_flush_vm_context",
    "__kvm_tlb_flush_vmid_ipa",
    "__kvm_tlb_flush_vmid_ipa_nsh",
    "__kvm_tlb_flush_vmid",
    "__kvm_tlb_flush_vmid_range",
    "__kvm_flush_cpu_context",
    "__kvm_timer_set_cntvoff",
    "__vgic_v3_save_vmcr_aprs",
    "__vgic_v3_restore_vmcr_aprs",
    "__pkvm_init_vm",
    "__pkvm_init_vcpu",
    "__pkvm_teardown_vm",
    "__pkvm_vcpu_load",
    "__pkvm_vcpu_put",
    "__pkvm_tlb_flush_vmid",
};

constexpr uint64_t kCallHints = 0x10000;  // ARM_SMCCC_CALL_HINTS
constexpr uint64_t kSmcccRetSuccess = 0;
constexpr uint64_t kSmcccRetNotSupported = ~uint64_t{0};

uint64_t errno_reg(int ret) {
  return static_cast<uint64_t>(static_cast<int64_t>(ret));
}

}  // namespace

std::span<const std::string_view> host_hcall_names() {
  return kHcallNames;
}

emu::SmcccRegs handle_host_hcall(HypEnv& env, HostHcallState& state, const emu::SmcccRegs& host) {
  uint64_t hcall_min = state.protected_mode_initialized ? kHcallPkvmProtFinalize : 0;
  uint64_t id = (host.x[0] & ~kCallHints) - kKvmHostSmcccIdBase;
  emu::SmcccRegs out = host;
  if (id < hcall_min || id >= kHcallNames.size() || id == 0) {
    env.sink.note(
        ffa::Level::El2,
        fmt::format("hvc {:#x}: not a host hypercall available now, NOT_SUPPORTED", host.x[0]));
    out.x[0] = kSmcccRetNotSupported;
    return out;
  }
  out.x[0] = kSmcccRetSuccess;
  switch (id) {
    case 4:  // __kvm_enable_ssbs
      state.ssbs_enabled = true;
      break;
    case kHcallPkvmProtFinalize:
      // __pkvm_prot_finalize returns -EPERM once this CPU's host stage-2 is on.
      out.x[1] = errno_reg(state.cpu_prot_finalized ? -kEperm : 0);
      state.cpu_prot_finalized = true;
      break;
    case 8:  // __pkvm_host_share_hyp(pfn)
      out.x[1] = errno_reg(env.stage2.host_share_hyp(host.x[1]));
      break;
    case 9:  // __pkvm_host_unshare_hyp(pfn)
      out.x[1] = errno_reg(env.stage2.host_unshare_hyp(host.x[1]));
      break;
    default:
      throw NotModelled(fmt::format("host hypercall {} is not modelled", kHcallNames[id]));
  }
  return out;
}

}  // namespace ffaemu::pkvm

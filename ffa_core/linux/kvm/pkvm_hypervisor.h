// lnx::Hypervisor over the pKVM model, for the composition roots that put both together:
// kvm_arm_init installs pKVM at EL2, finalize_pkvm finalises it, and is_pkvm_initialized() reads
// the static key (arch/arm64/kvm/pkvm.c kvm_protected_mode_initialized). Header-only, so that
// ffa_linux itself does not depend on ffa_pkvm.
#pragma once

#include <cstdint>

#include "ffa_core/linux/kvm/kvm.h"
#include "ffa_core/pkvm/pkvm.h"

namespace ffaemu::lnx {

class PkvmHypervisor final : public Hypervisor {
 public:
  explicit PkvmHypervisor(pkvm::Pkvm& pkvm) : pkvm_(pkvm) {}
  int kvm_arm_init(uint32_t smccc_version) override {
    return pkvm_.install(static_cast<uint16_t>(smccc_version >> 16),
                         static_cast<uint16_t>(smccc_version & 0xffff));
  }
  int finalize_pkvm() override {
    pkvm_.finalize();
    return 0;
  }
  [[nodiscard]] bool is_pkvm_initialized() const override {
    return pkvm_.hcall_state().protected_mode_initialized;
  }

 private:
  pkvm::Pkvm& pkvm_;
};

}  // namespace ffaemu::lnx

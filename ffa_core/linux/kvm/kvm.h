// The host side of KVM's protected mode that the boot order depends on: kvm_arm_init
// (arch/arm64/kvm/arm.c, device_initcall) installing pKVM, finalize_pkvm (arch/arm64/kvm/pkvm.c,
// device_initcall_sync) turning the kvm_protected_mode_initialized static key on, and the
// predicates of arch/arm64/include/asm/virt.h. The hypervisor itself is behind `Hypervisor`.
#pragma once

#include <cstdint>

#include "ffa_core/linux/printk.h"
#include "ffa_core/linux/smccc/psci.h"

namespace ffaemu::lnx {

// What the boot model needs from EL2; the composition adapts the pKVM model to it.
class Hypervisor {
 public:
  virtual ~Hypervisor() = default;
  // init_hyp_mode -> __pkvm_init (hyp_ffa_init) and HCR_EL2.TSC on every CPU, given
  // arm_smccc_get_version() for init_psci_relay. 0 or a negative errno.
  virtual int kvm_arm_init(uint32_t smccc_version) = 0;
  // pkvm_drop_host_privileges: the static key on, then __pkvm_prot_finalize per CPU.
  virtual int finalize_pkvm() = 0;
  [[nodiscard]] virtual bool is_pkvm_initialized() const = 0;
};

class Kvm {
 public:
  // `hyp` is null with pkvm off: the kernel was entered at EL1, so HYP mode is not available.
  Kvm(Hypervisor* hyp, const Smccc& smccc, Printk& printk)
      : hyp_(hyp), smccc_(smccc), printk_(printk) {}

  // cpus_have_final_cap(ARM64_KVM_PROTECTED_MODE): kvm-arm.mode=protected on the command line.
  [[nodiscard]] bool is_protected_kvm_enabled() const { return hyp_ != nullptr; }
  [[nodiscard]] bool is_pkvm_initialized() const { return hyp_ && hyp_->is_pkvm_initialized(); }
  [[nodiscard]] bool is_kvm_arm_initialised() const { return initialised_; }

  int kvm_arm_init();
  int finalize_pkvm();

 private:
  Hypervisor* hyp_;
  const Smccc& smccc_;
  Printk& printk_;
  bool initialised_ = false;
};

}  // namespace ffaemu::lnx

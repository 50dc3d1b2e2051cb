#include "ffa_core/linux/kvm/kvm.h"

#include <fmt/format.h>

#include "ffa_core/linux/errno.h"

namespace ffaemu::lnx {

int Kvm::kvm_arm_init() {
  if (hyp_ == nullptr) {
    printk_.log(LogLevel::Info, "kvm [1]: HYP mode not available");
    return -kEnodev;
  }
  const int err = hyp_->kvm_arm_init(smccc_.arm_smccc_get_version());
  if (err) {
    printk_.log(LogLevel::Err, fmt::format("kvm [1]: error initializing Hyp mode: {}", err));
    printk_.event(BootEventKind::PkvmState, "pkvm", "install-failed", err);
    return err;
  }
  initialised_ = true;
  printk_.log(LogLevel::Info, "kvm [1]: Protected nVHE mode initialized successfully");
  printk_.event(BootEventKind::PkvmState, "pkvm", "installed");
  return 0;
}

int Kvm::finalize_pkvm() {
  if (!is_protected_kvm_enabled() || !is_kvm_arm_initialised()) return 0;
  const int ret = hyp_->finalize_pkvm();
  if (ret) printk_.log(LogLevel::Err, fmt::format("Failed to finalize Hyp protection: {}", ret));
  printk_.event(BootEventKind::PkvmState, "pkvm", "finalized", ret);
  return ret;
}

}  // namespace ffaemu::lnx

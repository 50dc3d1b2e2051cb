// IMA's boot-time measurement (security/integrity/ima/ima_init.c ima_init,
// ima_add_boot_aggregate, ima_queue.c ima_pcr_extend): with a TPM chip, the boot aggregate reads
// PCRs 0-9 and extends PCR 10, each a TPM command and so a tpm_crb_ffa START; without one,
// TPM-bypass. With `ima late-sync-retry` (RFC v3) the late pass defers while there is no TPM and
// security_initcall_late_sync retries.
#pragma once

#include "ffa_core/linux/clients/tpm_crb_ffa.h"
#include "ffa_core/linux/config.h"
#include "ffa_core/linux/initcalls.h"

namespace ffaemu::lnx {

class Ima {
 public:
  enum class State : uint8_t { Tpm, Bypass, Failed };

  Ima(ImaMode mode, TpmCrbFfa& tpm, Printk& printk) : mode_(mode), tpm_(tpm), printk_(printk) {}

  void register_initcalls(InitcallTable& table);
  // Bypass until IMA has measured through a TPM; Failed when a TPM command of the boot aggregate
  // failed (IMA itself carries on, as the kernel does: the errors are only logged).
  [[nodiscard]] State state() const { return state_; }
  // TPM commands IMA issued (PCR reads and the extend).
  [[nodiscard]] int tpm_commands() const { return commands_; }

 private:
  int init_ima(bool last_chance);
  int tpm_command();
  void ima_add_boot_aggregate();

  ImaMode mode_;
  TpmCrbFfa& tpm_;
  Printk& printk_;
  State state_ = State::Bypass;
  int commands_ = 0;
};

}  // namespace ffaemu::lnx

// The TPM CRB start method over FF-A (drivers/char/tpm/tpm_crb_ffa.c, DEN0138): an FF-A driver
// bound by the fTPM's UUID whose probe asks GET_INTERFACE_VERSION, and tpm_crb_ffa_start for each
// TPM command. The tpm_crb chip driver is folded in: a chip exists while this driver is bound.
#pragma once

#include <cstdint>

#include "ffa_core/abi/tpm_crb.h"
#include "ffa_core/linux/arm_ffa/driver.h"
#include "ffa_core/linux/initcalls.h"

namespace ffaemu::lnx {

namespace crb_ffa = ffa::crb;

inline constexpr std::string_view kTpmCrbFfaUuid = ffa::crb::kUuid;

// tpm_crb_ffa_to_linux_errno.
[[nodiscard]] int tpm_crb_ffa_to_linux_errno(uint32_t status);

class TpmCrbFfa {
 public:
  enum class State : uint8_t { Unprobed, Bound, Failed };  // NULL, a pointer, ERR_PTR(-ENODEV)

  TpmCrbFfa(FfaCore& core, DriverCore& driver_core, FfaBus& bus, Printk& printk);

  // module_ffa_driver: tpm_crb_ffa_driver_init at device_initcall in drivers/char/tpm.
  void register_initcalls(InitcallTable& table);
  // 0 or the call's error. Only a bound chip issues commands (the kernel's -ENOENT/-ENODEV
  // guards belong to the folded-in tpm_crb caller, which never runs without a bound driver here).
  int tpm_crb_ffa_start(int request_type, int locality);
  [[nodiscard]] State state() const { return state_; }

 private:
  int tpm_crb_ffa_probe(FfaDevice& dev);
  int send_receive(uint32_t func_id, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t& result);
  int try_send_receive(uint32_t func_id, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t& result);

  FfaCore& core_;
  DriverCore& driver_core_;
  FfaBus& bus_;
  Printk& printk_;
  FfaDriver driver_;
  State state_ = State::Unprobed;
  FfaDevice* dev_ = nullptr;
};

}  // namespace ffaemu::lnx

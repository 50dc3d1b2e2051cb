// SMCCC discovery at boot: drivers/firmware/smccc/smccc.c's stored version and conduit, and
// drivers/firmware/psci/psci.c's psci_dt_init (called from setup_arch): conduit from the DT
// `method`, PSCI_VERSION, then psci_init_smccc (PSCI_FEATURES(SMCCC_VERSION), SMCCC_VERSION).
#pragma once

#include <cstdint>

#include "emu/smccc.h"
#include "ffa_core/linux/printk.h"

namespace ffaemu::lnx {

enum class SmcccConduit : uint8_t { None, Smc, Hvc };

inline constexpr uint32_t kSmcccVersion1_0 = 0x10000;
inline constexpr uint32_t kSmcccVersion1_1 = 0x10001;
inline constexpr uint32_t kSmcccVersion1_2 = 0x10002;

// The guest's smc and hvc: which one a call uses is the conduit's business, chosen once.
struct Conduits {
  emu::Conduit& smc;
  emu::Conduit& hvc;
  [[nodiscard]] emu::Conduit& get(SmcccConduit conduit) const {
    return conduit == SmcccConduit::Hvc ? hvc : smc;
  }
};

class Smccc {
 public:
  void arm_smccc_version_init(uint32_t version, SmcccConduit conduit) {
    version_ = version;
    conduit_ = conduit;
  }
  [[nodiscard]] uint32_t arm_smccc_get_version() const { return version_; }
  // NONE while the stored version is below 1.1.
  [[nodiscard]] SmcccConduit arm_smccc_1_1_get_conduit() const {
    return version_ < kSmcccVersion1_1 ? SmcccConduit::None : conduit_;
  }

 private:
  uint32_t version_ = kSmcccVersion1_0;
  SmcccConduit conduit_ = SmcccConduit::None;
};

// psci_dt_init for an "arm,psci-1.0" node with `method`; returns psci_probe's result.
int psci_dt_init(emu::ConduitKind method, const Conduits& conduits, Smccc& smccc, Printk& printk);

}  // namespace ffaemu::lnx

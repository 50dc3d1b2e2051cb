#include "ffa_core/linux/arm_ffa/transport.h"

#include "ffa_core/linux/errno.h"

namespace ffaemu::lnx {

int ffa_transport_init(const Smccc& smccc, const Conduits& conduits, Printk& printk,
                       emu::Conduit*& invoke) {
  if (smccc.arm_smccc_get_version() < kSmcccVersion1_2) return -kEopnotsupp;
  const SmcccConduit conduit = smccc.arm_smccc_1_1_get_conduit();
  if (conduit == SmcccConduit::None) {
    printk.log(LogLevel::Err, "ARM FF-A: ffa_transport_init: invalid SMCCC conduit");
    return -kEopnotsupp;
  }
  invoke = &conduits.get(conduit);
  return 0;
}

}  // namespace ffaemu::lnx

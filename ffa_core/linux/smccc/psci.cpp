#include "ffa_core/linux/smccc/psci.h"

#include <fmt/format.h>

#include "ffa_core/abi/ffa.h"
#include "ffa_core/linux/errno.h"

namespace ffaemu::lnx {
namespace {

constexpr int kPsciRetNotSupported = -1;

uint16_t version_major(uint32_t v) {
  return static_cast<uint16_t>((v >> 16) & 0x7fff);
}
uint16_t version_minor(uint32_t v) {
  return static_cast<uint16_t>(v & 0xffff);
}

// invoke_psci_fn: arm_smccc_smc / arm_smccc_hvc with up to three arguments, a0 returned.
uint64_t invoke_psci_fn(emu::Conduit& conduit, uint32_t fn, uint64_t arg0 = 0) {
  return conduit.invoke(emu::regs(fn, arg0)).x[0];
}

void psci_init_smccc(emu::Conduit& conduit, SmcccConduit psci_conduit, Smccc& smccc,
                     Printk& printk) {
  uint32_t ver = kSmcccVersion1_0;
  const int feature =
      static_cast<int>(invoke_psci_fn(conduit, ffa::fid::kPsciFeatures, ffa::fid::kSmcccVersion));
  if (feature != kPsciRetNotSupported) {
    const auto ret = static_cast<uint32_t>(invoke_psci_fn(conduit, ffa::fid::kSmcccVersion));
    if (ret >= kSmcccVersion1_1) {
      smccc.arm_smccc_version_init(ret, psci_conduit);
      ver = ret;
    }
  }
  printk.log(LogLevel::Info, fmt::format("psci: SMC Calling Convention v{}.{}", version_major(ver),
                                         version_minor(ver)));
}

}  // namespace

int psci_dt_init(emu::ConduitKind method, const Conduits& conduits, Smccc& smccc, Printk& printk) {
  printk.log(LogLevel::Info, "psci: probing for conduit method from DT.");
  const SmcccConduit psci_conduit =
      method == emu::ConduitKind::Hvc ? SmcccConduit::Hvc : SmcccConduit::Smc;
  emu::Conduit& conduit = conduits.get(psci_conduit);

  const auto ver = static_cast<uint32_t>(invoke_psci_fn(conduit, ffa::fid::kPsciVersion));
  printk.log(LogLevel::Info, fmt::format("psci: PSCIv{}.{} detected in firmware.",
                                         version_major(ver), version_minor(ver)));
  if (version_major(ver) == 0 && version_minor(ver) < 2) {
    printk.log(LogLevel::Err, "psci: Conflicting PSCI version detected.");
    return -kEinval;
  }
  if (version_major(ver) >= 1) psci_init_smccc(conduit, psci_conduit, smccc, printk);
  return 0;
}

}  // namespace ffaemu::lnx
